"""Queue reminder emails for open survey waves (run daily, e.g. from cron)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from humaine.scenarios.models import Wave
from humaine.scenarios.tasks import remind_wave


class Command(BaseCommand):
    help = "Queue survey reminders for open waves whose reminder day has come."

    def handle(self, *args, **options):
        today = timezone.localdate()
        queued = 0
        for wave in Wave.objects.filter(
            closed_at__isnull=True, opens_on__lte=today, closes_on__gte=today
        ):
            due = wave.opens_on + timedelta(days=wave.remind_after_days)
            if today >= due and (today - due).days % wave.remind_after_days == 0:
                remind_wave.enqueue(wave.pk)
                queued += 1
        self.stdout.write(f"{queued} wave(s) queued for reminders")
