"""« Factures à valider »: the titulaire's list and decision, the supplier's steps and its
« Corriger le valideur », and nobody else seeing any of it."""

import pytest
from django.urls import reverse

from chorale.flows.tests.test_validation_circuits import MANDATAIRE, TITULAIRE, deposit, parties  # noqa: F401
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.statuses import Status
from chorale.portal.tests.conftest import signed_in


@pytest.fixture
def waiting(parties):  # noqa: F811 (the fixture of test_validation_circuits)
    return deposit(parties, number="ST-9")


def test_the_titulaire_validates_from_its_space_and_the_buyer_then_receives(client, waiting):
    record = waiting
    buyer = signed_in(client, "acheteur@example.test")
    assert buyer.get(reverse("portal:invoice_received", args=[record.pk])).status_code == 404
    titulaire = signed_in(client, "titulaire@example.test")
    listing = titulaire.get(reverse("portal:invoices_to_validate")).text
    assert '<option value="20">20</option>' in listing  # « Lignes par page » offers its sizes
    assert "ST-9" in listing and "À valider (premier valideur)" in listing
    page = titulaire.get(reverse("portal:invoice_to_validate", args=[record.pk])).text
    assert "Enregistrer la décision" in page and "en attente" in page
    refused = titulaire.post(
        reverse("portal:invoice_validate", args=[record.pk]), {"action": "REFUS"}
    )
    assert refused.status_code == 400 and "motif" in refused.text.lower()
    answer = titulaire.post(
        reverse("portal:invoice_validate", args=[record.pk]),
        {"action": "VALIDATION", "complement": "Travaux conformes"},
    )
    assert answer.status_code == 302
    assert InvoiceRecord.objects.get(pk=record.pk).status == Status.AVAILABLE
    supplier = signed_in(client, "soustraitant@example.test")
    page = supplier.get(reverse("portal:invoice_sent", args=[record.pk])).text
    assert "Validée par le premier valideur" in page  # each step in the supplier's timeline
    buyer = signed_in(client, "acheteur@example.test")
    assert buyer.get(reverse("portal:invoice_received", args=[record.pk])).status_code == 200


def test_mauvais_valideur_comes_back_to_the_supplier_who_names_another(client, waiting):
    record = waiting
    signed_in(client, "titulaire@example.test").post(
        reverse("portal:invoice_validate", args=[record.pk]),
        {"action": "REFUS", "motif_refus": "MAUVAIS_VALIDEUR"},
    )
    supplier = signed_in(client, "soustraitant@example.test")
    page = supplier.get(reverse("portal:invoice_sent", args=[record.pk])).text
    assert "Corriger le valideur" in page
    supplier.post(
        reverse("portal:invoice_correct_validator", args=[record.pk]), {"siret": MANDATAIRE}
    )
    assert InvoiceRecord.objects.get(pk=record.pk).status == Status.TO_VALIDATE_1
    mandataire = signed_in(client, "mandataire@example.test")
    assert "ST-9" in mandataire.get(reverse("portal:invoices_to_validate")).text


def test_another_structure_sees_nothing_and_decides_nothing(client, waiting):
    record = waiting
    stranger = signed_in(client, "autre@example.test")
    assert "ST-9" not in stranger.get(reverse("portal:invoices_to_validate")).text
    assert stranger.get(reverse("portal:invoice_to_validate", args=[record.pk])).status_code == 404
    answer = stranger.post(
        reverse("portal:invoice_validate", args=[record.pk]), {"action": "VALIDATION"}
    )
    assert answer.status_code == 404
    assert InvoiceRecord.objects.get(pk=record.pk).status == Status.TO_VALIDATE_1
    assert TITULAIRE  # the titulaire alone is awaited
