"""The transition table, exhaustively: every status by every target status by every side
(supplier, recipient, the platform) is either allowed — with its reason or payment order
number when one is required — or refused as « transition_not_allowed ». The allowed moves are
written out here from MISSION §4, not read from the table under test."""

import itertools

import pytest

from chorale.core.errors import BusinessError
from chorale.invoicing.models import InvoiceRecord, Status
from chorale.lifecycle.services import invoice_transition
from chorale.lifecycle.statuses import MOA, MOE, RECIPIENT, SUPPLIER, SYSTEM, VALIDATOR
from conftest import make_invoice, make_structure, make_user

S = Status
PROCESSING = {S.SUSPENDED, S.REJECTED, S.TO_RECYCLE, S.SERVICE_DONE, S.PAYMENT_ORDERED,
              S.WITH_ACCOUNTANT, S.BOOKED, S.PAID}  # fmt: skip
AFTER_SERVICE_DONE = PROCESSING - {S.TO_RECYCLE, S.SERVICE_DONE}
ALLOWED = {
    (S.DRAFT, S.DEPOSITED): SUPPLIER,
    (S.DEPOSITED, S.ROUTING): SYSTEM,
    (S.ROUTING, S.AVAILABLE): SYSTEM,
    **{(S.AVAILABLE, target): RECIPIENT for target in PROCESSING | {S.ACKNOWLEDGED}},
    **{(S.ACKNOWLEDGED, target): RECIPIENT for target in PROCESSING},
    (S.SUSPENDED, S.REJECTED): RECIPIENT,
    (S.SUSPENDED, S.COMPLETED): SUPPLIER,
    **{(S.COMPLETED, target): RECIPIENT for target in PROCESSING | {S.ACKNOWLEDGED}},
    (S.TO_RECYCLE, S.ROUTING): SUPPLIER,
    **{(S.SERVICE_DONE, target): RECIPIENT for target in AFTER_SERVICE_DONE},
    **{(S.PAYMENT_ORDERED, t): RECIPIENT for t in (S.WITH_ACCOUNTANT, S.BOOKED, S.PAID)},
    (S.WITH_ACCOUNTANT, S.BOOKED): RECIPIENT,
    (S.WITH_ACCOUNTANT, S.PAID): RECIPIENT,
    (S.BOOKED, S.PAID): RECIPIENT,
    # validation circuits (procurement.md §1.3)
    (S.TO_VALIDATE_1, S.VALIDATED_1): VALIDATOR,
    (S.TO_VALIDATE_1, S.REFUSED_1): VALIDATOR,
    (S.TO_VALIDATE_1, S.WRONG_VALIDATOR_1): VALIDATOR,
    (S.TO_VALIDATE_1, S.TACIT_1): SYSTEM,
    (S.WRONG_VALIDATOR_1, S.TO_VALIDATE_1): SUPPLIER,
    (S.VALIDATED_1, S.TO_VALIDATE_2): SYSTEM,
    (S.VALIDATED_1, S.DEPOSITED): SYSTEM,
    (S.TACIT_1, S.TO_VALIDATE_2): SYSTEM,
    (S.TACIT_1, S.DEPOSITED): SYSTEM,
    (S.TO_VALIDATE_2, S.VALIDATED_2): VALIDATOR,
    (S.TO_VALIDATE_2, S.REFUSED_2): VALIDATOR,
    (S.TO_VALIDATE_2, S.WRONG_VALIDATOR_2): VALIDATOR,
    (S.TO_VALIDATE_2, S.TACIT_2): SYSTEM,
    (S.WRONG_VALIDATOR_2, S.TO_VALIDATE_2): SUPPLIER,
    (S.VALIDATED_2, S.DEPOSITED): SYSTEM,
    (S.TACIT_2, S.DEPOSITED): SYSTEM,
    # works pieces (procurement.md §2; docs/works-invoices.md): MOE, then MOA, then payment or
    # the company's signature of the décompte général
    (S.TO_MOE, S.TAKEN_MOE): MOE,
    **{
        (w, t): MOE
        for w in (S.TO_MOE, S.TAKEN_MOE)
        for t in (S.TO_MOA, S.REFUSED_MOE, S.DEPOSITED)  # DEPOSITED: the buyer its own MOE
    },
    (S.TO_MOE, S.MOE_LATE): SYSTEM,
    (S.TAKEN_MOE, S.MOE_LATE): SYSTEM,
    (S.MOE_LATE, S.AVAILABLE_MOA): SYSTEM,
    (S.TO_MOA, S.TAKEN_MOA): MOA,
    (S.AVAILABLE_MOA, S.TAKEN_MOA): MOA,
    **{
        (w, t): MOA
        for w in (S.TO_MOA, S.AVAILABLE_MOA, S.TAKEN_MOA)
        for t in (S.DEPOSITED, S.TO_SUPPLIER, S.REFUSED_MOA)
    },
    (S.TO_SUPPLIER, S.WORKS_ACCEPTED): (SUPPLIER, SYSTEM),  # signed, or 30 days silent
    (S.TO_SUPPLIER, S.REFUSED_SUPPLIER): SUPPLIER,
    (S.WORKS_ACCEPTED, S.DEPOSITED): SYSTEM,
    # the tacit procedure (CCAG 12.4.4): the company's projet de décompte général, then the
    # MOA's décompte général within 10 days or the company's becomes definitive
    **{
        (w, S.REPLACED_BY_A22): SUPPLIER
        for w in (S.TO_MOE, S.TAKEN_MOE, S.TO_MOA, S.AVAILABLE_MOA, S.TAKEN_MOA)
    },
    (S.REPLACED_BY_A22, S.TO_SUPPLIER): MOA,
    (S.REPLACED_BY_A22, S.WORKS_ACCEPTED): SYSTEM,
    # instead of deciding, the MOE or the MOA asks the company to complete or recycle the piece;
    # its answer goes back to whoever asked, a recycled piece to its (new) MOE
    **{
        (w, t): MOE
        for w in (S.TO_MOE, S.TAKEN_MOE)
        for t in (S.TO_COMPLETE_WORKS, S.TO_RECYCLE_WORKS)
    },
    **{
        (w, t): MOA
        for w in (S.TO_MOA, S.AVAILABLE_MOA, S.TAKEN_MOA)
        for t in (S.TO_COMPLETE_WORKS, S.TO_RECYCLE_WORKS)
    },
    (S.TO_COMPLETE_WORKS, S.TO_MOE): SUPPLIER,
    (S.TO_COMPLETE_WORKS, S.AVAILABLE_MOA): SUPPLIER,
    (S.TO_RECYCLE_WORKS, S.TO_MOE): SUPPLIER,
}
NEEDS_REASON = {S.SUSPENDED, S.REJECTED, S.TO_RECYCLE, S.COMPLETED, S.REFUSED_1, S.REFUSED_2,
                S.WRONG_VALIDATOR_1, S.WRONG_VALIDATOR_2, S.REFUSED_MOE, S.REFUSED_MOA,
                S.REFUSED_SUPPLIER, S.TO_COMPLETE_WORKS, S.TO_RECYCLE_WORKS}  # fmt: skip
SIDES = (SUPPLIER, RECIPIENT, SYSTEM, VALIDATOR, MOE, MOA)


@pytest.fixture
def invoice(db):
    supplier = make_structure(make_user("f@example.test"), identifier="98765432400019")
    recipient = make_structure(
        make_user("a@example.test"), identifier="21990123800010", is_private=False
    )
    return make_invoice(supplier, recipient)


def attempt(invoice, current, target, side, **given) -> str:
    InvoiceRecord.objects.filter(pk=invoice.pk).update(status=current)
    try:
        invoice_transition(invoice_id=invoice.pk, to_status=target, side=side, **given)
    except BusinessError as error:
        return error.code
    assert InvoiceRecord.objects.get(pk=invoice.pk).status == target
    return "ok"


def test_every_status_target_and_side(invoice):
    complete = {"reason": "Motif", "payment_order_number": "M-2026-1"}
    checked = 0
    for current, target, side in itertools.product(S, S, SIDES):
        sides = ALLOWED.get((current, target), ())
        allowed = side in ((sides,) if isinstance(sides, str) else sides)
        outcome = attempt(invoice, current, target, side, **complete)
        assert outcome == ("ok" if allowed else "transition_not_allowed"), (current, target, side)
        if allowed and target in NEEDS_REASON:
            assert attempt(invoice, current, target, side) == "reason_required"
        if allowed and target == S.PAYMENT_ORDERED:
            assert attempt(invoice, current, target, side, reason="x") == "payment_order_required"
        checked += 1
    assert checked == len(S) ** 2 * len(SIDES)
    assert len(ALLOWED) == 60 + 29 + 15


def test_the_database_refuses_an_unknown_status(invoice):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceRecord.objects.filter(pk=invoice.pk).update(status="INVENTE")
