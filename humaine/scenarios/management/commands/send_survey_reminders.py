"""Queue reminder emails for open survey waves (run daily, e.g. from cron).

Safe to run more than once a day: each job sends only reminders that are due and not yet
sent (``tasks.reminder_due``, one key per invitation and reminder).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from humaine.scenarios.models import Invitation, Wave
from humaine.scenarios.tasks import MAX_REMINDERS, remind_wave


class Command(BaseCommand):
    help = "Queue survey reminders for open waves; each person is reminded when it is due."

    def handle(self, *args, **options):
        today = timezone.localdate()
        waiting = Invitation.objects.filter(used=False, reminders_sent__lt=MAX_REMINDERS).exclude(
            email=""
        )
        waves = Wave.objects.filter(
            closed_at__isnull=True,
            opens_on__lte=today,
            closes_on__gte=today,
            pk__in=waiting.values("wave_id"),
        )
        queued = 0
        for wave_id in waves.values_list("pk", flat=True):
            remind_wave.enqueue(wave_id)
            queued += 1
        self.stdout.write(f"{queued} wave(s) queued for reminders")
