"""Supplier and recipient actions on an invoice, each checked against the actor's structure."""

import pytest

from chorale.core.errors import BusinessError
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.services import (
    invoice_acknowledge_rejection,
    invoice_complete,
    invoice_process,
)
from chorale.lifecycle.statuses import Status
from chorale.routing.services import invoice_recycle
from chorale.structures.models import Service, Structure
from conftest import make_invoice, make_structure, make_user


@pytest.fixture
def world(db):
    supplier_user = make_user("fournisseur@example.test")
    buyer_user = make_user("acheteur@example.test")
    other_buyer = make_user("autre@example.test")
    supplier = make_structure(supplier_user, identifier="98765432400019")
    recipient = make_structure(buyer_user, identifier="21990123800010", is_private=False)
    other = make_structure(other_buyer, identifier="13002526500013", is_private=False)
    Service.objects.create(structure=other, code="ACHATS", label="Achats", requires_engagement=True)
    invoice = make_invoice(supplier, recipient)
    return {
        "supplier": supplier_user,
        "buyer": buyer_user,
        "other": other_buyer,
        "invoice": invoice,
    }


def test_only_the_recipient_processes_and_only_the_supplier_completes(world):
    invoice = world["invoice"]
    for outsider in (world["supplier"], world["other"]):
        with pytest.raises(BusinessError) as error:
            invoice_process(user=outsider, invoice_id=invoice.pk, to_status=Status.SERVICE_DONE)
        assert error.value.code == "not_found"
    invoice_process(
        user=world["buyer"],
        invoice_id=invoice.pk,
        to_status=Status.SUSPENDED,
        reason="Bon de livraison manquant",
    )
    with pytest.raises(BusinessError):
        invoice_complete(user=world["buyer"], invoice_id=invoice.pk, comment="x")
    invoice_complete(user=world["supplier"], invoice_id=invoice.pk, comment="Bon joint")
    assert InvoiceRecord.objects.get().status == Status.COMPLETED


def test_recycling_reroutes_to_the_corrected_recipient(world):
    invoice = world["invoice"]
    invoice_process(
        user=world["buyer"],
        invoice_id=invoice.pk,
        to_status=Status.TO_RECYCLE,
        reason="Mauvais destinataire",
    )
    with pytest.raises(BusinessError) as error:
        invoice_recycle(
            user=world["supplier"],
            invoice_id=invoice.pk,
            recipient_siret="13002526500013",
            service_code="ACHATS",
        )
    assert error.value.code == "engagement_required"
    invoice_recycle(
        user=world["supplier"],
        invoice_id=invoice.pk,
        recipient_siret="13002526500013",
        service_code="achats",
        engagement_number="EJ-1",
    )
    record = InvoiceRecord.objects.get()
    assert (record.status, record.recipient_identifier, record.service.code) == (
        Status.AVAILABLE,
        "13002526500013",
        "ACHATS",
    )
    assert list(record.events.values_list("to_status", flat=True))[-3:] == [
        "A_RECYCLER",
        "EN_COURS_ACHEMINEMENT",
        "MISE_A_DISPOSITION",
    ]
    # The new recipient sees it; the old one no longer may act on it.
    invoice_process(user=world["other"], invoice_id=record.pk, to_status=Status.ACKNOWLEDGED)
    with pytest.raises(BusinessError):
        invoice_process(user=world["buyer"], invoice_id=record.pk, to_status=Status.SERVICE_DONE)


def test_recycling_is_only_for_invoices_sent_back(world):
    with pytest.raises(BusinessError) as error:
        invoice_recycle(
            user=world["supplier"], invoice_id=world["invoice"].pk, recipient_siret="13002526500013"
        )
    assert error.value.code == "not_to_recycle"


def test_acknowledging_a_rejection_is_recorded_once(world):
    invoice = world["invoice"]
    with pytest.raises(BusinessError):
        invoice_acknowledge_rejection(user=world["supplier"], invoice_id=invoice.pk)
    invoice_process(
        user=world["buyer"], invoice_id=invoice.pk, to_status=Status.REJECTED, reason="Doublon"
    )
    first = invoice_acknowledge_rejection(
        user=world["supplier"], invoice_id=invoice.pk
    ).rejection_acknowledged_at
    again = invoice_acknowledge_rejection(
        user=world["supplier"], invoice_id=invoice.pk
    ).rejection_acknowledged_at
    assert first is not None and first == again
    with pytest.raises(BusinessError):
        invoice_acknowledge_rejection(user=world["other"], invoice_id=invoice.pk)


def test_recycling_applies_the_deposit_rules_service_or_engagement_included(world):
    """One home for the routing rules: « service ou engagement obligatoire » holds on recycling
    as on a deposit (recycling once kept its own copy, which forgot it)."""
    invoice = world["invoice"]
    invoice_process(
        user=world["buyer"], invoice_id=invoice.pk, to_status=Status.TO_RECYCLE, reason="Erreur"
    )
    target = Structure.objects.get(identifier="13002526500013")
    target.requires_service_or_engagement = True
    target.save()
    with pytest.raises(BusinessError) as error:
        invoice_recycle(
            user=world["supplier"], invoice_id=invoice.pk, recipient_siret="13002526500013"
        )
    assert error.value.code == "service_or_engagement_required"
    invoice_recycle(
        user=world["supplier"],
        invoice_id=invoice.pk,
        recipient_siret="13002526500013",
        engagement_number="EJ-9",
    )
    assert InvoiceRecord.objects.get().status == Status.AVAILABLE
