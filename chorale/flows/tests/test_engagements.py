"""An invoice's engagement juridique (BT-13) against the recipient's recorded engagements:
linked when found; unknown, another supplier's, closed or exhausted → a rejection or a warning as
the recipient's parameter says; a recipient that records none is not judged on it."""

import datetime
from decimal import Decimal

import pytest

from chorale.engagements.models import Engagement, EngagementState
from chorale.flows.models import FlowItem
from chorale.flows.services import flow_deposit
from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from chorale.invoicing.formats import write_invoice
from chorale.invoicing.models import InvoiceRecord
from chorale.invoicing.tests.factories import sample_invoice
from chorale.lifecycle.statuses import Status
from chorale.routing.engagements import open_engagements, with_invoiced
from chorale.routing.services import invoice_recycle
from chorale.structures.models import CheckRule
from conftest import make_structure, make_user

OTHER_SIRET = "35600000000048"


@pytest.fixture
def parties(db):
    supplier_user = make_user("fournisseur@example.test")
    supplier = make_structure(supplier_user, identifier=SUPPLIER_SIRET)
    recipient = make_structure(
        make_user("acheteur@example.test"),
        identifier=RECIPIENT_SIRET,
        is_private=False,
        requires_engagement=True,
        engagement_rule=CheckRule.REJECT,
    )
    Engagement.objects.create(
        structure=recipient,
        number="EJ-100",
        supplier_identifier=SUPPLIER_SIRET,
        supplier_name="ATELIER",
        amount=Decimal("300.00"),
        notified_on=datetime.date(2026, 10, 1),
    )
    Engagement.objects.create(
        structure=recipient,
        number="EJ-200",
        supplier_identifier=OTHER_SIRET,
        supplier_name="CONCURRENT",
        amount=Decimal("5000.00"),
        notified_on=datetime.date(2026, 10, 1),
    )
    return {"user": supplier_user, "supplier": supplier, "recipient": recipient}


def deposit(parties, number, engagement, **kwargs):
    invoice = sample_invoice(number, engagement=engagement, **kwargs)  # 120,00 € TTC
    flow = flow_deposit(
        user=parties["user"],
        supplier=parties["supplier"],
        filename=f"{number}.xml",
        content=write_invoice(invoice, "CII"),
        channel="API",
    )
    item = FlowItem.objects.get(flow=flow)
    return InvoiceRecord.objects.filter(number=number).first(), item


def rules(item) -> list[tuple[str, str]]:
    return [(e["rule"], e["severity"]) for e in item.errors]


def test_the_invoice_links_to_its_engagement_until_it_is_exhausted(parties):
    first, _ = deposit(parties, "F-1", "EJ-100")
    second, _ = deposit(parties, "F-2", "EJ-100")
    assert first.engagement.number == second.engagement.number == "EJ-100"
    third, item = deposit(parties, "F-3", "EJ-100")  # 240 invoiced, 60 left, 120 asked
    assert third is None
    assert ("CHORALE-ENGAGEMENT-EPUISE", "fatal") in rules(item)
    message = next(e["message"] for e in item.errors if e["rule"] == "CHORALE-ENGAGEMENT-EPUISE")
    assert "60,00" in message and "300,00" in message
    # A rejected invoice draws nothing: the next one finds room again.
    InvoiceRecord.objects.filter(pk=second.pk).update(status=Status.REJECTED)
    again, _ = deposit(parties, "F-4", "EJ-100")
    assert again is not None and again.engagement_id == first.engagement_id
    engagement = with_invoiced(Engagement.objects.filter(number="EJ-100")).get()
    assert engagement.invoiced == Decimal("240")


def test_unknown_other_suppliers_and_closed_engagements_are_refused(parties):
    record, item = deposit(parties, "F-5", "EJ-999")
    assert record is None and ("CHORALE-ENGAGEMENT-INCONNU", "fatal") in rules(item)
    record, item = deposit(parties, "F-6", "EJ-200")
    assert record is None and ("CHORALE-ENGAGEMENT-AUTRE-FOURNISSEUR", "fatal") in rules(item)
    Engagement.objects.filter(number="EJ-100").update(state=EngagementState.CLOSED)
    record, item = deposit(parties, "F-7", "EJ-100")
    assert record is None and ("CHORALE-ENGAGEMENT-CLOS", "fatal") in rules(item)


def test_a_warning_recipient_accepts_and_says_why(parties):
    parties["recipient"].engagement_rule = CheckRule.WARN
    parties["recipient"].save()
    record, item = deposit(parties, "F-8", "EJ-200")
    assert record is not None and record.engagement is None  # never another supplier's
    assert ("CHORALE-ENGAGEMENT-AUTRE-FOURNISSEUR", "warning") in rules(item)
    record, item = deposit(parties, "F-9", "EJ-404")
    assert record is not None and ("CHORALE-ENGAGEMENT-INCONNU", "warning") in rules(item)


def test_a_recipient_recording_no_engagement_is_not_judged_on_it(parties):
    Engagement.objects.all().delete()
    record, item = deposit(parties, "F-10", "WHATEVER")
    assert record is not None and record.engagement is None and item.errors == []


def test_a_credit_note_gives_room_back(parties):
    deposit(parties, "F-11", "EJ-100")
    deposit(parties, "F-12", "EJ-100")
    credit, item = deposit(parties, "AV-1", "EJ-100", type_code="381", preceding="F-11")
    assert credit is not None, item.errors
    engagement = with_invoiced(Engagement.objects.filter(number="EJ-100")).get()
    assert engagement.invoiced == Decimal("120")


def test_the_saisie_offers_the_suppliers_open_engagements_only(parties):
    offered = open_engagements(parties["supplier"], parties["recipient"])
    assert [e.number for e in offered] == ["EJ-100"]
    Engagement.objects.filter(number="EJ-100").update(state=EngagementState.DEACTIVATED)
    assert list(open_engagements(parties["supplier"], parties["recipient"])) == []


def test_recycling_checks_and_links_the_engagement(parties):
    record, _ = deposit(parties, "F-13", "EJ-100")
    InvoiceRecord.objects.filter(pk=record.pk).update(status=Status.TO_RECYCLE, engagement=None)
    with pytest.raises(Exception) as refused:
        invoice_recycle(
            user=parties["user"],
            invoice_id=record.pk,
            recipient_siret=RECIPIENT_SIRET,
            engagement_number="EJ-200",
        )
    assert getattr(refused.value, "code", "") == "engagement_other_supplier"
    recycled = invoice_recycle(
        user=parties["user"],
        invoice_id=record.pk,
        recipient_siret=RECIPIENT_SIRET,
        engagement_number="EJ-100",
    )
    assert recycled.engagement.number == "EJ-100"


def test_a_contract_may_shorten_the_payment_delay_never_lengthen_it(parties):
    from chorale.lifecycle.selectors import payment_delays

    record, _ = deposit(parties, "F-20", "EJ-100")
    assert payment_delays([record])[record.pk].legal_days == 30
    Engagement.objects.filter(number="EJ-100").update(payment_delay_days=20)
    assert payment_delays([record])[record.pk].legal_days == 20
    Engagement.objects.filter(number="EJ-100").update(payment_delay_days=45)
    assert payment_delays([record])[record.pk].legal_days == 30


def test_a_recipient_with_many_engagements_is_asked_per_number_with_the_same_verdicts(
    parties, monkeypatch
):
    monkeypatch.setattr("chorale.routing.engagements.READ_AT_ONCE", 1)  # 2 recorded: too many
    first, _ = deposit(parties, "M-1", "EJ-100")
    assert first.engagement.number == "EJ-100"
    deposit(parties, "M-2", "EJ-100")
    record, item = deposit(parties, "M-3", "EJ-100")  # 240 of 300 drawn: 120 is too much
    assert record is None and ("CHORALE-ENGAGEMENT-EPUISE", "fatal") in rules(item)
    record, item = deposit(parties, "M-4", "EJ-404")
    assert record is None and ("CHORALE-ENGAGEMENT-INCONNU", "fatal") in rules(item)
