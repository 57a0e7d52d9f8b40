"""A flow an EDI connection sent gets its compte rendu in the connection's `retour/` once
judged (after the commit that records it: a report never speaks of a flow rolled back)."""

from django.db import transaction
from django.db.models.signals import post_save

from chorale.flows.models import FINAL_STATUSES, Channel, Flow


def _on_flow_saved(sender, instance: Flow, **kwargs) -> None:
    if (
        instance.channel == Channel.EDI
        and instance.status in FINAL_STATUSES
        and instance.processed_at
    ):
        from .files import report_write

        transaction.on_commit(lambda: report_write(instance))


def connect() -> None:
    post_save.connect(_on_flow_saved, sender=Flow, dispatch_uid="edi.flow_report")
