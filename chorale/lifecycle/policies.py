"""Who may do what with an invoice: one place for the selectors, the life-cycle services, the
portal and the API. A person acts for a side of an invoice through the espace that side opens
to them, approved: « Factures émises » of its supplier structure, « Factures reçues » of its
recipient structure (once the invoice has reached it). Membership alone grants nothing."""

from typing import Any

from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Space, SpaceSubscription

from .statuses import RECIPIENT, SUPPLIER, Status, next_statuses

# Statuses in which an invoice has not reached its recipient yet.
NOT_YET_RECEIVED = (Status.DRAFT, Status.DEPOSITED, Status.ROUTING)

ABILITIES = (
    "see",  # its page, its history, the lists
    "download",  # the file deposited, its PDF, its attachments
    "process",  # the recipient's actions (suspendre, rejeter, service fait, mandater…)
    "complete",  # « Compléter » a suspended invoice
    "recycle",  # « Recycler » an invoice to recycle
    "acknowledge_rejection",  # « rejet traité »
    "comment",  # a sollicitation about it
)


def invoice_sides(user: Any, invoice: InvoiceRecord) -> frozenset[str]:
    """The sides of the invoice the user acts for (one query)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    structures = [pk for pk in (invoice.supplier_id, invoice.recipient_id) if pk]
    opened = set(
        SpaceSubscription.objects.filter(
            membership__user=user,
            membership__structure_id__in=structures,
            is_approved=True,
            space__in=(Space.INVOICES_SENT, Space.INVOICES_RECEIVED),
        ).values_list("membership__structure_id", "space")
    )
    sides = set()
    if (invoice.supplier_id, Space.INVOICES_SENT) in opened:
        sides.add(SUPPLIER)
    if (invoice.recipient_id, Space.INVOICES_RECEIVED) in opened and (
        invoice.status not in NOT_YET_RECEIVED
    ):
        sides.add(RECIPIENT)
    return frozenset(sides)


def invoice_abilities(
    user: Any, invoice: InvoiceRecord, sides: frozenset[str] | None = None
) -> dict[str, bool]:
    """What the user may do with the invoice now, by ability (see ABILITIES), plus the sides
    they act for (`supplier`, `recipient`)."""
    sides = invoice_sides(user, invoice) if sides is None else sides
    supplier, recipient = SUPPLIER in sides, RECIPIENT in sides
    status = invoice.status
    return {
        SUPPLIER: supplier,
        RECIPIENT: recipient,
        "see": supplier or recipient,
        "download": supplier or recipient,
        "process": recipient and bool(next_statuses(status, RECIPIENT)),
        "complete": supplier and status == Status.SUSPENDED,
        "recycle": supplier and status == Status.TO_RECYCLE,
        "acknowledge_rejection": supplier and status == Status.REJECTED,
        "comment": supplier or recipient,
    }
