"""Delete deployed teams' routed cases older than their retention.

Run it periodically (e.g. daily from cron or a systemd timer); the retention is
``HUMAN_AI_RECORD_DAYS`` (default 186, never less than 184: six months, EU AI Act Art. 26(6)).
"""

from django.core.management.base import BaseCommand

from humaine.human_ai import records


class Command(BaseCommand):
    help = "Delete routed cases of deployed teams older than the configured retention."

    def handle(self, *args, **options):
        count = records.purge()
        days = records.retention_days()
        self.stdout.write(f"deleted {count} routed cases older than {days} days")
