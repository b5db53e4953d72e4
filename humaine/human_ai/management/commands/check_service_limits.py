"""Compare the figures of every team service in use with its limits.

Routing enqueues this check for its service already; run the command as well (e.g. hourly
or daily), so drift and crossings are found when no case arrives, and crossings end when
the window moves on. A crossing is told once, however often it runs.
"""

from django.core.management.base import BaseCommand

from humaine.human_ai import monitoring_alerts
from humaine.human_ai.models import Service


class Command(BaseCommand):
    help = "Check the limits of the team services in use; tell the editors of new crossings."

    def handle(self, *args, **options):
        opened = ended = checked = 0
        services = Service.objects.filter(thresholds__isnull=False).distinct()
        for service in services:
            result = monitoring_alerts.evaluate(service)
            opened += len(result["opened"])
            ended += len(result["ended"])
            checked += 1
        self.stdout.write(f"{checked} services checked: {opened} limits crossed, {ended} back")
