from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from humaine.matching import services
from humaine.matching.importer import plan_import


class Command(BaseCommand):
    help = (
        "Import expert profiles from a CSV or YAML file (matched by email). "
        "With --dry-run, report what would be created, updated or unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv, .yaml or .yml file (docs/examples/)")
        parser.add_argument("--dry-run", action="store_true", help="change nothing")

    def handle(self, *args, file, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        plan = plan_import(path.read_bytes(), path.name)
        for row in plan.rows:
            changes = ", ".join(row.changes) if row.changes else ""
            self.stdout.write(f"{plan.unit} {row.row}: {row.action} {row.email} {changes}".rstrip())
        for name, kind in plan.new_organisations.items():
            self.stdout.write(f"new organisation: {name} ({kind})")
        for name, changes in plan.organisation_changes.values():
            changed = ", ".join(f"{k}: {a!r} -> {b!r}" for k, (a, b) in changes.items())
            self.stdout.write(f"organisation {name}: {changed}")
        summary = plan.summary
        counts = (
            f"{summary['create']} to create, {summary['update']} to update, "
            f"{summary['unchanged']} unchanged"
        )
        if not plan.ok:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(plan.problems)} problem(s); nothing was imported.")
        if dry_run:
            self.stdout.write(f"Dry run: {counts}. Nothing was changed.")
            return
        services.import_experts(plan, actor=None, actor_name="manage.py import_experts")
        self.stdout.write(self.style.SUCCESS(f"Imported: {counts}."))
