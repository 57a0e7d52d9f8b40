"""deposer/flux, consulterCR, consulterCRDetaille, deposer/pdf and soumettre, with the request
bodies of chorus-api.md."""

import base64

from chorale.flows.models import Flow
from chorale.flows.tests.factories import RECIPIENT_SIRET, invoice
from chorale.invoicing.models import InvoiceRecord
from chorale.structures.services import mandate_subscribe

from .conftest import b64

FLUX = "/cpro/factures/v1/deposer/flux"


def deposit(api, content: bytes, name="facture.xml") -> str:
    data = api.call(
        FLUX,
        {
            "fichierFlux": b64(content),
            "nomFichier": name,
            "syntaxeFlux": "IN_DP_E1_CII_16B",
            "avecSignature": False,
            "idUtilisateurCourant": 0,
            "champInconnu": "ignoré",
        },
    )
    assert data["numeroFluxDepot"].startswith("CPP") and len(data["numeroFluxDepot"]) == 25
    assert data["syntaxeFlux"] == "IN_DP_E1_CII_16B"
    return data["numeroFluxDepot"]


def test_deposit_then_report_then_search_by_flow_number(supplier_api, recipient):
    number = deposit(supplier_api, invoice("F-API-1"))
    report = supplier_api.call("/cpro/transverses/v1/consulterCR", {"numeroFluxDepot": number})
    assert report["etatCourantFlux"] == "IN_INTEGRE"
    assert base64.b64decode(report["fichierCR"]).startswith(b"%PDF")
    found = supplier_api.call(
        "/cpro/factures/v1/rechercher/fournisseur",
        {"numeroFluxDepot": number, "typeFacture": "FACTURE"},
    )
    assert [f["numeroFacture"] for f in found["listeFactures"]] == ["F-API-1"]
    row = found["listeFactures"][0]
    assert row["statut"] == "MISE_A_DISPOSITION"
    assert row["codeDestinataire"] == RECIPIENT_SIRET
    assert row["modeDepot"] == "DEPOT_API"
    assert found["parametresRetour"]["nbResultatsParPage"] == 10


def test_detailed_report_lists_each_rule_broken_as_a_list(supplier_api, recipient):
    number = deposit(supplier_api, invoice("F-API-2", buyer="00000000000000"))
    detail = supplier_api.call(
        "/cpro/transverses/v1/consulterCRDetaille", {"numeroFluxDepot": number}
    )
    assert detail["etatCourantDepotFlux"] == "IN_REJETE"
    assert isinstance(detail["listeErreurDP"], list) and detail["listeErreurDP"]
    error = detail["listeErreurDP"][0]
    assert error["numeroDP"] == "F-API-2"
    assert error["codeErreurDP"] and error["libelleErreurDP"].startswith(error["codeErreurDP"])
    assert isinstance(detail["listeErreurTechnique"], list)
    # Where in the XML (OCA #414's cryptic rejections): a rule on the document as a whole, as
    # these Chorus rules are, has none
    assert all("cheminXPath" in e for e in detail["listeErreurDP"])


def test_bad_base64_and_unknown_syntax_are_400_naming_the_field(supplier_api):
    bad = supplier_api.post(FLUX, {"fichierFlux": "%%%", "nomFichier": "f.xml"})
    assert bad.status_code == 400
    assert bad.json()["erreurs"][0]["champ"] == "fichierFlux"
    syntax = supplier_api.post(
        FLUX, {"fichierFlux": b64(b"<x/>"), "nomFichier": "f.xml", "syntaxeFlux": "IN_NIMPORTE"}
    )
    assert syntax.status_code == 400
    assert syntax.json()["erreurs"][0]["champ"] == "syntaxeFlux"
    missing = supplier_api.post(FLUX, {"nomFichier": "f.xml"})
    assert missing.json()["erreurs"][0]["champ"] == "fichierFlux"


def test_an_oversized_flow_is_a_business_refusal(supplier_api, settings):
    settings.CHORALE_API_MAX_FLUX_BYTES = 10
    answer = supplier_api.post(FLUX, {"fichierFlux": b64(b"x" * 11), "nomFichier": "f.xml"})
    assert answer.status_code == 200
    assert answer.json()["codeRetour"] == 20001
    assert answer.json()["libelle"] == "GDP_MSG_11.022"
    assert not Flow.objects.exists()


def test_another_structures_flow_report_is_not_found(supplier_api, other_api, recipient):
    number = deposit(supplier_api, invoice("F-API-3"))
    answer = other_api.post("/cpro/transverses/v1/consulterCR", {"numeroFluxDepot": number})
    assert answer.json()["codeRetour"] == 20000


def entry_body(**changes) -> dict:
    body = {
        "modeDepot": "SAISIE_API",
        "numeroFactureSaisi": "S-API-1",
        "dateFacture": "2026-11-20",
        "idUtilisateurCourant": 0,
        "destinataire": {"codeDestinataire": RECIPIENT_SIRET, "codeServiceExecutant": "TECHNIQUE"},
        "fournisseur": {"idFournisseur": None},
        "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"},
        "references": {
            "deviseFacture": "EUR",
            "typeFacture": "FACTURE",
            "typeTva": "TVA_SUR_DEBIT",
            "modePaiement": "VIREMENT",
        },
        "lignePoste": [
            {
                "lignePosteNumero": 1,
                "lignePosteDenomination": "Maintenance",
                "lignePosteQuantite": 2,
                "lignePosteUnite": "HUR",
                "lignePosteMontantUnitaireHT": 50,
                "lignePosteTauxTva": "TVA20",
            },
        ],
        "montantTotal": {
            "montantHtTotal": 100,
            "montantTVA": 20,
            "montantTtcTotal": 120,
            "montantAPayer": 120,
        },
        "nom": "extra field a client sends",
    }
    body.update(changes)
    return body


def test_soumettre_a_typed_invoice(supplier, supplier_api, recipient):
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    data = supplier_api.call("/cpro/factures/v1/soumettre", entry_body())
    invoice_ = InvoiceRecord.objects.get(pk=data["identifiantFactureCPP"])
    assert invoice_.number == "S-API-1"
    assert invoice_.total_with_vat == 120
    assert invoice_.service.code == "TECHNIQUE"
    assert data["identifiantStructure"] == supplier.identifier
    assert data["statutFacture"] == invoice_.status
    found = supplier_api.call(
        "/cpro/factures/v1/rechercher/fournisseur", {"numeroFacture": "S-API-1"}
    )
    assert found["listeFactures"][0]["modeDepot"] == "SAISIE_API"


def test_soumettre_without_the_billing_mandate_is_refused(supplier_api, recipient):
    answer = supplier_api.post("/cpro/factures/v1/soumettre", entry_body())
    assert answer.status_code == 200
    assert answer.json()["codeRetour"] != 0
    assert "mandat" in answer.json()["message"]


def test_soumettre_for_another_supplier_is_refused(
    supplier, supplier_api, other_supplier, recipient
):
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    body = entry_body(fournisseur={"idFournisseur": other_supplier.pk})
    answer = supplier_api.post("/cpro/factures/v1/soumettre", body)
    assert answer.json()["libelle"] == "GDP_MSG_11.005"
    assert not InvoiceRecord.objects.exists()


def test_deposer_pdf_then_soumettre_with_the_pdf_object_or_array(supplier, supplier_api, recipient):
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    pdf = b"%PDF-1.4\n% a plain PDF invoice\n%%EOF\n"
    for number, principal in (("P-1", "object"), ("P-2", "array")):
        sent = supplier_api.call(
            "/cpro/factures/v1/deposer/pdf",
            {
                "fichierFacture": b64(pdf),
                "nomFichier": f"{number}.pdf",
                "formatDepot": "PDF_NON_SIGNE",
            },
        )
        assert sent["numeroFacture"] is None  # a plain PDF: nothing to pre-fill
        main = {
            "pieceJointePrincipaleDesignation": "Facture",
            "pieceJointePrincipaleId": sent["pieceJointeId"],
        }
        body = entry_body(
            modeDepot="DEPOT_PDF_API",
            numeroFactureSaisi=number,
            lignePoste=[],
            ligneTva=[{"ligneTvaTaux": "TVA20", "ligneTvaMontantBaseHtParTaux": 100}],
            pieceJointePrincipale=main if principal == "object" else [main],
        )
        data = supplier_api.call("/cpro/factures/v1/soumettre", body)
        assert InvoiceRecord.objects.get(pk=data["identifiantFactureCPP"]).number == number
        history = supplier_api.call(
            "/cpro/factures/v1/consulter/historique", {"idFacture": data["identifiantFactureCPP"]}
        )
        assert history["modeDepot"] == "DEPOT_PDF_API"


def test_deposer_pdf_refuses_what_is_not_a_pdf_and_a_file_over_10_mb(supplier_api, settings):
    answer = supplier_api.post(
        "/cpro/factures/v1/deposer/pdf", {"fichierFacture": b64(b"hello"), "nomFichier": "a.pdf"}
    )
    assert answer.status_code == 400
    settings.CHORALE_API_MAX_FILE_BYTES = 8
    big = supplier_api.post(
        "/cpro/factures/v1/deposer/pdf",
        {"fichierFacture": b64(b"%PDF-1.4 long"), "nomFichier": "a.pdf"},
    )
    assert big.status_code == 413
    assert big.json()["libelle"] == "FICHIER_TROP_VOLUMINEUX"


def test_a_file_of_another_structure_cannot_be_attached(
    supplier, supplier_api, other_api, recipient
):
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    theirs = other_api.call(
        "/cpro/transverses/v1/ajouter/fichier",
        {
            "pieceJointeFichier": b64(b"secret"),
            "pieceJointeNom": "x.txt",
            "pieceJointeTypeMime": "text/plain",
            "pieceJointeExtension": "TXT",
        },
    )
    body = entry_body(
        pieceJointeComplementaire=[{"pieceJointeComplementaireId": theirs["pieceJointeId"]}]
    )
    answer = supplier_api.post("/cpro/factures/v1/soumettre", body)
    assert answer.json()["libelle"] == "PIECE_JOINTE_INCONNUE"


def test_soumettre_a_sub_contractors_invoice_names_its_validator(
    supplier, supplier_api, other_supplier, recipient
):
    """Cadre A9: the invoice waits for the titulaire named in cadreDeFacturation; without a
    validator the call says which field is missing."""
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    missing = supplier_api.post(
        "/cpro/factures/v1/soumettre",
        entry_body(cadreDeFacturation={"codeCadreFacturation": "A9_FACTURE_SOUSTRAITANT"}),
    )
    assert "codeStructureValideur" in missing.text
    cadre = {
        "codeCadreFacturation": "A9_FACTURE_SOUSTRAITANT",
        "codeStructureValideur": other_supplier.identifier,
    }
    data = supplier_api.call("/cpro/factures/v1/soumettre", entry_body(cadreDeFacturation=cadre))
    invoice_ = InvoiceRecord.objects.get(pk=data["identifiantFactureCPP"])
    assert (invoice_.frame, invoice_.status) == ("A9", "A_VALIDER_1")
    assert invoice_.validations.get().structure == other_supplier


def test_soumettre_a_works_draft_names_its_contract(
    supplier, supplier_api, other_supplier, recipient
):
    """Cadre A4: the piece goes to the maître d'œuvre of the works contract numeroMarche names;
    without it the call says which field is missing."""
    from chorale.engagements.models import WorksContract

    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    contract = WorksContract.objects.create(
        buyer=recipient, number="MT-API", moa=recipient, moe=other_supplier
    )
    contract.suppliers.add(supplier)
    cadre = {"codeCadreFacturation": "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR"}
    missing = supplier_api.post("/cpro/factures/v1/soumettre", entry_body(cadreDeFacturation=cadre))
    assert "references.numeroMarche" in missing.text
    references = {"deviseFacture": "EUR", "typeFacture": "FACTURE", "numeroMarche": "MT-API"}
    data = supplier_api.call(
        "/cpro/factures/v1/soumettre",
        entry_body(cadreDeFacturation=cadre, references=references),
    )
    piece = InvoiceRecord.objects.get(pk=data["identifiantFactureCPP"])
    assert (piece.frame, piece.status, piece.works_contract) == (
        "A4",
        "MISE_A_DISPOSITION_MOE",
        contract,
    )
    refused = supplier_api.post(
        "/cpro/factures/v1/soumettre",
        entry_body(cadreDeFacturation={"codeCadreFacturation": "A15_ETAT_ACOMPTE_MOE"}),
    )
    assert refused.json()["libelle"] == "CADRE_FACTURATION_NON_PRIS_EN_CHARGE"
