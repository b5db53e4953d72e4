"""Erase the personal data of registrations for events that ended long enough ago.

Run it periodically (e.g. daily from cron or a systemd timer); the time after an event is
``TRANSFER_REGISTRATION_RETENTION_DAYS`` (default 90).
"""

from django.core.management.base import BaseCommand

from humaine.transfer import services


class Command(BaseCommand):
    help = "Erase registrations' personal data a configured time after their event."

    def handle(self, *args, **options):
        count = services.erase_past_registrations()
        self.stdout.write(f"erased the personal data of {count} registrations")
