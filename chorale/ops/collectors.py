"""Figures read from the database at scrape time: the rows are the truth, whichever process or
machine wrote them (so they are right with any number of web and task workers)."""

from django.db.models import Count, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.core import GaugeMetricFamily

from chorale.flows.models import FINAL_STATUSES, Flow
from chorale.invoicing.models import InvoiceRecord


def queue_backlog() -> tuple[int, float]:
    """Tasks waiting to run now, and the age in seconds of the oldest of them."""
    ready = DBTaskResult.objects.ready()
    found = ready.aggregate(count=Count("id"), oldest=Min("enqueued_at"))
    age = (timezone.now() - found["oldest"]).total_seconds() if found["oldest"] else 0.0
    return found["count"], max(age, 0.0)


class DatabaseCollector:
    def collect(self):
        flows = GaugeMetricFamily(
            "chorale_flows", "Deposits (flux) by channel and state.", labels=["channel", "status"]
        )
        for row in Flow.objects.values("channel", "status").annotate(n=Count("id")).order_by():
            flows.add_metric([row["channel"], row["status"]], row["n"])
        yield flows

        unfinished = Flow.objects.exclude(status__in=FINAL_STATUSES).aggregate(
            oldest=Min("created_at")
        )["oldest"]
        stuck = GaugeMetricFamily(
            "chorale_flows_unfinished_oldest_age_seconds",
            "Age of the oldest deposit not processed yet (0 when none).",
        )
        stuck.add_metric([], (timezone.now() - unfinished).total_seconds() if unfinished else 0)
        yield stuck

        invoices = GaugeMetricFamily(
            "chorale_invoices", "Invoices by life-cycle status.", labels=["status"]
        )
        for row in InvoiceRecord.objects.values("status").annotate(n=Count("id")).order_by():
            invoices.add_metric([row["status"]], row["n"])
        yield invoices

        depth, age = queue_backlog()
        queue = GaugeMetricFamily("chorale_task_queue_depth", "Tasks ready to run.")
        queue.add_metric([], depth)
        yield queue
        oldest = GaugeMetricFamily(
            "chorale_task_queue_oldest_age_seconds", "Age of the oldest task ready to run."
        )
        oldest.add_metric([], age)
        yield oldest

    def describe(self):
        return []
