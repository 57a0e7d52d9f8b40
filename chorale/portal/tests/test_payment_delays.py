"""The délai global de paiement on each invoice (both sides), the buyer's legal delay as a
structure parameter, the dashboards' late and soon-late invoices with their intérêts
moratoires, and their export — each seen only by the structures concerned."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.models import EcbRate
from chorale.lifecycle.services import invoice_process
from chorale.lifecycle.statuses import Status
from chorale.portal.tests.conftest import routed, signed_in
from conftest import make_structure, make_user

MARCH_2 = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)


@pytest.fixture
def late(supplier, recipient):
    """An invoice of 1 200 € made available on 2 March 2026, now 10 days late (11 April)."""
    EcbRate.objects.get_or_create(effective_from="2025-06-11", defaults={"rate": "2.15"})
    with time_machine.travel(MARCH_2, tick=False):
        record = routed(supplier, recipient, number="R-1")
    InvoiceRecord.objects.filter(pk=record.pk).update(total_with_vat=Decimal("1200.00"))
    with time_machine.travel(datetime.datetime(2026, 4, 11, 9, tzinfo=datetime.UTC)):
        yield InvoiceRecord.objects.get(pk=record.pk)


def test_the_moment_the_buyer_is_told_is_recorded(late):
    assert late.available_at == MARCH_2


def test_both_sides_see_the_delay_the_due_date_and_the_late_interest(client, late):
    for email, name in (("acheteur@example.test", "invoice_received"),
                        ("fournisseur@example.test", "invoice_sent")):  # fmt: skip
        page = signed_in(client, email).get(reverse(f"portal:{name}", args=[late.pk])).text
        assert "Délai global de paiement" in page and "01/04/2026" in page
        assert "10 jours" in page and "3,34" in page and "40,00" in page
        assert "10.15 %" in page or "10,15 %" in page


def test_a_suspension_interrupts_the_delay(client, late):
    invoice_process(
        user=late.recipient.memberships.get().user, invoice_id=late.pk,
        to_status=Status.SUSPENDED, reason="Bon de livraison manquant",
    )  # fmt: skip
    page = (
        signed_in(client, "fournisseur@example.test")
        .get(reverse("portal:invoice_sent", args=[late.pk]))
        .text
    )
    assert "Délai interrompu par la suspension" in page


def test_the_legal_delay_is_a_structure_parameter_of_at_most_60_days(client, late, recipient):
    manager = signed_in(client, "acheteur@example.test")
    url = reverse("structures:parameters", args=[recipient.pk])
    answer = manager.post(
        url,
        {
            "params-payment_delay_days": "90",
            "params-bank_account_rule": recipient.bank_account_rule,
        },
    )
    recipient.refresh_from_db()
    assert recipient.payment_delay_days == 30 and "inférieure ou égale à 60" in answer.text
    recipient.payment_delay_days = 50
    recipient.save()
    page = manager.get(reverse("portal:invoice_received", args=[late.pk])).text
    assert "50 jours" in page and "21/04/2026" in page  # not late yet


def test_dashboards_and_their_export_show_late_invoices_to_their_structures_only(
    client, late, recipient, supplier
):
    buyer = signed_in(client, "acheteur@example.test")
    page = buyer.get(reverse("portal:structure_dashboard")).text
    assert "Délais de paiement" in page and "1 facture en retard" in page and "R-1" in page
    export = buyer.get(
        reverse("portal:delays_export", args=["recues", "csv"]) + f"?structure={recipient.pk}"
    )
    text = export.content.decode("utf-8-sig")
    assert "R-1" in text and "3,34" in text and "40,00" in text
    seller = signed_in(client, "fournisseur@example.test")
    page = seller.get(reverse("portal:structure_dashboard")).text
    assert "intérêts moratoires et indemnités qui vous sont dus" in page and "43,34" in page
    # the supplier has no « Factures reçues » here, a stranger has nothing at all
    assert (
        seller.get(
            reverse("portal:delays_export", args=["recues", "csv"]) + f"?structure={supplier.pk}"
        ).status_code
        == 404
    )
    make_structure(make_user("autre@example.test"), identifier="44306184100047")
    stranger = signed_in(client, "autre@example.test")
    answer = stranger.get(
        reverse("portal:delays_export", args=["emises", "csv"]) + f"?structure={supplier.pk}"
    )
    assert answer.status_code == 200 and "R-1" not in answer.content.decode("utf-8-sig")
