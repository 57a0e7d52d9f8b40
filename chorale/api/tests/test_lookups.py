"""The transverses look-ups: each answers what the technical user's memberships open to it, and
another structure's technical user gets « introuvable », never the data."""

import base64

import pytest

from chorale.invoicing.formats import write_invoice
from chorale.invoicing.model import Attachment
from chorale.invoicing.tests.factories import sample_invoice
from chorale.structures.models import BankAccount
from chorale.support.models import Category

from .conftest import b64
from .test_deposits import deposit

T = "/cpro/transverses/v1/"
IBAN = "FR7630006000011234567890189"


def test_active_structures_on_each_side(supplier_api, recipient_api, supplier, recipient):
    sent = supplier_api.call(T + "recuperer/structures/actives/fournisseur")
    assert [s["idStructureCPP"] for s in sent["listeStructures"]] == [supplier.pk]
    assert sent["listeStructures"][0]["identifiant"] == supplier.identifier
    works = supplier_api.call(T + "recuperer/structures/actives/facturetravaux", None)
    assert works["listeStructures"] == sent["listeStructures"]
    received = recipient_api.call(T + "recuperer/structures/actives/destinataire", {})
    assert [s["idStructureCPP"] for s in received["listeStructures"]] == [recipient.pk]
    assert (
        supplier_api.call(T + "recuperer/structures/actives/destinataire")["listeStructures"] == []
    )


def test_structures_for_the_user_filtered_by_espace(supplier_api, supplier):
    everything = supplier_api.call(T + "recuperer/structuresPourUtilisateur", {"espaceFo": ""})
    assert [s["idStructure"] for s in everything["listeStructures"]] == [supplier.pk]
    assert "FACTURES_EMISES" in everything["listeStructures"][0]["listeEspaces"]
    received = supplier_api.call(
        T + "recuperer/structuresPourUtilisateur", {"espaceFo": "FACTURES_RECUES"}
    )
    assert received["listeStructures"] == []
    unknown = supplier_api.post(T + "recuperer/structuresPourUtilisateur", {"espaceFo": "X"})
    assert unknown.json()["codeRetour"] != 0
    assert "n'est pas un espace" in unknown.json()["message"]


def test_the_current_user_is_the_technical_account(supplier_api, supplier):
    me = supplier_api.call(T + "recuperer/utilisateurCourant")
    assert me["login"] == supplier_api.credentials["login"]
    assert me["idStructureCompteTechnique"] == supplier.pk
    assert isinstance(me["idUtilisateur"], int)


def test_bank_details_of_ones_own_structure_only(supplier_api, other_api, supplier):
    BankAccount.objects.create(
        structure=supplier, label="Compte principal", holder="ATELIER", iban=IBAN, bic="BDFEFRPP"
    )
    BankAccount.objects.create(
        structure=supplier, label="Ancien", holder="ATELIER", iban=IBAN[:-1] + "0", bic="BDFEFRPP",
        is_active=False,
    )  # fmt: skip
    mine = supplier_api.call(T + "recuperer/coordbanc/valides", {"idStructure": supplier.pk})
    assert [a["nomCoordonneeBancaire"] for a in mine["listeCoordonneeBancaire"]] == [
        "Compte principal"
    ]
    assert isinstance(mine["listeCoordonneeBancaire"][0]["idCoordonneeBancaire"], int)
    theirs = other_api.post(T + "recuperer/coordbanc/valides", {"idStructureCPP": supplier.pk})
    assert theirs.status_code == 200 and theirs.json()["codeRetour"] == 20000
    assert IBAN not in theirs.content.decode()


def test_request_types_and_their_states(supplier_api):
    types = supplier_api.call(T + "recuperer/typedp")["listeTypeDemandePaiement"]
    assert [t["typeDemandePaiement"] for t in types] == ["FACTURE"]
    states = supplier_api.call(T + "recuperer/etat/typedp", {"typeDemandePaiement": "FACTURE"})
    codes = [e["etatDemandePaiement"] for e in states["listeEtatDemandePaiement"]]
    assert "MISE_A_DISPOSITION" in codes and "MISE_EN_PAIEMENT" in codes
    unknown = supplier_api.post(T + "recuperer/etat/typedp", {"typeDemandePaiement": "MEMOIRE"})
    assert unknown.json()["codeRetour"] != 0


def test_sollicitation_categories_and_sub_categories(supplier_api):
    parent = Category.objects.create(name="Facturation", position=1)
    Category.objects.create(name="Rejet d'une facture", parent=parent)
    Category.objects.create(name="Retirée", is_active=False)
    top = supplier_api.call(T + "rechercher/categorieSollicitation")["listeCategories"]
    assert [
        c["libelleCategorieSollicitation"]
        for c in top
        if c["idCategorieSollicitation"] == parent.pk
    ]
    assert "Retirée" not in [c["libelleCategorieSollicitation"] for c in top]
    subs = supplier_api.call(
        T + "rechercher/sousCategorieSollicitation", {"idCategorieSollicitation": parent.pk}
    )["listeCategories"]
    assert [(c["libelleCategorieSollicitation"], c["idCategorieParente"]) for c in subs] == [
        ("Rejet d'une facture", parent.pk)
    ]


def test_sent_files_are_listed_and_downloaded_by_their_structure_only(supplier_api, other_api):
    added = supplier_api.call(
        T + "ajouter/fichier",
        {"pieceJointeFichier": b64(b"a;b\n1;2\n"), "pieceJointeNom": "annexe.csv",
         "pieceJointeTypeMime": "text/csv"},
    )  # fmt: skip
    mine = supplier_api.call(T + "rechercher/pj/moncompte", {"pieceJointeNom": "annexe"})
    assert [f["pieceJointeId"] for f in mine["listePiecesJointes"]] == [added["pieceJointeId"]]
    assert mine["listePiecesJointes"][0]["pieceJointeTaille"] == 8
    ours = supplier_api.call(T + "rechercher/pj/structure", {"idStructure": None})
    assert len(ours["listePiecesJointes"]) == 1
    body = {"objetPieceJointe": "FICHIER", "pieceJointeId": added["pieceJointeId"]}
    got = supplier_api.call(T + "telecharger/pieceJointe", body)
    assert base64.b64decode(got["pieceJointeFichier"]) == b"a;b\n1;2\n"
    assert other_api.call(T + "rechercher/pj/structure")["listePiecesJointes"] == []
    assert other_api.post(T + "telecharger/pieceJointe", body).json()["codeRetour"] == 20000


def test_an_invoice_attachment_for_both_sides_and_nobody_else(
    supplier_api, recipient_api, other_api, recipient
):
    model = sample_invoice("PJ-1")
    model.attachments.append(
        Attachment(reference="BL-1", filename="livraison.csv", mime_code="text/csv",
                   content=b64(b"colis;1\n"))
    )  # fmt: skip
    deposit(supplier_api, write_invoice(model, "CII"))
    invoice_id = supplier_api.call("/cpro/factures/v1/rechercher/fournisseur")["listeFactures"][0][
        "identifiantFactureCPP"
    ]
    body = {"objetPieceJointe": "DEMANDE_PAIEMENT", "idFacture": invoice_id, "pieceJointeId": 1}
    for side in (supplier_api, recipient_api):
        got = side.call(T + "telecharger/pieceJointe", body)
        assert got["pieceJointeNom"] == "livraison.csv"
        assert base64.b64decode(got["pieceJointeFichier"]) == b"colis;1\n"
    assert other_api.post(T + "telecharger/pieceJointe", body).json()["codeRetour"] == 20000
    missing = supplier_api.post(T + "telecharger/pieceJointe", {**body, "pieceJointeId": 2})
    assert "n° 2" in missing.json()["message"]


@pytest.mark.parametrize("kind", ["DEMANDE_PAIEMENT", "SOLLICITATION", "FICHIER"])
def test_an_unknown_attachment_is_not_found(supplier_api, kind):
    answer = supplier_api.post(
        T + "telecharger/pieceJointe",
        {"objetPieceJointe": kind, "idObjet": 999, "pieceJointeId": 9},
    )
    assert answer.status_code == 200 and answer.json()["codeRetour"] == 20000


def test_works_invoice_types_name_their_cadres(supplier_api):
    types = supplier_api.call(T + "recuperer/typefacturetravaux")["listeTypeFactureTravaux"]
    by_code = {t["typeFactureTravaux"]: t for t in types}
    assert by_code["ETAT_ACOMPTE"]["listeCadreFacturation"] == ["A5", "A15"]
    assert by_code["DECOMPTE_GENERAL_DEFINITIF"]["libelleTypeFactureTravaux"].startswith("Décompte")
    every_frame = [f for t in types for f in t["listeCadreFacturation"]]
    assert len(every_frame) == len(set(every_frame))  # each works cadre in one type


@pytest.mark.parametrize(
    ("frame", "codes"),
    [
        ("A9_FACTURE_SOUSTRAITANT", {"AUTRE", "MAUVAIS_VALIDEUR"}),
        ("A12", {"AUTRE", "MAUVAIS_VALIDEUR"}),
        ("A15_ETAT_ACOMPTE_MOE", {"AUTRE", "MAUVAIS_VALIDEUR", "MAUVAISE_MOE", "MAUVAISE_MOA",
                                  "REF_FAC_TRAVAUX"}),
    ],
)  # fmt: skip
def test_refusal_reasons_by_cadre(recipient_api, frame, codes):
    answer = recipient_api.call(
        T + "recuperer/motifs/refus/Facture/AValider", {"codeCadreFacturationAValider": frame}
    )
    reasons = answer["listeMotifRefusFactureAValider"]
    assert {r["codeMotif"] for r in reasons} == codes
    assert all(isinstance(r["idMotif"], int) for r in reasons)


def test_refusal_reasons_need_a_cadre_that_is_validated(recipient_api):
    missing = recipient_api.post(T + "recuperer/motifs/refus/Facture/AValider", {})
    assert missing.status_code == 400
    assert missing.json()["erreurs"][0]["champ"] == "codeCadreFacturationAValider"
    plain = recipient_api.post(
        T + "recuperer/motifs/refus/Facture/AValider", {"codeCadreFacturationAValider": "A1"}
    )
    assert plain.json()["codeRetour"] == 20000
    assert "aucune validation" in plain.json()["message"]
