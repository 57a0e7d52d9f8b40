"""A flow an EDI connection sent gets its compte rendu once judged, and invoice status changes
reach the connections concerned (returns.py) — both after the commit that records them: a
connection never hears of a flow or a status rolled back."""

from django.db import transaction
from django.db.models.signals import post_save

from chorale.core.tracing import enqueue
from chorale.flows.models import FINAL_STATUSES, Channel, Flow
from chorale.lifecycle.models import InvoiceEvent
from chorale.lifecycle.signals import events_written

from .models import Connection


def _on_flow_saved(sender, instance: Flow, **kwargs) -> None:
    if (
        instance.channel == Channel.EDI
        and instance.status in FINAL_STATUSES
        and instance.processed_at
    ):
        from .files import report_write

        transaction.on_commit(lambda: report_write(instance))


def _on_invoice_events(sender, events: list[InvoiceEvent], **kwargs) -> None:
    """Statuses and received invoices for the connections, once the change commits."""
    ids = [event.pk for event in events if event.reform_code is not None]
    if ids and Connection.objects.exists():
        from .returns import send_events

        transaction.on_commit(lambda: enqueue(send_events, event_ids=ids))


def connect() -> None:
    post_save.connect(_on_flow_saved, sender=Flow, dispatch_uid="edi.flow_report")
    events_written.connect(_on_invoice_events, dispatch_uid="edi.invoice_events")
