"""What PISTE accepts, Chorale accepts: request bodies in the shapes real clients build them —
null objects and lists, empty strings for unused filters, the zero values of a Go or PHP empty
struct, ISO 8601 date-times where a date is documented (and the reverse), every form of a VAT
rate, attachments as one object or a list — on the supplier and the recipient side."""

import datetime

import pytest
from django.utils import timezone

from chorale.flows.tests.factories import invoice
from chorale.invoicing.models import InvoiceRecord
from chorale.structures.services import mandate_subscribe

from .test_deposits import deposit, entry_body

SOUMETTRE = "/cpro/factures/v1/soumettre"
SUPPLIER_SEARCH = "/cpro/factures/v1/rechercher/fournisseur"
RECIPIENT_SEARCH = "/cpro/factures/v1/rechercher/recipiendaire"

# What a Go client sends for the search structs it leaves empty, what a PHP client sends for
# unused filters, and what others send as null.
NOTHING_SHAPES = {
    "null": {
        "listeDestinataire": None,
        "statutCourant": None,
        "rechercheFactureParFournisseur": None,
        "periodeDateDepotDu": None,
        "montantTTCMin": None,
        "idFournisseur": None,
    },
    "empty strings": {
        "numeroFacture": "",
        "typeFacture": "",
        "periodeDateDepotDu": "",
        "periodeDateHeureEtatCourantAu": "",
        "montantTTCMin": "",
        "idFournisseur": "",
        "statutCourant": [""],
    },
    "zero values": {
        "idFournisseur": 0,
        "idServiceFournisseur": 0,
        "listeDestinataire": [{"idDestinataire": 0, "listeIdServiceExecutant": []}],
        "rechercheFactureParFournisseur": {
            "nbResultatsParPage": 0,
            "pageResultatDemandee": 0,
            "triColonne": "",
            "triSens": "",
        },
        "recupererTaille": False,
    },
}


@pytest.fixture
def two_sent(supplier_api, recipient):
    numbers = ["TOL-1", "TOL-2"]
    for number in numbers:
        deposit(supplier_api, invoice(number))
    return numbers


@pytest.mark.parametrize("shape", NOTHING_SHAPES, ids=list(NOTHING_SHAPES))
def test_a_supplier_search_given_nothing_in_any_shape_finds_everything(
    supplier_api, two_sent, shape
):
    data = supplier_api.call(SUPPLIER_SEARCH, NOTHING_SHAPES[shape])
    assert sorted(f["numeroFacture"] for f in data["listeFactures"]) == two_sent


@pytest.mark.parametrize("shape", NOTHING_SHAPES, ids=list(NOTHING_SHAPES))
def test_a_recipient_search_given_nothing_in_any_shape_finds_everything(
    recipient_api, two_sent, shape
):
    body = {
        "null": {"listeFournisseurs": None, "paramRecherche": None, "statutCourant": None},
        "empty strings": {"numeroFacture": "", "statutCourant": "", "periodeDateFactureAu": ""},
        "zero values": {
            "idDestinataire": 0,
            "idServiceExecutant": 0,
            "listeFournisseurs": [{"idFournisseur": 0, "listeIdService": []}],
            "paramRecherche": {"nbResultatsParPage": 0, "pageResultatDemandee": 0},
        },
    }[shape]
    data = recipient_api.call(RECIPIENT_SEARCH, body)
    assert sorted(f["numeroFacture"] for f in data["listeFactures"]) == two_sent


def test_a_null_required_object_is_still_an_error_that_names_it(supplier_api, recipient):
    answer = supplier_api.post(SOUMETTRE, entry_body(destinataire=None))
    assert answer.status_code == 400
    assert answer.json()["erreurs"][0]["champ"] == "destinataire"


@pytest.mark.parametrize(
    "written",
    [
        "2026-11-20",
        "2026-11-20T00:00:00",
        "2026-11-20T00:00:00Z",
        "2026-11-20T10:15:00+01:00",
        "2026-11-20T10:15:00.536+01:00",
        "2026-11-20 10:15:00",
    ],
)
def test_a_date_field_takes_the_date_part_of_any_iso_form(
    supplier, supplier_api, recipient, written
):
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    data = supplier_api.call(SOUMETTRE, entry_body(dateFacture=written))
    sent = InvoiceRecord.objects.get(pk=data["identifiantFactureCPP"])
    assert sent.issue_date == datetime.date(2026, 11, 20)


def test_a_date_that_is_not_one_is_refused_with_the_field_named(supplier_api, recipient):
    answer = supplier_api.post(SOUMETTRE, entry_body(dateFacture="2026-13-45T00:00:00"))
    assert answer.status_code == 400
    assert answer.json()["erreurs"][0]["champ"] == "dateFacture"


def test_status_change_bounds_take_a_date_or_an_exact_moment(supplier_api, recipient_api, two_sent):
    changed = InvoiceRecord.objects.get(number="TOL-1")
    at = timezone.localtime(changed.status_changed_at)
    later = at + datetime.timedelta(seconds=1)
    InvoiceRecord.objects.filter(number="TOL-2").update(
        status_changed_at=changed.status_changed_at + datetime.timedelta(hours=1)
    )
    for client, search in ((supplier_api, SUPPLIER_SEARCH), (recipient_api, RECIPIENT_SEARCH)):
        whole_day = client.call(search, {"periodeDateHeureEtatCourantDu": at.date().isoformat()})
        assert len(whole_day["listeFactures"]) == 2
        since = client.call(search, {"periodeDateHeureEtatCourantDu": later.isoformat()})
        assert [f["numeroFacture"] for f in since["listeFactures"]] == ["TOL-2"]
        until = client.call(
            search, {"periodeDateHeureEtatCourantAu": later.strftime("%Y-%m-%dT%H:%M:%S.%f%z")}
        )
        assert [f["numeroFacture"] for f in until["listeFactures"]] == ["TOL-1"]


VAT_FORMS = {
    "code in ligneTvaTaux": {"ligneTvaTaux": "TVA5.5"},
    "rate as a string": {"ligneTvaTaux": "5.5"},
    "rate with a comma": {"ligneTvaTaux": "5,5"},
    "rate as a number": {"ligneTvaTaux": 5.5},
    "reference code": {"ligneTvaTauxRefCode": "TVA5.5"},
    "reference id": {"ligneTvaTauxRefId": 4},
    "reference value": {"ligneTvaTauxRefValeur": "5.5"},
    "manual rate": {"ligneTvaTauxManuel": 5.5},
    "manual rate as a string": {"ligneTvaTauxManuel": "5.50"},
}


@pytest.mark.parametrize("form", VAT_FORMS, ids=list(VAT_FORMS))
def test_soumettre_reads_every_form_of_a_vat_rate(supplier, supplier_api, recipient, form):
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    vat_line = {**VAT_FORMS[form], "ligneTvaMontantBaseHtParTaux": 100}
    body = entry_body(lignePoste=None, ligneTva=vat_line)  # one object, not a list
    data = supplier_api.call(SOUMETTRE, body)
    sent = InvoiceRecord.objects.get(pk=data["identifiantFactureCPP"])
    assert sent.total_without_vat == 100
    assert sent.total_with_vat == pytest.approx(105.5)


def test_soumettre_without_lines_keeps_one_line_per_vat_rate(supplier, supplier_api, recipient):
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    body = entry_body(
        lignePoste=[],
        ligneTva=[
            {"ligneTvaTauxRefCode": "TVA20", "ligneTvaMontantBaseHtParTaux": "100.00"},
            {"ligneTvaTaux": 5.5, "ligneTvaMontantBaseHtParTaux": 200},
        ],
    )
    data = supplier_api.call(SOUMETTRE, body)
    sent = InvoiceRecord.objects.get(pk=data["identifiantFactureCPP"])
    assert (sent.total_without_vat, sent.total_with_vat) == (300, 331)


@pytest.mark.parametrize(
    ("vat_line", "field"),
    [
        (
            {"ligneTvaTaux": "TVA99.9x", "ligneTvaMontantBaseHtParTaux": 100},
            "ligneTva[0].ligneTvaTaux",
        ),
        (
            {"ligneTvaTauxRefId": 99, "ligneTvaMontantBaseHtParTaux": 100},
            "ligneTva[0].ligneTvaTaux",
        ),
        ({"ligneTvaMontantBaseHtParTaux": 100}, "ligneTva[0].ligneTvaTaux"),
    ],
)
def test_an_unknown_or_missing_rate_is_refused_with_its_place(
    supplier, supplier_api, recipient, vat_line, field
):
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    answer = supplier_api.post(SOUMETTRE, entry_body(lignePoste=[], ligneTva=[vat_line]))
    assert answer.status_code == 400
    assert answer.json()["erreurs"][0]["champ"] == field
    assert not InvoiceRecord.objects.exists()


def test_several_rates_without_a_base_each_are_refused(supplier, supplier_api, recipient):
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    body = entry_body(
        lignePoste=[], ligneTva=[{"ligneTvaTaux": "TVA20"}, {"ligneTvaTaux": "TVA10"}]
    )
    answer = supplier_api.post(SOUMETTRE, body)
    assert answer.status_code == 400
    assert answer.json()["erreurs"][0]["champ"] == "ligneTva[0].ligneTvaMontantBaseHtParTaux"


def test_a_line_rate_in_every_plain_form(supplier, supplier_api, recipient):
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    for number, rate in (("L-1", "TVA20"), ("L-2", 20), ("L-3", "20.0")):
        line = {**entry_body()["lignePoste"][0], "lignePosteTauxTva": rate}
        data = supplier_api.call(SOUMETTRE, entry_body(numeroFactureSaisi=number, lignePoste=line))
        assert InvoiceRecord.objects.get(pk=data["identifiantFactureCPP"]).total_with_vat == 120


def test_soumettre_with_empty_optional_objects(supplier, supplier_api, recipient):
    """An ERP that fills only what it has: empty cadre, null attachments, zero ids."""
    mandate_subscribe(membership=supplier.memberships.get(role="PRINCIPAL"))
    body = entry_body(
        cadreDeFacturation={"codeCadreFacturation": "", "codeServiceValideur": ""},
        fournisseur={"idFournisseur": 0, "idServiceFournisseur": 0,
                     "codeCoordonneesBancairesFournisseur": 0},
        pieceJointePrincipale=None,
        pieceJointeComplementaire=[],
        commentaire=None,
        idUtilisateurCourant=0,
    )  # fmt: skip
    data = supplier_api.call(SOUMETTRE, body)
    assert InvoiceRecord.objects.get(pk=data["identifiantFactureCPP"]).supplier == supplier


@pytest.fixture
def one_sent(supplier_api, recipient) -> InvoiceRecord:
    deposit(supplier_api, invoice("TOL-ONE"))
    return InvoiceRecord.objects.get(number="TOL-ONE")


def test_every_other_call_takes_nothing_in_its_optional_fields_on_both_sides(
    supplier_api, recipient_api, one_sent, supplier, recipient
):
    """The consultations, history, structures and pagination blocks, given what Go, PHP and
    Python clients send for « nothing »."""
    paging = {"nbResultatsParPage": 0, "pageResultatDemandee": 0, "triColonne": "", "triSens": ""}
    calls = [
        (supplier_api, "factures/v1/consulter/fournisseur",
         {"identifiantFactureCPP": one_sent.pk, "idUtilisateurCourant": 0, "codeLangue": None,
          "pLignesPoste": None}),
        (recipient_api, "factures/v1/consulter/recipiendaire",
         {"idFacture": str(one_sent.pk), "idUtilisateurCourant": "", "codeLangue": ""}),
        (supplier_api, "factures/v1/consulter/historique",
         {"idFacture": one_sent.pk, "idEspace": 0, "nbResultatsMaximum": None,
          "idUtilisateurCourant": ""}),
        (recipient_api, "factures/v1/telecharger/groupe",
         {"listeFacture": [{"idFacture": one_sent.pk}, {}], "format": None,
          "avecPiecesJointesComplementaires": "", "idEspace": 0}),
        (supplier_api, "structures/v1/consulter",
         {"idStructureCPP": supplier.pk, "codeLangue": ""}),
        (supplier_api, "structures/v1/rechercher",
         {"structure": None, "restreindreStructuresPrivees": None, "parametres": paging}),
        (supplier_api, "structures/v1/rechercher",
         {"structure": {"identifiantStructure": "", "typeIdentifiantStructure": "",
                        "raisonSocialeStructure": ""}, "parametres": None}),
        (supplier_api, "structures/v1/rechercher/services",
         {"idStructure": recipient.pk, "parametresRechercherServicesStructure": paging}),
        (recipient_api, "utilisateurs/v1/monCompte/recuperer/rattachements",
         {"parametresRecherche": None, "idUtilisateurCourant": 0}),
        (supplier_api, "transverses/v1/consulterCRDetaille",
         {"numeroFluxDepot": one_sent.flow_item.flow.number, "syntaxeFlux": "", "dateDepot": None}),
    ]  # fmt: skip
    for client, path, body in calls:
        client.call("/cpro/" + path, body)  # HTTP 200 and codeRetour 0


def test_processing_and_completing_with_nothing_in_optional_fields(
    supplier_api, recipient_api, one_sent
):
    suspended = recipient_api.call(
        "/cpro/factures/v1/traiter/recue",
        {"idFacture": one_sent.pk, "nouveauStatut": "SUSPENDUE", "motif": "Bon de livraison ?",
         "numeroDPMandat": "", "idUtilisateurCourant": 0},
    )  # fmt: skip
    assert suspended["nouveauStatut"] == "SUSPENDUE"
    completed = supplier_api.call(
        "/cpro/factures/v1/completer",
        {"idFacture": one_sent.pk, "commentaire": "Le voici.", "listePiecesJointes": None,
         "idUtilisateurCourant": None},
    )  # fmt: skip
    assert completed["statutFacture"] == "COMPLETEE"
