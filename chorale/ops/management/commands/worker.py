"""manage.py worker — a durable task worker (django-tasks-db's db_worker, every option of it)
that also runs the sweep (`resume_stuck`) every --sweep-every seconds, so that whatever a
killed process left half-done is picked up again without a cron job. Run as many as needed, on
as many machines as needed: they share only the database (and the file storage)."""

import logging
import threading

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from chorale.core.collector import tune_for_batches
from chorale.ops.sweep import resume_stuck

logger = logging.getLogger("chorale.ops")


class Command(DbWorker):
    help = "Run a task worker that also sweeps unfinished work periodically."
    # Django's system checks cost about 0.6 s at each start and judge the settings and models,
    # not the worker: they run where a deployment starts (`migrate` in make run, make prod and
    # scripts/prod), not again in each of its workers.
    requires_system_checks = []

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--sweep-every", type=int, default=20, help="seconds; 0: never")
        parser.add_argument(
            "--stuck-after",
            type=int,
            default=600,
            help="seconds before a flow never started or a delivery not tried is queued again "
            "(a flow being processed is resumed once its lease, CHORALE_FLOW_LEASE_SECONDS, "
            "runs out)",
        )

    def handle(self, *args, sweep_every: int, stuck_after: int, **options):
        tune_for_batches()
        if sweep_every > 0:
            stop = threading.Event()
            thread = threading.Thread(
                target=self._sweep, args=(stop, sweep_every, stuck_after), daemon=True
            )
            thread.start()
        try:
            super().handle(*args, **options)
        finally:
            if sweep_every > 0:
                stop.set()

    @staticmethod
    def _sweep(stop: threading.Event, every: int, stuck_after: int) -> None:
        while not stop.wait(every):
            try:
                counts = resume_stuck(stuck_after)
                if any(counts.values()):
                    logger.info("sweep queued again %s", counts)
            except Exception:  # a failed sweep must never stop the worker
                logger.exception("sweep failed")
            finally:
                close_old_connections()
