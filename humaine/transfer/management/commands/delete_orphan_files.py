"""Delete stored files of knowledge-base entries that no attachment refers to.

A file is stored before its row is saved; if the transaction is rolled back further out,
or the process dies before the commit, the file stays without a row. Run this daily (cron
or a systemd timer); files younger than an hour are left alone (``--hours``).
"""

import datetime as dt

from django.core.management.base import BaseCommand

from humaine.transfer import services


class Command(BaseCommand):
    help = "Delete stored files of knowledge-base entries that no attachment refers to."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=1, help="leave younger files alone")

    def handle(self, *args, hours, **options):
        deleted = services.delete_orphan_files(dt.timedelta(hours=hours))
        self.stdout.write(f"deleted {len(deleted)} files no attachment refers to")
