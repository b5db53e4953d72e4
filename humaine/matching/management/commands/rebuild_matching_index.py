from django.core.management.base import BaseCommand

from humaine.matching import services


class Command(BaseCommand):
    help = (
        "Rebuild every matching index: embeddings of experts, inquiries and methods "
        "(only changed texts unless --force) and the full-text indexes, in batches."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="re-embed unchanged texts too")
        parser.add_argument(
            "--batch-size", type=int, default=services.BATCH_SIZE, help="texts per batch"
        )

    def handle(self, *args, force=False, batch_size=services.BATCH_SIZE, **options):
        def listener(progress):
            counts = progress.counts
            self.stdout.write(
                f"{progress.done}/{progress.total} texts ({progress.percent} %), "
                f"{counts.get('embedded', 0)} embedded, {counts.get('removed', 0)} removed"
            )

        record = services.rebuild_now(force=force, batch_size=max(1, batch_size), listener=listener)
        self.stdout.write(self.style.SUCCESS(f"Rebuild {record.pk}: {record.status}."))
