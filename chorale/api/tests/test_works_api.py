"""facturesTravaux/v1 through the API: each role's technical account finds its pieces (20007
when none), the MOE and MOA decide, the company signs; another structure reaches nothing; the
invoice searches tell works pieces apart (typeDemandePaiement)."""

import pytest

from chorale.api.services import api_account_create
from chorale.api.tests.conftest import ErpClient
from chorale.flows.tests.test_works import ARCHITECT, deposit, works  # noqa: F401
from chorale.invoicing.tests.factories import RECIPIENT_SIRET
from chorale.structures.models import Structure

W, F = "/cpro/facturesTravaux/v1/", "/cpro/factures/v1/"


@pytest.fixture
def apis(works):  # noqa: F811 (the fixture of test_works)
    structures = {
        "company": works["supplier"],
        "moe": Structure.objects.get(identifier=ARCHITECT),
        "moa": Structure.objects.get(identifier=RECIPIENT_SIRET),
        "other": Structure.objects.get(identifier="35600000000048"),
    }
    return {name: ErpClient(api_account_create(structure=s)) for name, s in structures.items()}


def test_the_final_circuit_through_the_api(works, apis):  # noqa: F811
    piece, _ = deposit(works, number="API-PDF", frame="A7")
    moe, moa, company = apis["moe"], apis["moa"], apis["company"]
    (row,) = moe.call(W + "rechercher", {"roleUtilisateur": "MOE"})["listeFacturesTravaux"]
    assert (row["idFactureTravaux"], row["typeFactureTravaux"], row["numeroMarche"]) == (
        piece.pk,
        "PROJET_DECOMPTE_FINAL",
        "MT-2026-01",
    )
    none = moe.post(W + "rechercher", {"roleUtilisateur": "MOA"}).json()
    assert (none["codeRetour"], none["libelle"]) == (20007, "GFT_MSG_01.075")
    refused = moe.post(
        W + "traiter",
        {"idFactureTravaux": piece.pk, "roleUtilisateur": "MOE", "action": "REFUS",
         "motifRefus": "ERREUR_MONTANT"},
    ).json()  # fmt: skip
    assert refused["libelle"] == "REFUS_POUR_MONTANT_IMPOSSIBLE"
    done = moe.call(
        W + "traiter",
        {"idFactureTravaux": piece.pk, "roleUtilisateur": "MOE", "action": "VALIDATION",
         "montantAdmis": 110},
    )  # fmt: skip
    assert done["statutFactureTravaux"] == "TRANSMISE_MOA"
    moa.call(
        W + "traiter",
        {"idFactureTravaux": piece.pk, "roleUtilisateur": "MOA", "action": "VALIDATION"},
    )
    detail = company.call(W + "consulter", {"idFactureTravaux": piece.pk})
    assert detail["actionsPossibles"] == ["SIGNER"]
    assert [e["pieceEtablie"] for e in detail["etapes"]] == ["A17", "A20"]
    assert detail["factureTravaux"]["montantAdmis"] == 110
    signed = company.call(
        W + "signer/decompteGeneral", {"idFactureTravaux": piece.pk, "action": "ACCEPTATION"}
    )
    assert signed["statutFactureTravaux"] == "MISE_A_DISPOSITION"
    sent = company.call(F + "rechercher/fournisseur", {"typeDemandePaiement": "FACTURE_TRAVAUX"})
    assert [r["typeDemandePaiement"] for r in sent["listeFactures"]] == ["FACTURE_TRAVAUX"]
    plain = company.call(F + "rechercher/fournisseur", {"typeDemandePaiement": "FACTURE"})
    assert plain["listeFactures"] == []


def test_roles_are_kept_apart(works, apis):  # noqa: F811
    piece, _ = deposit(works, number="API-PDM")
    body = {"idFactureTravaux": piece.pk, "roleUtilisateur": "MOA", "action": "VALIDATION"}
    assert apis["moa"].post(W + "traiter", body).json()["codeRetour"] == 20096  # MOE's turn
    body["roleUtilisateur"] = "MOE"
    for name in ("moa", "company", "other"):
        assert apis[name].post(W + "traiter", body).json()["codeRetour"] != 0, name
    other = apis["other"].post(W + "consulter", {"idFactureTravaux": piece.pk}).json()
    assert other["codeRetour"] == 20000
    assert apis["other"].post(W + "rechercher", {}).json()["codeRetour"] == 20007
    bad = apis["moe"].post(W + "rechercher", {"roleUtilisateur": "ARCHITECTE"}).json()
    assert bad["libelle"] == "ROLE_INCONNU"


def test_kinds_of_works_document_filter_and_unknown_ones_find_nothing(works, apis):  # noqa: F811
    deposit(works, number="API-K")
    moe = apis["moe"]
    found = moe.call(
        W + "rechercher",
        {"roleUtilisateur": "MOE", "listeTypeFactureTravaux": ["PROJET_DECOMPTE_MENSUEL"]},
    )
    assert [r["numeroFactureTravaux"] for r in found["listeFacturesTravaux"]] == ["API-K"]
    unknown = {"roleUtilisateur": "MOE", "listeTypeFactureTravaux": ["INVENTE"]}
    assert moe.post(W + "rechercher", unknown).json()["codeRetour"] == 20007


def test_the_company_starts_the_tacit_procedure_through_the_api(works, apis):  # noqa: F811
    import datetime

    from django.utils import timezone

    from chorale.invoicing.models import InvoiceRecord

    piece, _ = deposit(works, number="API-T", frame="A14")
    body = {"idFactureTravaux": piece.pk, "montant": 119}
    early = apis["company"].post(W + "engager/procedureTacite", body).json()
    assert early["codeRetour"] == 20096
    InvoiceRecord.objects.filter(pk=piece.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=35)
    )
    detail = apis["company"].call(W + "consulter", {"idFactureTravaux": piece.pk})
    assert detail["actionsPossibles"] == ["PROCEDURE_TACITE"]
    assert apis["moe"].post(W + "engager/procedureTacite", body).json()["codeRetour"] == 20000
    done = apis["company"].call(W + "engager/procedureTacite", body)
    assert done["statutFactureTravaux"] == "REMPLACEE_PAR_A22"


def test_only_the_pieces_awaiting_the_role(works, apis):  # noqa: F811
    deposit(works, number="API-W1")  # waits for its MOE
    decided, _ = deposit(works, number="API-W2")
    apis["moe"].call(
        W + "traiter",
        {"idFactureTravaux": decided.pk, "roleUtilisateur": "MOE", "action": "VALIDATION"},
    )
    body = {"roleUtilisateur": "MOE", "uniquementATraiter": True}
    found = apis["moe"].call(W + "rechercher", body)["listeFacturesTravaux"]
    assert [r["numeroFactureTravaux"] for r in found] == ["API-W1"]
    moa = apis["moa"].call(W + "rechercher", {**body, "roleUtilisateur": "MOA"})
    assert [r["numeroFactureTravaux"] for r in moa["listeFacturesTravaux"]] == ["API-W2"]


def test_requests_to_complete_and_recycle_through_the_api(works, apis):  # noqa: F811
    piece, _ = deposit(works, number="API-DEM")
    moe, company, other = apis["moe"], apis["company"], apis["other"]
    ask = {"idFactureTravaux": piece.pk, "roleUtilisateur": "MOE", "commentaire": "Attachement ?"}
    for name, role in (("company", "FOURNISSEUR"), ("other", "MOE"), ("moa", "MOA")):
        refused = (
            apis[name]
            .post(W + "suspendre/demander/completer", {**ask, "roleUtilisateur": role})
            .json()
        )
        assert refused["codeRetour"] != 0, name
    asked = moe.call(W + "suspendre/demander/completer", ask)
    assert asked["statutFactureTravaux"] == "A_COMPLETER"
    todo = company.call(
        W + "rechercher", {"roleUtilisateur": "FOURNISSEUR", "uniquementATraiter": True}
    )
    assert [r["idFactureTravaux"] for r in todo["listeFacturesTravaux"]] == [piece.pk]
    detail = company.call(W + "consulter", {"idFactureTravaux": piece.pk})
    assert detail["actionsPossibles"] == ["COMPLETER"]
    answer = {"idFactureTravaux": piece.pk, "commentaire": "Attachement joint"}
    assert other.post(W + "completer", answer).json()["codeRetour"] == 20000
    done = company.call(W + "completer", answer)
    assert done["statutFactureTravaux"] == "MISE_A_DISPOSITION_MOE"
    again = moe.call(W + "demander/recyclage", {**ask, "commentaire": "Mauvais marché"})
    assert (again["idPiecePrecedente"], again["statutFactureTravaux"]) == (
        piece.pk,
        "EN_ATTENTE_RECYCLAGE_FOURNISSEUR",
    )
    body = {"idFactureTravaux": piece.pk, "identifiantDestinataire": RECIPIENT_SIRET,
            "numeroMarche": "INCONNU"}  # fmt: skip
    unknown = company.post(W + "recycler", body).json()
    assert unknown["libelle"] == "MARCHE_TRAVAUX_INCONNU"
    assert "INCONNU" in unknown["message"]
    recycled = company.call(W + "recycler", {**body, "numeroMarche": "MT-2026-01"})
    assert (recycled["numeroFactureTravaux"], recycled["statutFactureTravaux"]) == (
        "API-DEM",
        "MISE_A_DISPOSITION_MOE",
    )
    assert recycled["dateDepotFactureTravaux"]
