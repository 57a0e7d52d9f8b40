"""The sweep: the database rows are the truth, so whatever a crash left half-done (a flow not
processed, a webhook delivery not tried) is queued again once it has waited longer than a
threshold — unless a task for it is already waiting. Processing is idempotent, so a task run
twice changes nothing."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chorale.api.models import DeliveryStatus, WebhookDelivery
from chorale.api.webhooks import deliver_webhook
from chorale.core.tracing import enqueue
from chorale.flows.models import FINAL_STATUSES, Flow
from chorale.flows.tasks import process_flow
from chorale.lifecycle.validation import validations_expire
from chorale.lifecycle.works import works_expire


def _waiting(task, key: str) -> set[int]:
    """Ids already in a task that waits to run (ready, or deferred to later)."""
    rows = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=task.module_path
    ).values_list("args_kwargs", flat=True)
    return {row.get("kwargs", {}).get(key) for row in rows}


def resume_stuck(older_than: int = 600) -> dict[str, int]:
    """Queue again the flows and deliveries left unfinished: a flow being processed whose
    worker has not renewed its lease for CHORALE_FLOW_LEASE_SECONDS (its worker died), a flow
    never started and a delivery not tried for `older_than` seconds; and move on the invoices
    whose validator kept silent for 15 days."""
    now = timezone.now()
    limit = now - datetime.timedelta(seconds=older_than)
    lease = now - datetime.timedelta(seconds=settings.CHORALE_FLOW_LEASE_SECONDS)
    flows = set(
        Flow.objects.exclude(status__in=FINAL_STATUSES)
        .filter(Q(heartbeat_at__lt=lease) | Q(heartbeat_at__isnull=True, created_at__lt=limit))
        .values_list("pk", flat=True)
    ) - _waiting(process_flow, "flow_id")
    for flow_id in sorted(flows):
        enqueue(process_flow, flow_id=flow_id)
    deliveries = set(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(
            Q(next_attempt_at__lt=limit) | Q(next_attempt_at__isnull=True, created_at__lt=limit)
        )
        .values_list("pk", flat=True)
    ) - _waiting(deliver_webhook, "delivery_id")
    for delivery_id in sorted(deliveries):
        enqueue(deliver_webhook, delivery_id=delivery_id)
    # Invoices of a validation circuit left unanswered 15 days go on (tacit validation).
    tacit = validations_expire(now)
    # Works pieces: the MOE's 7 days, the supplier's 30 days to sign the décompte général.
    works = works_expire(now)
    return {
        "flows": len(flows),
        "deliveries": len(deliveries),
        "tacit_validations": tacit,
        "works_deadlines": works,
    }
