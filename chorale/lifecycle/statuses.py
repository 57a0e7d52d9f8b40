"""Who may move an invoice from one status to another (the one transition table), the French
reform codes (200-213) of the statuses. The statuses themselves live with InvoiceRecord
(chorale.invoicing.models.Status, re-exported here)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from chorale.invoicing.models import Status

__all__ = ["DIRECT_WORKS_FRAMES", "FINAL_FRAMES", "MOA", "MOE", "MONTHLY_FRAMES", "RECIPIENT",
           "REFORM_CODES", "REFORM_LABELS", "SUPPLIER", "SYSTEM", "TRANSITIONS",
           "VALIDATED_FRAMES", "VALIDATION", "VALIDATOR", "WORKS_FRAMES", "WORKS_STATUSES", "Move",
           "Status", "delay_starts", "next_statuses"]  # fmt: skip


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
MOE, MOA = "moe", "moa"  # the works pieces' maître d'œuvre and maître d'ouvrage


@dataclass(frozen=True)
class Move:
    side: str
    reason_required: bool = False
    payment_order_required: bool = False
    also: str = ""  # a second side that may make this move (the system, when a delay runs out)

    def allows(self, side: str) -> bool:
        return side in (self.side, self.also)


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


# Works pieces a supplier deposits (procurement.md §2.1): projets de décompte mensuel and état
# d'acompte (titulaire, sous-traitant, cotraitant), projets de décompte final.
MONTHLY_FRAMES = ("A4", "A5", "A10", "A13")
FINAL_FRAMES = ("A7", "A11", "A14")
WORKS_FRAMES = MONTHLY_FRAMES + FINAL_FRAMES
# Works pieces a company sends straight to the financial service, the contract's MOE and MOA
# seeing them: an état d'acompte validated outside the platform (A6), the signed DGD (A8).
DIRECT_WORKS_FRAMES = ("A6", "A8")


def _asks(side: str) -> dict[str, Move]:
    """What the MOE or the MOA may ask the company instead of deciding: to complete the piece
    (its answer brings it back), or to recycle it (wrong contract, recipient or service)."""
    return {
        Status.TO_COMPLETE_WORKS: Move(side, reason_required=True),
        Status.TO_RECYCLE_WORKS: Move(side, reason_required=True),
    }


def _works_moves() -> dict[str, dict[str, Move]]:
    """MOE → MOA → (financial service | the supplier's signature of the décompte général)."""
    moe: dict[str, Move] = {
        Status.TO_MOA: Move(MOE),  # its état d'acompte / projet de décompte général
        Status.DEPOSITED: Move(MOE),  # the buyer its own MOE: its état d'acompte is payable
        Status.REFUSED_MOE: Move(MOE, reason_required=True),
        Status.MOE_LATE: Move(SYSTEM),  # 7 days without an answer
        **_asks(MOE),
    }
    moa: dict[str, Move] = {
        Status.DEPOSITED: Move(MOA),  # état d'acompte validé: to the financial service
        Status.TO_SUPPLIER: Move(MOA),  # décompte général: to the supplier to sign
        Status.REFUSED_MOA: Move(MOA, reason_required=True),
        **_asks(MOA),
    }
    # CCAG 12.4.4: no décompte général 30 days on, the company notifies its own projet (A22).
    tacit: dict[str, Move] = {Status.REPLACED_BY_A22: Move(SUPPLIER)}
    return {
        Status.TO_MOE: {Status.TAKEN_MOE: Move(MOE), **moe, **tacit},
        Status.TAKEN_MOE: {**moe, **tacit},
        Status.MOE_LATE: {Status.AVAILABLE_MOA: Move(SYSTEM)},
        Status.TO_MOA: {Status.TAKEN_MOA: Move(MOA), **moa, **tacit},
        Status.AVAILABLE_MOA: {Status.TAKEN_MOA: Move(MOA), **moa, **tacit},
        Status.TAKEN_MOA: {**moa, **tacit},
        # the MOA signs its décompte général within 10 days, or the company's projet becomes
        # the décompte général et définitif (A23)
        Status.REPLACED_BY_A22: {
            Status.TO_SUPPLIER: Move(MOA),
            Status.WORKS_ACCEPTED: Move(SYSTEM),
        },
        Status.TO_SUPPLIER: {
            Status.WORKS_ACCEPTED: Move(SUPPLIER, also=SYSTEM),  # signed, or 30 days silent
            Status.REFUSED_SUPPLIER: Move(SUPPLIER, reason_required=True),
        },
        # the company's answer goes back to whoever asked; a recycled piece to its new MOE
        Status.TO_COMPLETE_WORKS: {
            Status.TO_MOE: Move(SUPPLIER),
            Status.AVAILABLE_MOA: Move(SUPPLIER),
        },
        Status.TO_RECYCLE_WORKS: {Status.TO_MOE: Move(SUPPLIER)},
        Status.WORKS_ACCEPTED: {Status.DEPOSITED: Move(SYSTEM)},
        Status.REFUSED_MOE: {},
        Status.REFUSED_MOA: {},
        Status.REFUSED_SUPPLIER: {},
    }


WORKS_STATUSES = tuple(_works_moves())


def delay_starts(frame: str) -> tuple[str, ...]:
    """The statuses whose first event starts an invoice's délai global de paiement: the buyer
    told it is available; for a monthly works piece its receipt by the MOE (CCP R2192-12, the
    contract naming the MOE), for the balance its DGD received by the MOA (R2192-16)."""
    if frame in MONTHLY_FRAMES:
        return (Status.TO_MOE, Status.AVAILABLE)
    if frame in FINAL_FRAMES:
        return (Status.WORKS_ACCEPTED,)
    return (Status.AVAILABLE,)


# The one transition table: from a status, the statuses reachable and by whom.
TRANSITIONS: dict[str, dict[str, Move]] = {
    **_validation_moves(),
    **_works_moves(),
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
