"""« Engagements juridiques » in the portal: the buyer types, imports, closes; its supplier
sees the engagement and its own invoices on it; another structure sees nothing; the saisie page
offers the supplier its open engagements."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chorale.engagements.models import Engagement, EngagementState
from chorale.invoicing.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from chorale.structures.models import Service
from conftest import make_structure, make_user

from .conftest import routed, signed_in


@pytest.fixture
def engagement(supplier, recipient):
    return Engagement.objects.create(
        structure=recipient,
        service=Service.objects.get(code="TECHNIQUE"),
        number="EJ-2026-1",
        supplier_identifier=SUPPLIER_SIRET,
        supplier_name="ATELIER",
        amount=Decimal("1000.00"),
        notified_on=datetime.date(2026, 10, 1),
    )


@pytest.fixture
def stranger(db):
    make_structure(make_user("autre@example.test"), identifier="35600000000048")
    return "autre@example.test"


def test_the_buyer_types_an_engagement_with_its_postes(client, recipient, supplier):
    buyer = signed_in(client, "acheteur@example.test")
    data = {
        "ej-number": "EJ-NEW",
        "ej-kind": "MARCHE",
        "ej-supplier_identifier": SUPPLIER_SIRET,
        "ej-amount": "300.00",
        "ej-notified_on": "2026-11-01",
        "ej-service_code": "technique",
        "postes-TOTAL_FORMS": "2",
        "postes-INITIAL_FORMS": "0",
        "postes-0-label": "Enrobé",
        "postes-0-amount": "100",
        "postes-1-label": "Marquage",
        "postes-1-amount": "150",
    }
    url = f"/engagements/nouveau/{recipient.pk}/"
    refused = buyer.post(url, data)
    assert refused.status_code == 400
    assert "somme des postes" in refused.content.decode()
    data["postes-1-amount"] = "200"
    done = buyer.post(url, data)
    assert done.status_code == 302, done.content.decode()[:2000]
    engagement = Engagement.objects.get(number="EJ-NEW")
    assert engagement.supplier_name == "ATELIER"  # found on the platform
    assert [(line.position, line.label) for line in engagement.lines.all()] == [
        (1, "Enrobé"),
        (2, "Marquage"),
    ]
    page = buyer.get(f"/engagements/{engagement.pk}/").content.decode()
    assert "Reste à facturer" in page and "Clôturer" in page


def test_the_supplier_sees_but_cannot_change_and_a_stranger_sees_nothing(
    client, engagement, supplier, recipient, stranger
):
    record = routed(supplier, recipient, number="F-EJ-1")
    record.engagement = engagement
    record.save()
    seller = signed_in(client, "fournisseur@example.test")
    page = seller.get(f"/engagements/{engagement.pk}/")
    assert page.status_code == 200 and "F-EJ-1" in page.content.decode()
    assert "Clôturer" not in page.content.decode()
    listed = seller.get("/engagements/").content.decode()
    assert "EJ-2026-1" in listed and '<option value="20">20</option>' in listed
    assert (
        seller.post(f"/engagements/{engagement.pk}/etat/", {"etat": "CLOTURE"}).status_code == 403
    )
    assert seller.get(f"/engagements/{engagement.pk}/modifier/").status_code == 403
    assert seller.get(f"/engagements/nouveau/{recipient.pk}/").status_code == 403
    assert Engagement.objects.get().state == EngagementState.OPEN
    other = signed_in(client, stranger)
    assert other.get(f"/engagements/{engagement.pk}/").status_code == 404
    assert "EJ-2026-1" not in other.get("/engagements/").content.decode()
    assert other.post(f"/engagements/{engagement.pk}/etat/", {"etat": "CLOTURE"}).status_code == 404
    assert other.get(f"/engagements/importer/{recipient.pk}/").status_code == 403


def test_the_buyer_closes_and_imports(client, engagement, recipient):
    buyer = signed_in(client, "acheteur@example.test")
    buyer.post(f"/engagements/{engagement.pk}/etat/", {"etat": "CLOTURE"})
    assert Engagement.objects.get().state == EngagementState.CLOSED
    table = (
        "numero;siret_fournisseur;fournisseur;montant_ttc;date_notification\n"
        "EJ-IMP;98765432400019;ATELIER;99,90;2026-11-20\n"
    )
    upload = SimpleUploadedFile("ej.csv", table.encode(), content_type="text/csv")
    done = buyer.post(f"/engagements/importer/{recipient.pk}/", {"fichier": upload})
    assert done.status_code == 302
    wrong = SimpleUploadedFile("ej.csv", b"numero;siret_fournisseur;montant_ttc;date_notification\n"
                               b"EJ-BAD;1;x;y\n")  # fmt: skip
    page = buyer.post(f"/engagements/importer/{recipient.pk}/", {"fichier": wrong})
    assert page.status_code == 400
    assert "Ligne 2, colonne montant_ttc" in page.content.decode()
    assert set(Engagement.objects.values_list("number", flat=True)) == {"EJ-2026-1", "EJ-IMP"}


def test_the_saisie_lookup_offers_open_engagements_of_ones_own_structure(
    client, engagement, supplier, stranger
):
    seller = signed_in(client, "fournisseur@example.test")
    answer = seller.get(
        reverse("flows:recipient_lookup"), {"siret": RECIPIENT_SIRET, "structure": supplier.pk}
    ).json()
    assert [e["number"] for e in answer["engagements"]] == ["EJ-2026-1"]
    assert "000,00" in answer["engagements"][0]["left"]
    other = signed_in(client, stranger)
    answer = other.get(
        reverse("flows:recipient_lookup"), {"siret": RECIPIENT_SIRET, "structure": supplier.pk}
    )
    assert answer.json()["engagements"] == []
