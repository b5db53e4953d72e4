"""The weekly summary of every team service in use, to its scenario's editors.

Run it weekly (e.g. Monday morning from cron or a systemd timer); a week is summarised once
per service however often it runs (``--week`` names another week by its Monday).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from humaine.human_ai import monitoring_summary


class Command(BaseCommand):
    help = "Send the weekly summary of each team service in use to the scenario's editors."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="the Monday of the week (YYYY-MM-DD)")

    def handle(self, *args, **options):
        week = None
        if options.get("week"):
            try:
                week = datetime.date.fromisoformat(options["week"])
            except ValueError:
                raise CommandError("--week takes a date (YYYY-MM-DD)") from None
            week -= datetime.timedelta(days=week.weekday())
        made = monitoring_summary.send_summaries(week)
        week = week or monitoring_summary.last_week()
        self.stdout.write(f"{len(made)} weekly summaries of the week of {week} sent")
