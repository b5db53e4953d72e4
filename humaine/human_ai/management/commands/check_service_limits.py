"""Count the figures of every team service in use again where they are stale, and compare
them with the service's limits.

Routing, decisions and outcomes enqueue this for their service already; run the command as
well (e.g. hourly), so the stored figures follow the window as it moves on, drift and
crossings are found when no case arrives, and crossings end when the window moves on. A
crossing is told once, however often it runs.
"""

from django.core.management.base import BaseCommand
from django.db.models import Q

from humaine.human_ai import monitoring_alerts, monitoring_store
from humaine.human_ai.models import Service, ServiceThresholds


class Command(BaseCommand):
    help = "Count the team services' figures again and check their limits; tell the editors."

    def handle(self, *args, **options):
        opened = ended = checked = 0
        limited = set(ServiceThresholds.objects.values_list("service_id", flat=True))
        services = Service.objects.filter(
            Q(versions__retired_at__isnull=True) | Q(thresholds__isnull=False)
        ).distinct()
        for service in services:
            stored = monitoring_store.refresh(service, monitoring_alerts.window_days())
            if service.pk not in limited:
                continue
            result = monitoring_alerts.evaluate(service, stored.as_state() if stored else None)
            opened += len(result["opened"])
            ended += len(result["ended"])
            checked += 1
        self.stdout.write(f"{checked} services checked: {opened} limits crossed, {ended} back")
