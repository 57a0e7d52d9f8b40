"""Who may move an invoice from one status to another (the one transition table), the French
reform codes (200-213) of the statuses. The statuses themselves live with InvoiceRecord
(chorale.invoicing.models.Status, re-exported here)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from chorale.invoicing.models import Status

__all__ = ["RECIPIENT", "REFORM_CODES", "REFORM_LABELS", "SUPPLIER", "SYSTEM", "TRANSITIONS",
           "VALIDATED_FRAMES", "VALIDATION", "VALIDATOR", "Move", "Status",
           "next_statuses"]  # fmt: skip


# French 2026 reform life-cycle codes (chorus-api.md §5), where a status has one.
REFORM_CODES: dict[str, int] = {
    Status.DEPOSITED: 200,
    Status.ROUTING: 201,
    Status.AVAILABLE: 203,
    Status.ACKNOWLEDGED: 204,
    Status.SERVICE_DONE: 205,
    Status.PAYMENT_ORDERED: 205,
    Status.SUSPENDED: 208,
    Status.COMPLETED: 209,
    Status.REJECTED: 210,
    Status.PAID: 211,
}
REFORM_LABELS = {
    200: gettext_lazy(
"Déposée"
), 201: gettext_lazy(
"Émise par la plateforme"
), 202: gettext_lazy(
"Reçue par la plateforme"
),
    203: gettext_lazy(
"Mise à disposition"
), 204: gettext_lazy(
"Prise en charge"
), 205: gettext_lazy(
"Approuvée"
),
    206: gettext_lazy(
"Approuvée partiellement"
), 207: gettext_lazy(
"En litige"
), 208: gettext_lazy(
"Suspendue"
), 209: gettext_lazy(
"Complétée"
),
    210: gettext_lazy(
"Refusée"
), 211: gettext_lazy(
"Paiement transmis"
), 212: gettext_lazy(
"Encaissée"
), 213: gettext_lazy(
"Rejetée"
),
}  # fmt: skip

SYSTEM, SUPPLIER, RECIPIENT, VALIDATOR = "system", "supplier", "recipient", "validator"


@dataclass(frozen=True)
class Move:
    side: str
    reason_required: bool = False
    payment_order_required: bool = False


def _recipient_moves(*, with_acknowledgement: bool) -> dict[str, Move]:
    moves: dict[str, Move] = {
        Status.SUSPENDED: Move(RECIPIENT, reason_required=True),
        Status.REJECTED: Move(RECIPIENT, reason_required=True),
        Status.TO_RECYCLE: Move(RECIPIENT, reason_required=True),
        Status.SERVICE_DONE: Move(RECIPIENT),
        Status.PAYMENT_ORDERED: Move(RECIPIENT, payment_order_required=True),
        Status.WITH_ACCOUNTANT: Move(RECIPIENT),
        Status.BOOKED: Move(RECIPIENT),
        Status.PAID: Move(RECIPIENT),
    }
    if with_acknowledgement:
        moves[Status.ACKNOWLEDGED] = Move(RECIPIENT)
    return moves


VALIDATED_FRAMES = ("A9", "A12")  # sub-contractor and co-contractor invoices, validated first
# The validation circuits (cadres A9, A12; procurement.md §1.3), by rank of the validator: the
# status awaiting it, and those it leads to — validated, refused, wrong validator, no answer.
VALIDATION: dict[int, tuple[str, str, str, str, str]] = {
    1: (Status.TO_VALIDATE_1, Status.VALIDATED_1, Status.REFUSED_1, Status.WRONG_VALIDATOR_1,
        Status.TACIT_1),
    2: (Status.TO_VALIDATE_2, Status.VALIDATED_2, Status.REFUSED_2, Status.WRONG_VALIDATOR_2,
        Status.TACIT_2),
}  # fmt: skip


def _validation_moves() -> dict[str, dict[str, Move]]:
    moves: dict[str, dict[str, Move]] = {}
    for rank, (waiting, validated, refused, wrong, tacit) in VALIDATION.items():
        moves[waiting] = {
            validated: Move(VALIDATOR),
            refused: Move(VALIDATOR, reason_required=True),
            wrong: Move(VALIDATOR, reason_required=True),
            tacit: Move(SYSTEM),
        }
        moves[wrong] = {waiting: Move(SUPPLIER)}  # the supplier names the right validator
        moves[refused] = {}
        onward: dict[str, Move] = {Status.DEPOSITED: Move(SYSTEM)}
        if rank == 1:
            onward[Status.TO_VALIDATE_2] = Move(SYSTEM)
        moves[validated] = dict(onward)
        moves[tacit] = dict(onward)
    return moves


# The one transition table: from a status, the statuses reachable and by whom.
TRANSITIONS: dict[str, dict[str, Move]] = {
    **_validation_moves(),
    Status.DRAFT: {Status.DEPOSITED: Move(SUPPLIER)},
    Status.DEPOSITED: {Status.ROUTING: Move(SYSTEM)},
    Status.ROUTING: {Status.AVAILABLE: Move(SYSTEM)},
    Status.AVAILABLE: _recipient_moves(with_acknowledgement=True),
    Status.ACKNOWLEDGED: _recipient_moves(with_acknowledgement=False),
    Status.COMPLETED: _recipient_moves(with_acknowledgement=True),
    Status.SUSPENDED: {
        Status.COMPLETED: Move(SUPPLIER, reason_required=True),
        Status.REJECTED: Move(RECIPIENT, reason_required=True),
    },
    Status.TO_RECYCLE: {Status.ROUTING: Move(SUPPLIER)},
    Status.SERVICE_DONE: {
        Status.SUSPENDED: Move(RECIPIENT, reason_required=True),
        Status.REJECTED: Move(RECIPIENT, reason_required=True),
        Status.PAYMENT_ORDERED: Move(RECIPIENT, payment_order_required=True),
        Status.WITH_ACCOUNTANT: Move(RECIPIENT),
        Status.BOOKED: Move(RECIPIENT),
        Status.PAID: Move(RECIPIENT),
    },
    Status.PAYMENT_ORDERED: {
        Status.WITH_ACCOUNTANT: Move(RECIPIENT),
        Status.BOOKED: Move(RECIPIENT),
        Status.PAID: Move(RECIPIENT),
    },
    Status.WITH_ACCOUNTANT: {Status.BOOKED: Move(RECIPIENT), Status.PAID: Move(RECIPIENT)},
    Status.BOOKED: {Status.PAID: Move(RECIPIENT)},
    Status.REJECTED: {},
    Status.PAID: {},
}


def next_statuses(status: str, side: str) -> list[str]:
    """What `side` may move an invoice to from `status` (the « allowed next states »)."""
    return [target for target, move in TRANSITIONS.get(status, {}).items() if move.side == side]
