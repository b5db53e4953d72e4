"""Fill an empty hub with demo data and print the demo accounts of each role."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from humaine.core import demo


class Command(BaseCommand):
    help = "Load every capability's demo data (core.demo.DEMO_DATA) into an empty hub."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the hub already holds data.",
        )

    def handle(self, *args, if_empty=False, **options):
        held = demo.present()
        if held:
            if if_empty:
                self.stdout.write("The hub already holds data; demo data not loaded.")
                self.print_accounts()
                return
            raise CommandError(
                f"The hub already holds {', '.join(held)}; demo data goes into an empty hub."
            )
        demo.load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.print_accounts()

    def print_accounts(self):
        usernames = set(
            get_user_model()
            .objects.filter(username__in=[name for _role, name in demo.accounts()])
            .values_list("username", flat=True)
        )
        rows = [(role, name) for role, name in demo.accounts() if name in usernames]
        if not rows:
            return
        self.stdout.write(f"\nDemo accounts (password for all: {demo.DEMO_PASSWORD}):")
        for role, username in rows:
            self.stdout.write(f"  {role:<28} {username}")
        self.stdout.write(f"Visitors need no account: {settings.SITE_URL}/inquiry/\n")
