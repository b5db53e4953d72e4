"""``manage.py run_worker`` (``humaine worker``): the job worker with leases (core.worker)."""

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from humaine.core.worker import LeasedWorker


class Command(db_worker.Command):
    help = "Run the background job worker (leased jobs, survives database outages)"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # Reloading on code changes would stop jobs halfway; never by default.
        parser.set_defaults(reload=False)

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, **options) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        if reload:
            raise CommandError("run_worker does not reload; restart it after a deployment")
        worker = LeasedWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
