"""What the maître d'œuvre or d'ouvrage asks of the company instead of deciding: to complete a
piece (the payment delay is suspended, the answer goes back to whoever asked) or to recycle it
(wrong contract, recipient or service: readdressed, checked as at deposit, to the new MOE)."""

import pytest

from chorale.core.errors import BusinessError
from chorale.engagements.models import WorksContract
from chorale.flows.tests.test_works import deposit, works  # noqa: F401
from chorale.invoicing.models import InvoiceRecord
from chorale.invoicing.tests.factories import RECIPIENT_SIRET
from chorale.lifecycle.models import WorksStep
from chorale.lifecycle.policies import invoice_abilities
from chorale.lifecycle.selectors import payment_delays
from chorale.lifecycle.statuses import MOA, MOE, Status
from chorale.lifecycle.works import works_ask, works_complete, works_decide
from chorale.routing.services import works_recycle
from chorale.structures.models import Structure
from conftest import make_structure, make_user


def test_a_request_to_complete_suspends_the_delay_and_goes_back_to_who_asked(works):  # noqa: F811
    piece, _ = deposit(works)
    architect, buyer, company = works["architecte"], works["acheteur"], works["entreprise"]
    with pytest.raises(BusinessError) as silent:  # what is missing must be said
        works_ask(
            user=architect, invoice_id=piece.pk, role=MOE, action="DEMANDE_COMPLEMENT", reason=""
        )
    assert silent.value.code == "reason_required"
    piece = works_decide(
        user=architect, invoice_id=piece.pk, role=MOE, action="DEMANDE_COMPLEMENT",
        comment="Joindre l'attachement des quantités",
    )  # fmt: skip
    assert piece.status == Status.TO_COMPLETE_WORKS
    assert payment_delays([piece])[piece.pk].state == "INTERROMPU"
    assert invoice_abilities(company, piece)["works_complete"] is True
    for user in (architect, buyer, works["autre"]):  # only the company answers
        assert invoice_abilities(user, piece)["works_complete"] is False
        with pytest.raises(BusinessError):
            works_complete(user=user, invoice_id=piece.pk, comment="Voici")
    with pytest.raises(BusinessError) as empty:
        works_complete(user=company, invoice_id=piece.pk, comment="  ")
    assert empty.value.code == "reason_required"
    piece = works_complete(user=company, invoice_id=piece.pk, comment="Attachement joint")
    assert piece.status == Status.TO_MOE  # back to the MOE, whose 7 days start again
    assert payment_delays([piece])[piece.pk].state == "EN_COURS"
    # the MOA asks in its turn: the answer comes back to the MOA
    works_decide(user=architect, invoice_id=piece.pk, role=MOE, action="VALIDATION")
    works_ask(
        user=buyer, invoice_id=piece.pk, role=MOA, action="DEMANDE_COMPLEMENT",
        reason="Caution bancaire manquante",
    )  # fmt: skip
    piece = works_complete(user=company, invoice_id=piece.pk, comment="Caution jointe")
    assert piece.status == Status.AVAILABLE_MOA
    assert list(WorksStep.objects.values_list("role", "decision")) == [
        (MOE, Status.TO_COMPLETE_WORKS),
        ("supplier", Status.TO_MOE),
        (MOE, Status.TO_MOA),
        (MOA, Status.TO_COMPLETE_WORKS),
        ("supplier", Status.AVAILABLE_MOA),
    ]
    with pytest.raises(BusinessError) as twice:  # already answered
        works_complete(user=company, invoice_id=piece.pk, comment="Encore")
    assert twice.value.code == "not_awaited"


def test_a_piece_to_recycle_is_readdressed_to_the_right_contract_and_moe(works):  # noqa: F811
    piece, _ = deposit(works)
    company, architect = works["entreprise"], works["architecte"]
    # the company's other contract with the same buyer, another architect its MOE
    other_moe_user = make_user("bet@example.test")
    other_moe = make_structure(other_moe_user, identifier="73282932000074")
    buyer = Structure.objects.get(identifier=RECIPIENT_SIRET)
    right = WorksContract.objects.create(
        buyer=buyer, number="MT-2026-02", label="Piscine", moa=buyer, moe=other_moe
    )
    right.suppliers.add(works["supplier"])
    works_ask(
        user=architect, invoice_id=piece.pk, role=MOE, action="DEMANDE_RECYCLAGE",
        reason="Ce projet relève du marché de la piscine",
    )  # fmt: skip
    piece.refresh_from_db()
    assert piece.status == Status.TO_RECYCLE_WORKS
    assert invoice_abilities(company, piece)["works_recycle"] is True
    with pytest.raises(BusinessError) as stranger:
        works_recycle(
            user=works["autre"], invoice_id=piece.pk, recipient_siret=RECIPIENT_SIRET,
            market_number="MT-2026-02",
        )  # fmt: skip
    assert stranger.value.code == "not_found"
    for siret, market, code in (
        ("12345678900000", "MT-2026-02", "recipient_unknown"),
        (RECIPIENT_SIRET, "MT-1999-99", "works_contract_unknown"),
    ):
        with pytest.raises(BusinessError) as wrong:
            works_recycle(
                user=company, invoice_id=piece.pk, recipient_siret=siret, market_number=market
            )
        assert wrong.value.code == code
    piece.refresh_from_db()  # a refused readdressing changes nothing
    assert (piece.status, piece.works_contract_id) == (
        Status.TO_RECYCLE_WORKS,
        works["contract"].pk,
    )
    piece = works_recycle(
        user=company, invoice_id=piece.pk, recipient_siret=RECIPIENT_SIRET,
        market_number="MT-2026-02",
    )  # fmt: skip
    assert (piece.status, piece.works_contract_id) == (Status.TO_MOE, right.pk)
    assert invoice_abilities(other_moe_user, piece)["works_decide"] is True
    assert invoice_abilities(architect, piece)["see"] is False  # no longer its piece
    with pytest.raises(BusinessError):
        works_decide(user=architect, invoice_id=piece.pk, role=MOE, action="VALIDATION")


def test_requests_are_the_awaited_actors_and_not_on_the_companys_projet(works):  # noqa: F811
    from chorale.lifecycle.works import works_tacit_start

    piece, _ = deposit(works, number="PDF-R", frame="A7")
    buyer, company = works["acheteur"], works["entreprise"]
    with pytest.raises(BusinessError) as early:  # the MOE's turn
        works_ask(user=buyer, invoice_id=piece.pk, role=MOA, action="DEMANDE_RECYCLAGE", reason="x")
    assert early.value.code == "not_awaited"
    InvoiceRecord.objects.filter(pk=piece.pk).update(
        created_at=piece.created_at.replace(year=piece.created_at.year - 1)
    )
    works_tacit_start(user=company, invoice_id=piece.pk, amount="125")
    with pytest.raises(BusinessError) as tacit:
        works_ask(
            user=buyer, invoice_id=piece.pk, role=MOA, action="DEMANDE_COMPLEMENT", reason="x"
        )
    assert tacit.value.code == "not_awaited"
