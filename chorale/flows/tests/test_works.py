"""Works pieces (« Factures de travaux »): the supplier's projet de décompte goes to the maître
d'œuvre, who turns it into its état d'acompte with the amount it admits, then to the maître
d'ouvrage, who validates it for payment or — for the final one — notifies the décompte général
the supplier signs; the CCAG deadlines; who may see and do what at each step."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from chorale.core.errors import BusinessError
from chorale.engagements.models import WorksContract
from chorale.flows.models import FlowItem
from chorale.flows.services import flow_deposit
from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from chorale.invoicing.formats import write_invoice
from chorale.invoicing.models import InvoiceRecord
from chorale.invoicing.tests.factories import sample_invoice
from chorale.lifecycle.models import WorksStep
from chorale.lifecycle.policies import invoice_abilities
from chorale.lifecycle.selectors import payment_delays
from chorale.lifecycle.statuses import MOA, MOE, Status
from chorale.lifecycle.works import works_decide, works_expire, works_sign, works_take
from conftest import make_structure, make_user

ARCHITECT = "44306184100047"


@pytest.fixture
def works(db):
    people = {
        name: make_user(f"{name}@example.test")
        for name in ("entreprise", "architecte", "acheteur", "autre")
    }
    supplier = make_structure(people["entreprise"], identifier=SUPPLIER_SIRET)
    architect = make_structure(people["architecte"], identifier=ARCHITECT)
    buyer = make_structure(people["acheteur"], identifier=RECIPIENT_SIRET, is_private=False)
    make_structure(people["autre"], identifier="35600000000048")
    contract = WorksContract.objects.create(
        buyer=buyer, number="MT-2026-01", label="Gymnase", moa=buyer, moe=architect
    )
    contract.suppliers.add(supplier)
    return {"supplier": supplier, "contract": contract, **people}


def deposit(
    works, number="PDM-1", frame="A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR", market="MT-2026-01"
):
    invoice = sample_invoice(number)  # 120,00 € TTC
    invoice.process_id, invoice.contract_reference = frame, market
    flow = flow_deposit(
        user=works["entreprise"],
        supplier=works["supplier"],
        filename=f"{number}.xml",
        content=write_invoice(invoice, "CII"),
        channel="API",
    )
    return InvoiceRecord.objects.filter(number=number).first(), FlowItem.objects.get(flow=flow)


def test_a_monthly_draft_goes_moe_then_moa_then_to_payment(works):
    piece, _ = deposit(works)
    assert (piece.status, piece.frame, piece.works_contract_id) == (
        Status.TO_MOE,
        "A4",
        works["contract"].pk,
    )
    assert piece.available_at is not None  # the MOE's receipt starts the payment delay
    buyer, architect = works["acheteur"], works["architecte"]
    assert invoice_abilities(buyer, piece)["recipient"] is False  # not yet received
    assert invoice_abilities(architect, piece)["works_decide"] is True
    assert invoice_abilities(buyer, piece)["works_decide"] is False  # the MOA waits its turn
    works_take(user=architect, invoice_id=piece.pk, role=MOE)
    piece = works_decide(
        user=architect, invoice_id=piece.pk, role=MOE, action="VALIDATION", amount="100,50",
        comment="Quantités de gros œuvre ramenées au constat",
    )  # fmt: skip
    assert piece.status == Status.TO_MOA
    piece = works_decide(user=buyer, invoice_id=piece.pk, role=MOA, action="VALIDATION")
    assert piece.status == Status.AVAILABLE
    steps = list(WorksStep.objects.values_list("role", "frame", "amount"))
    assert steps == [(MOE, "A15", Decimal("100.50")), (MOA, "A19", Decimal("100.50"))]
    assert invoice_abilities(buyer, piece)["recipient"] is True  # its financial service pays
    delay = payment_delays([piece])[piece.pk]
    assert delay.start == timezone.localdate(piece.available_at)


def test_the_final_draft_ends_with_the_suppliers_signature(works):
    piece, _ = deposit(works, number="PDF-1", frame="A7")
    architect, buyer, company = works["architecte"], works["acheteur"], works["entreprise"]
    works_decide(user=architect, invoice_id=piece.pk, role=MOE, action="VALIDATION")
    piece = works_decide(
        user=buyer, invoice_id=piece.pk, role=MOA, action="VALIDATION", amount="118"
    )
    assert piece.status == Status.TO_SUPPLIER and piece.available_at is None
    assert invoice_abilities(company, piece)["works_sign"] is True
    piece = works_sign(user=company, invoice_id=piece.pk, accept=True)
    assert piece.status == Status.AVAILABLE and piece.available_at is not None
    frames = list(WorksStep.objects.values_list("frame", flat=True))
    assert frames == ["A17", "A20", "A8"]
    assert WorksStep.objects.last().amount == Decimal("118.00")


def test_refusals_and_the_amount_rule(works):
    piece, _ = deposit(works)
    architect = works["architecte"]
    with pytest.raises(BusinessError) as refused:
        works_decide(
            user=architect, invoice_id=piece.pk, role=MOE, action="REFUS",
            reason_code="ERREUR_MONTANT",
        )  # fmt: skip
    assert refused.value.code == "amount_not_a_refusal"
    piece = works_decide(
        user=architect, invoice_id=piece.pk, role=MOE, action="REFUS",
        reason_code="REF_FAC_TRAVAUX",
    )  # fmt: skip
    assert piece.status == Status.REFUSED_MOE
    assert piece.events.last().reason == "Références de la facture de travaux erronées"
    with pytest.raises(BusinessError):  # nothing more to decide
        works_decide(user=architect, invoice_id=piece.pk, role=MOE, action="VALIDATION")


def test_each_actor_does_only_what_its_role_allows(works):
    piece, _ = deposit(works)
    for user, role in (
        (works["acheteur"], MOE),  # the MOA is not the MOE
        (works["entreprise"], MOE),
        (works["autre"], MOE),
        (works["architecte"], MOA),
    ):
        with pytest.raises(BusinessError):
            works_decide(user=user, invoice_id=piece.pk, role=role, action="VALIDATION")
    assert invoice_abilities(works["autre"], piece)["see"] is False
    with pytest.raises(BusinessError):
        works_sign(user=works["entreprise"], invoice_id=piece.pk, accept=True)
    assert InvoiceRecord.objects.get(pk=piece.pk).status == Status.TO_MOE


def test_deadlines_moe_silent_7_days_then_supplier_silent_30_days(works):
    piece, _ = deposit(works, number="PDF-2", frame="A7")
    later = timezone.now() + datetime.timedelta(days=8)
    assert works_expire(later) == 1
    piece.refresh_from_db()
    assert piece.status == Status.AVAILABLE_MOA
    statuses = list(piece.events.values_list("to_status", flat=True))
    assert Status.MOE_LATE in statuses
    works_decide(user=works["acheteur"], invoice_id=piece.pk, role=MOA, action="VALIDATION")
    assert works_expire(timezone.now() + datetime.timedelta(days=29)) == 0
    assert works_expire(timezone.now() + datetime.timedelta(days=31)) == 1
    piece.refresh_from_db()
    assert piece.status == Status.AVAILABLE
    assert Status.WORKS_ACCEPTED in piece.events.values_list("to_status", flat=True)


def test_a_works_piece_needs_a_contract_its_supplier_is_party_to(works):
    record, item = deposit(works, number="PDM-X", market="")
    assert record is None and item.errors[0]["rule"] == "CHORALE-MARCHE-TRAVAUX"
    record, item = deposit(works, number="PDM-Y", market="INCONNU")
    assert record is None and "MT-2026-01" not in item.errors[0]["message"]
    works["contract"].suppliers.clear()
    record, item = deposit(works, number="PDM-Z")
    assert record is None and "ni titulaire" in item.errors[0]["message"]
    record, item = deposit(works, number="EA-MOE", frame="A15")
    assert record is None and item.errors[0]["rule"] == "CHORALE-CADRE-TRAVAUX"


def test_a_moa_only_structure_receives_no_invoice(works):
    works["contract"].buyer.__class__.objects.filter(pk=works["contract"].buyer_id).update(
        is_moa_only=True
    )
    record, item = deposit(works, number="F-MOA")
    assert record is None and item.errors[0]["rule"] == "CHORALE-DESTINATAIRE-MOA"


def test_works_flows_keep_apart_from_invoice_flows(works):
    def send(number, frame, syntax):
        invoice = sample_invoice(number)
        invoice.process_id, invoice.contract_reference = frame, "MT-2026-01"
        flow = flow_deposit(
            user=works["entreprise"], supplier=works["supplier"], filename=f"{number}.xml",
            content=write_invoice(invoice, "CII"), channel="API", syntax=syntax,
        )  # fmt: skip
        return FlowItem.objects.get(flow=flow)

    assert send("E4-OK", "A4", "IN_DP_E4_CII_16B").result == "ACCEPTEE"
    in_works = send("E4-A1", "A1", "IN_DP_E4_CII_16B")
    assert in_works.errors[0]["rule"] == "CHORALE-FLUX-TRAVAUX"
    assert "flux E1 ou E2" in in_works.errors[0]["message"]
    in_invoices = send("E1-A4", "A4", "IN_DP_E1_CII_16B")
    assert in_invoices.result == "REJETEE" and "IN_DP_E4_" in in_invoices.errors[0]["message"]
    assert send("SANS-SYNTAXE", "A4", "").result == "ACCEPTEE"  # the portal declares none


def test_the_tacit_procedure_when_the_moa_keeps_silent(works):
    from chorale.lifecycle.works import works_tacit_start

    piece, _ = deposit(works, number="PDF-T", frame="A7")
    company = works["entreprise"]
    with pytest.raises(BusinessError) as early:  # only 30 days after the final draft
        works_tacit_start(user=company, invoice_id=piece.pk, amount="130")
    assert early.value.code == "not_awaited"
    InvoiceRecord.objects.filter(pk=piece.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    piece.refresh_from_db()
    assert invoice_abilities(company, piece)["works_tacit"] is True
    assert invoice_abilities(works["architecte"], piece)["works_tacit"] is False
    piece = works_tacit_start(user=company, invoice_id=piece.pk, amount="130", comment="12.4.4")
    assert piece.status == Status.REPLACED_BY_A22
    assert works_expire(timezone.now() + datetime.timedelta(days=9)) == 0
    assert works_expire(timezone.now() + datetime.timedelta(days=11)) == 1
    piece.refresh_from_db()
    assert piece.status == Status.AVAILABLE and piece.available_at is not None
    assert list(WorksStep.objects.values_list("frame", "amount")) == [
        ("A22", Decimal("130.00")),
        ("A23", Decimal("130.00")),
    ]


def test_the_moa_may_still_answer_the_companys_projet_with_its_decompte(works):
    from chorale.lifecycle.works import works_tacit_start

    piece, _ = deposit(works, number="PDF-U", frame="A7")
    InvoiceRecord.objects.filter(pk=piece.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    works_tacit_start(user=works["entreprise"], invoice_id=piece.pk, amount="125")
    piece = works_decide(user=works["acheteur"], invoice_id=piece.pk, role=MOA, action="VALIDATION")
    assert piece.status == Status.TO_SUPPLIER
    last = WorksStep.objects.last()
    assert last.amount == Decimal("125.00")  # the company's, unless amended
    assert last.frame == "A25"  # the DGD of the tacit procedure


def test_a_signed_dgd_goes_straight_to_the_payer_its_moe_and_moa_seeing_it(works):
    from chorale.lifecycle.selectors import works_pieces

    piece, _ = deposit(works, number="DGD-1", frame="A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR")
    assert (piece.status, piece.works_contract_id) == (Status.AVAILABLE, works["contract"].pk)
    assert invoice_abilities(works["acheteur"], piece)["recipient"] is True
    assert works_pieces(works["architecte"], "moe").filter(pk=piece.pk).exists()
    assert invoice_abilities(works["architecte"], piece)["works_decide"] is False
    record, item = deposit(works, number="DGD-2", frame="A8", market="")
    assert record is None and item.errors[0]["rule"] == "CHORALE-MARCHE-TRAVAUX"


def test_a_buyer_its_own_moe_validates_the_etat_dacompte_once(works):
    contract = works["contract"]
    contract.moe = contract.moa  # the buyer's technical service is the MOE
    contract.save()
    buyer = works["acheteur"]
    piece, _ = deposit(works, number="PDM-OWN")
    piece = works_decide(user=buyer, invoice_id=piece.pk, role=MOE, action="VALIDATION")
    assert piece.status == Status.AVAILABLE  # straight to its financial service
    assert list(WorksStep.objects.values_list("frame", flat=True)) == ["A16"]
    final, _ = deposit(works, number="PDF-OWN", frame="A7")  # the DG is still the MOA's to sign
    final = works_decide(user=buyer, invoice_id=final.pk, role=MOE, action="VALIDATION")
    assert final.status == Status.TO_MOA
