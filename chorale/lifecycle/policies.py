"""Who may do what with an invoice: one place for the selectors, the life-cycle services, the
portal and the API. A person acts for a side of an invoice through the espace that side opens
to them, approved: « Factures émises » of its supplier structure, « Factures reçues » of its
recipient structure (once the invoice has reached it), « Factures à valider » of a structure
that validates it (cadres A9, A12), « Factures de travaux » of the maître d'œuvre or maître
d'ouvrage of a works piece's contract. Membership alone grants nothing."""

import datetime
from typing import Any

from django.utils import timezone

from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Space, SpaceSubscription

from .statuses import (
    FINAL_FRAMES,
    MOA,
    MOE,
    RECIPIENT,
    SUPPLIER,
    VALIDATED_FRAMES,
    VALIDATION,
    VALIDATOR,
    WORKS_STATUSES,
    Status,
    next_statuses,
)

# Statuses in which an invoice has not reached its recipient yet: a draft, one in its validation
# circuit (A9, A12), one being routed.
NOT_YET_RECEIVED = (
    Status.DRAFT, Status.DEPOSITED, Status.ROUTING,
    *(status for statuses in VALIDATION.values() for status in statuses),
    *WORKS_STATUSES,
)  # fmt: skip
# What the works actors decide on, by status (the piece awaits them).
WORKS_WAITING = {
    MOE: (Status.TO_MOE, Status.TAKEN_MOE),
    MOA: (Status.TO_MOA, Status.AVAILABLE_MOA, Status.TAKEN_MOA, Status.REPLACED_BY_A22),
}
MOA_DG_DAYS = 30  # CCAG Travaux 12.4.2: the MOA's time to notify the décompte général
AWAITING: dict[str, int] = {statuses[0]: rank for rank, statuses in VALIDATION.items()}

ABILITIES = (
    "see",  # its page, its history, the lists
    "download",  # the file deposited, its PDF, its attachments
    "process",  # the recipient's actions (suspendre, rejeter, service fait, mandater…)
    "complete",  # « Compléter » a suspended invoice
    "recycle",  # « Recycler » an invoice to recycle
    "acknowledge_rejection",  # « rejet traité »
    "comment",  # a sollicitation about it
    "validate",  # the validator's decision (cadres A9, A12), when its rank is awaited
    "correct_validator",  # the supplier names another validator after « mauvais valideur »
    "works_decide",  # the MOE's or MOA's decision on a works piece awaiting it
    "works_sign",  # the supplier signs or disputes the décompte général
    "works_tacit",  # the supplier notifies its projet de décompte général (procédure tacite)
    "works_complete",  # the supplier answers the MOE's or MOA's request to complete
    "works_recycle",  # the supplier readdresses a piece its MOE or MOA sent back
)


def invoice_sides(user: Any, invoice: InvoiceRecord) -> frozenset[str]:
    """The sides of the invoice the user acts for (one query)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    validators = validator_structures(invoice)
    works = works_structures(invoice)
    structures = [pk for pk in (invoice.supplier_id, invoice.recipient_id) if pk] + validators
    opened = set(
        SpaceSubscription.objects.filter(
            membership__user=user,
            membership__structure_id__in=structures + list(works.values()),
            is_approved=True,
            space__in=(
                Space.INVOICES_SENT,
                Space.INVOICES_RECEIVED,
                Space.INVOICES_TO_VALIDATE,
                Space.WORKS,
            ),
        ).values_list("membership__structure_id", "space")
    )
    sides = {role for role, pk in works.items() if (pk, Space.WORKS) in opened}
    if any((pk, Space.INVOICES_TO_VALIDATE) in opened for pk in validators):
        sides.add(VALIDATOR)
    if (invoice.supplier_id, Space.INVOICES_SENT) in opened:
        sides.add(SUPPLIER)
    if (invoice.recipient_id, Space.INVOICES_RECEIVED) in opened and (
        invoice.status not in NOT_YET_RECEIVED
    ):
        sides.add(RECIPIENT)
    return frozenset(sides)


def works_structures(invoice: InvoiceRecord) -> dict[str, int]:
    """A works piece's maître d'œuvre and maître d'ouvrage (structure ids), by side."""
    contract = invoice.works_contract if invoice.works_contract_id else None
    return {MOE: contract.moe_id, MOA: contract.moa_id} if contract is not None else {}


def validator_structures(invoice: InvoiceRecord) -> list[int]:
    """The structures that validate this invoice, by rank (none outside cadres A9, A12)."""
    if invoice.frame not in VALIDATED_FRAMES:
        return []
    return list(invoice.validations.order_by("rank").values_list("structure_id", flat=True))


def awaited_validator(invoice: InvoiceRecord) -> int | None:
    """The structure whose decision the invoice waits for now, if any."""
    rank = AWAITING.get(invoice.status)
    if rank is None:
        return None
    return invoice.validations.filter(rank=rank).values_list("structure_id", flat=True).first()


def may_validate(user: Any, invoice: InvoiceRecord) -> bool:
    awaited = awaited_validator(invoice)
    return (
        awaited is not None
        and SpaceSubscription.objects.filter(
            membership__user=user,
            membership__structure_id=awaited,
            is_approved=True,
            space=Space.INVOICES_TO_VALIDATE,
        ).exists()
    )


def invoice_abilities(
    user: Any, invoice: InvoiceRecord, sides: frozenset[str] | None = None
) -> dict[str, bool]:
    """What the user may do with the invoice now, by ability (see ABILITIES), plus the sides
    they act for (`supplier`, `recipient`)."""
    sides = invoice_sides(user, invoice) if sides is None else sides
    supplier, recipient, validator = SUPPLIER in sides, RECIPIENT in sides, VALIDATOR in sides
    works = MOE in sides or MOA in sides
    status = invoice.status
    return {
        SUPPLIER: supplier,
        RECIPIENT: recipient,
        VALIDATOR: validator,
        MOE: MOE in sides,
        MOA: MOA in sides,
        "see": supplier or recipient or validator or works,
        "download": supplier or recipient or validator or works,
        "process": recipient and bool(next_statuses(status, RECIPIENT)),
        "complete": supplier and status == Status.SUSPENDED,
        "recycle": supplier and status == Status.TO_RECYCLE,
        "acknowledge_rejection": supplier and status == Status.REJECTED,
        "comment": supplier or recipient,
        "validate": validator and may_validate(user, invoice),
        "correct_validator": supplier
        and status in (Status.WRONG_VALIDATOR_1, Status.WRONG_VALIDATOR_2),
        "works_decide": any(
            role in sides and status in waiting for role, waiting in WORKS_WAITING.items()
        ),
        "works_sign": supplier and status == Status.TO_SUPPLIER,
        "works_tacit": supplier and tacit_open(invoice),
        "works_complete": supplier and status == Status.TO_COMPLETE_WORKS,
        "works_recycle": supplier and status == Status.TO_RECYCLE_WORKS,
    }


def tacit_open(invoice: InvoiceRecord) -> bool:
    """A final draft still without its décompte général 30 days after its deposit: the company
    may start the tacit procedure (CCAG Travaux 12.4.4)."""
    waiting = (*WORKS_WAITING[MOE], *WORKS_WAITING[MOA])
    return (
        invoice.frame in FINAL_FRAMES
        and invoice.status in waiting
        and invoice.status != Status.REPLACED_BY_A22
        and invoice.created_at <= timezone.now() - datetime.timedelta(days=MOA_DG_DAYS)
    )
