"""manage.py resume_stuck — queue again every flow left unfinished longer than a threshold.

The database row is the truth: a flow not in a final state after the threshold was interrupted
(a killed worker, a lost task); processing it again is safe (documents already judged are
skipped).
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from chorale.flows.models import FINAL_STATUSES, Flow
from chorale.flows.tasks import process_flow


class Command(BaseCommand):
    help = "Queue again the flows left unfinished for longer than --older-than seconds."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=600, help="seconds (default 600)")

    def handle(self, *args, older_than: int, **options):
        limit = timezone.now() - datetime.timedelta(seconds=older_than)
        stuck = Flow.objects.exclude(status__in=FINAL_STATUSES).filter(created_at__lt=limit)
        count = 0
        for flow_id in stuck.values_list("pk", flat=True):
            process_flow.enqueue(flow_id=flow_id)
            count += 1
        self.stdout.write(f"{count} flow(s) queued again")
