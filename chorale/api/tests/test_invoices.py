"""Consultation, history, processing of received invoices, supplier answers, group download and
the permission matrix: a technical user of structure A never reaches B's invoices."""

import base64
import io
import zipfile

import pytest

from chorale.flows.tests.factories import invoice
from chorale.invoicing.models import InvoiceRecord

from .conftest import b64
from .test_deposits import deposit

F = "/cpro/factures/v1/"


@pytest.fixture
def sent(supplier_api, recipient) -> InvoiceRecord:
    deposit(supplier_api, invoice("F-100", service="TECHNIQUE"))
    return InvoiceRecord.objects.get(number="F-100")


def test_consulter_fournisseur_gives_lines_vat_and_parties(supplier_api, sent):
    data = supplier_api.call(
        F + "consulter/fournisseur", {"identifiantFactureCPP": sent.pk, "codeLangue": "fr"}
    )
    facture = data["facture"]
    assert facture["numeroFacture"] == "F-100"
    assert facture["destinataire"]["codeServiceExecutant"] == "TECHNIQUE"
    assert facture["montantTotal"]["montantTtcTotal"] == 120
    assert isinstance(facture["lignesDePoste"]["lignePoste"], list)
    assert facture["recapitulatifDeTva"]["ligneTva"][0]["ligneTvaTauxRefCode"] == "TVA20"


def test_consulter_recipiendaire_with_the_idFacture_alias(recipient_api, sent):
    data = recipient_api.call(F + "consulter/recipiendaire", {"idFacture": sent.pk})
    assert data["facture"]["identifiantFactureCPP"] == sent.pk


def test_rechercher_recipiendaire_and_not_yet_downloaded(recipient_api, sent):
    data = recipient_api.call(
        F + "rechercher/recipiendaire",
        {
            "factureTelechargeeParDestinataire": False,
            "paramRecherche": {
                "nbResultatsParPage": 50,
                "triColonne": "DateDepot",
                "triSense": "Ascendant",
            },
        },
    )
    assert [f["idFacture"] for f in data["listeFactures"]] == [sent.pk]
    assert data["nbResultatsParPage"] == 50 and data["total"] == 1  # top-level paging keys
    group = recipient_api.call(
        F + "telecharger/groupe", {"listeFacture": [{"idFacture": sent.pk}], "format": "PIVOT"}
    )
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(group["fichierResultat"])))
    assert archive.namelist() == [f"{sent.supplier_identifier}-F-100.xml"]
    again = recipient_api.post(
        F + "rechercher/recipiendaire", {"factureTelechargeeParDestinataire": False}
    ).json()
    assert (again["codeRetour"], again["libelle"]) == (20000, "TRA_MSG_00.015")
    assert again["listeFactures"] == []


def test_traiter_recue_then_history_with_reform_codes(recipient_api, supplier_api, sent):
    possible = recipient_api.call(
        "/cpro/transverses/v1/recuperer/etats/traitement", {"statutCourant": sent.status}
    )
    targets = [
        s["statutPossiblePourTraitement"] for s in possible["listeStatutsPossiblesPourTraitement"]
    ]
    assert "SUSPENDUE" in targets and "MANDATEE" in targets
    done = recipient_api.call(
        F + "traiter/recue",
        {"identifiantFactureCPP": sent.pk, "nouveauStatut": "SUSPENDUE", "motif": "Bon manquant"},
    )
    assert done["nouveauStatut"] == "SUSPENDUE"
    history = supplier_api.call(F + "consulter/historique", {"idFacture": sent.pk})
    assert history["statutCourantCode"] == "SUSPENDUE"
    latest = history["historiquesDesStatuts"]["histoStatut"][0]
    assert latest["histoStatutCode"] == "SUSPENDUE"
    assert latest["histoStatutCommentaire"] == "Bon manquant"
    assert latest["histoStatutCodeReforme"] == 208
    assert len(latest["histoStatutDatePassage"]) == 16  # YYYY-MM-DD HH:MM


def test_traiter_recue_refuses_a_missing_reason_and_a_wrong_move(recipient_api, sent):
    no_reason = recipient_api.post(
        F + "traiter/recue", {"idFacture": sent.pk, "nouveauStatut": "REJETEE"}
    ).json()
    assert no_reason["codeRetour"] != 0 and no_reason["message"]
    wrong = recipient_api.post(
        F + "traiter/recue", {"idFacture": sent.pk, "nouveauStatut": "DEPOSEE"}
    ).json()
    assert wrong["codeRetour"] != 0


def test_completer_a_suspended_invoice_with_an_attachment(recipient_api, supplier_api, sent):
    recipient_api.call(
        F + "traiter/recue",
        {"idFacture": sent.pk, "nouveauStatut": "SUSPENDUE", "motif": "Bon de livraison ?"},
    )
    added = supplier_api.call(
        "/cpro/transverses/v1/ajouter/fichier",
        {
            "pieceJointeFichier": b64(b"bon"),
            "pieceJointeNom": "bon.txt",
            "pieceJointeTypeMime": "text/plain",
            "pieceJointeExtension": "TXT",
        },
    )
    done = supplier_api.call(
        F + "completer",
        {
            "idFacture": sent.pk,
            "commentaire": "Le voici",
            "listePiecesJointes": [{"pieceJointeId": added["pieceJointeId"]}],
        },
    )
    assert done["statutFacture"] == "COMPLETEE"
    assert sent.events.latest("id").attachments.get().name == "bon.txt"


def test_recycler_then_rejet_traite(recipient_api, supplier_api, sent, recipient):
    recipient_api.call(
        F + "traiter/recue",
        {"idFacture": sent.pk, "nouveauStatut": "A_RECYCLER", "motif": "Mauvais service"},
    )
    done = supplier_api.call(
        F + "recycler",
        {
            "idFacture": sent.pk,
            "idDestinataire": recipient.pk,
            "codeServiceExecutant": "MARCHES",
            "numeroEngagement": "EJ-42",
        },
    )
    assert done["statutFacture"] == "MISE_A_DISPOSITION"
    recipient_api.call(
        F + "traiter/recue", {"idFacture": sent.pk, "nouveauStatut": "REJETEE", "motif": "Doublon"}
    )
    supplier_api.call(F + "traiterRejet", {"listeIdFacture": [sent.pk]})
    found = supplier_api.call(F + "rechercher/fournisseur", {"rejetTraite": True})
    assert [f["identifiantFactureCPP"] for f in found["listeFactures"]] == [sent.pk]
    assert found["listeFactures"][0]["rejetTraite"] is True


def test_supplier_search_filters_and_pages(supplier_api, recipient):
    for n in range(12):
        deposit(supplier_api, invoice(f"P-{n:02d}"))
    first = supplier_api.call(F + "rechercher/fournisseur", {})
    assert len(first["listeFactures"]) == 10  # the real service's default page size
    assert first["parametresRetour"] == {
        "nbResultatsParPage": 10,
        "pageCourante": 1,
        "pages": 2,
        "total": 12,
    }
    second = supplier_api.call(
        F + "rechercher/fournisseur",
        {
            "rechercheFactureParFournisseur": {
                "pageResultatDemandee": 2,
                "triColonne": "NumeroFacture",
                "triSens": "Ascendant",
            }
        },
    )
    assert [f["numeroFacture"] for f in second["listeFactures"]] == ["P-10", "P-11"]
    one = supplier_api.call(
        F + "rechercher/fournisseur",
        {"numeroFacture": "P-03", "statutCourant": "MISE_A_DISPOSITION"},
    )
    assert [f["numeroFacture"] for f in one["listeFactures"]] == ["P-03"]


CALLS_ON_AN_INVOICE = [
    ("consulter/fournisseur", {"identifiantFactureCPP": "{id}"}),
    ("consulter/recipiendaire", {"identifiantFactureCPP": "{id}"}),
    ("consulter/historique", {"idFacture": "{id}"}),
    ("traiter/recue", {"idFacture": "{id}", "nouveauStatut": "SERVICE_FAIT"}),
    ("completer", {"idFacture": "{id}", "commentaire": "x"}),
    ("recycler", {"idFacture": "{id}", "codeDestinataire": "21990123800010"}),
    ("traiterRejet", {"listeIdFacture": ["{id}"]}),
    ("telecharger/groupe", {"listeFacture": [{"idFacture": "{id}"}]}),
]


@pytest.mark.parametrize(("path", "body"), CALLS_ON_AN_INVOICE)
def test_another_structure_never_reaches_the_invoice(other_api, sent, path, body):
    filled = eval(repr(body).replace("'{id}'", str(sent.pk)))  # noqa: S307 (test data only)
    answer = other_api.post(F + path, filled)
    assert answer.status_code == 200
    assert answer.json()["codeRetour"] == 20000, answer.json()
    sent.refresh_from_db()
    assert sent.status == "MISE_A_DISPOSITION" and sent.recipient_downloaded_at is None
    listed = other_api.call(F + "rechercher/fournisseur", {})
    assert listed["listeFactures"] == []


def test_both_searches_filter_by_engagement_and_amount_due(supplier_api, recipient_api, recipient):
    """The criteria both searches share are one serializer and one InvoiceFilters: the order
    number (numeroBonCommande) and the amount due (montantApayer…) filter both lists."""
    deposit(supplier_api, invoice("F-300", service="MARCHES", engagement="EJ-300"))
    deposit(supplier_api, invoice("F-301", service="TECHNIQUE"))
    searches = (
        (supplier_api, "rechercher/fournisseur"),
        (recipient_api, "rechercher/recipiendaire"),
    )
    for api, path in searches:
        numbers = [
            f["numeroFacture"]
            for f in api.call(F + path, {"numeroBonCommande": "EJ-300"})["listeFactures"]
        ]
        assert numbers == ["F-300"], path
        due = api.post(F + path, {"montantApayerMin": 1000}).json()
        assert due.get("listeFactures", []) == [], path
        assert len(api.call(F + path, {"montantApayerMax": 1000})["listeFactures"]) == 2, path
