"""Routing: an accepted invoice reaches its recipient's inbox (the service it names, if any)."""

from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.services import invoice_transition
from chorale.lifecycle.statuses import SYSTEM, Status


def invoice_route(invoice: InvoiceRecord) -> InvoiceRecord:
    """Déposée → En cours d'acheminement → Mise à disposition, each step an event."""
    for step in (Status.ROUTING, Status.AVAILABLE):
        invoice = invoice_transition(invoice_id=invoice.pk, to_status=step, side=SYSTEM)
    return invoice
