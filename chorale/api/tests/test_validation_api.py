"""Factures à valider through the API: the titulaire's technical account searches, reads and
decides; the supplier's corrects a wrong validator; another structure's account sees nothing."""

import pytest

from chorale.api.services import api_account_create
from chorale.api.tests.conftest import ErpClient
from chorale.flows.tests.test_validation_circuits import (  # noqa: F401
    MANDATAIRE,
    TITULAIRE,
    deposit,
    parties,
)
from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Structure

F = "/cpro/factures/v1/"


@pytest.fixture
def apis(parties):  # noqa: F811 (the fixture of test_validation_circuits)
    structures = {
        "titulaire": Structure.objects.get(identifier=TITULAIRE),
        "mandataire": Structure.objects.get(identifier=MANDATAIRE),
        "supplier": parties["supplier"],
        "other": parties["other"],
    }
    return {name: ErpClient(api_account_create(structure=s)) for name, s in structures.items()}


def test_the_titulaire_finds_reads_and_validates(parties, apis):  # noqa: F811
    record = deposit(parties, number="API-9")
    titulaire = apis["titulaire"]
    found = titulaire.call(F + "rechercher/valideur", {"statutCourant": ["A_VALIDER_1"]})
    row = found["listeFactures"][0]
    assert (row["numeroFacture"], row["cadreFacturation"], row["statut"]) == (
        "API-9",
        "A9",
        "A_VALIDER_1",
    )
    assert row["identifiantValideur"] == TITULAIRE
    detail = titulaire.call(F + "consulter/valideur", {"identifiantFactureCPP": record.pk})
    assert detail["facture"]["cadreDeFacturation"]["codeValideur1"] == TITULAIRE
    statuses = titulaire.call(F + "recuperer/statutsFactureVisibles/valideur", {})
    assert {"codeStatutFacture": "A_VALIDER_1"} in statuses["listeStatutFacture"]
    done = titulaire.call(
        F + "traiter/factureAValider",
        {"idFacture": record.pk, "action": "VALIDATION", "complementInfo": "OK"},
    )
    assert done["statutFacture"] == "MISE_A_DISPOSITION"


def test_a_wrong_validator_by_reason_id_then_the_supplier_corrects_it(parties, apis):  # noqa: F811
    record = deposit(parties, number="API-10")
    apis["titulaire"].call(
        F + "traiter/factureAValider",
        {"idFacture": record.pk, "action": "REFUS", "motifRefus": "117"},
    )
    assert InvoiceRecord.objects.get(pk=record.pk).status == "ERREUR_FOURNISSEUR_SUR_VALIDEUR"
    apis["supplier"].call(
        F + "corriger/valideur/facture",
        {"idFacture": record.pk, "identifiantStructure": MANDATAIRE},
    )
    assert InvoiceRecord.objects.get(pk=record.pk).status == "A_VALIDER_1"
    refused = apis["mandataire"].call(
        F + "traiter/factureAValider",
        {"idFacture": record.pk, "action": "REFUS", "motifRefus": "Prix non conformes"},
    )
    assert refused["statutFacture"] == "REFUSEE_1"
    assert InvoiceRecord.objects.get(pk=record.pk).events.last().reason == "Prix non conformes"


def test_another_structures_account_neither_sees_nor_decides(parties, apis):  # noqa: F811
    record = deposit(parties, number="API-11")
    other = apis["other"]
    assert other.call(F + "rechercher/valideur", {})["listeFactures"] == []
    answer = other.post(
        F + "traiter/factureAValider", {"idFacture": record.pk, "action": "VALIDATION"}
    )
    assert answer.json()["codeRetour"] != 0
    assert InvoiceRecord.objects.get(pk=record.pk).status == "A_VALIDER_1"
    answer = other.post(F + "consulter/valideur", {"identifiantFactureCPP": record.pk})
    assert answer.json()["codeRetour"] != 0
