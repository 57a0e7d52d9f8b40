"""manage.py resume_stuck — queue again every flow or webhook delivery a crash left unfinished
for longer than a threshold (`manage.py worker` also runs it periodically)."""

from django.core.management.base import BaseCommand

from chorale.ops.sweep import resume_stuck


class Command(BaseCommand):
    help = "Queue again the flows and deliveries left unfinished longer than --older-than seconds."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=600, help="seconds (default 600)")

    def handle(self, *args, older_than: int, **options):
        counts = resume_stuck(older_than)
        self.stdout.write(
            f"{counts['flows']} flow(s) and {counts['deliveries']} delivery(ies) queued again"
        )
