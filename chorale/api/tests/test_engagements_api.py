"""engagementsJuridiques/v1/rechercher and consulter: the buyer's technical account finds its
engagements, the supplier's those passed with it (as OCA's Odoo module asks), another
structure's nothing."""

import datetime
from decimal import Decimal

import pytest

from chorale.api.services import api_account_create
from chorale.api.tests.conftest import ErpClient
from chorale.engagements.models import Engagement, EngagementLine
from chorale.invoicing.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from conftest import make_invoice, make_structure, make_user

EJ = "/cpro/engagementsJuridiques/v1/"


@pytest.fixture
def parties(db):
    supplier = make_structure(make_user("f@example.test"), identifier=SUPPLIER_SIRET)
    buyer = make_structure(
        make_user("a@example.test"), identifier=RECIPIENT_SIRET, is_private=False
    )
    other = make_structure(make_user("o@example.test"), identifier="35600000000048")
    engagement = Engagement.objects.create(
        structure=buyer,
        number="1300012345",
        supplier_identifier=SUPPLIER_SIRET,
        supplier_name="ATELIER",
        amount=Decimal("2400.00"),
        notified_on=datetime.date(2026, 9, 1),
    )
    EngagementLine.objects.create(
        engagement=engagement, position=1, label="Entretien", amount=Decimal("2400")
    )
    invoice = make_invoice(supplier, buyer, number="F-API-EJ")
    invoice.engagement, invoice.total_with_vat = engagement, Decimal("120")
    invoice.save()
    clients = {
        name: ErpClient(api_account_create(structure=s))
        for name, s in (("supplier", supplier), ("buyer", buyer), ("other", other))
    }
    return {"supplier_id": supplier.pk, "engagement": engagement, **clients}


def test_the_supplier_checks_that_its_engagement_exists_as_odoo_does(parties):
    found = parties["supplier"].call(
        EJ + "rechercher",
        {
            "structureReceptriceEngagementJuridique": str(parties["supplier_id"]),
            "numeroEngagementJuridique": "1300012345",
            "etatCourantEngagementJuridique": "COMMANDE",
        },
    )
    (row,) = found["listeEngagementJuridique"]
    assert row["structureReceptrice"] == parties["supplier_id"]
    assert (row["montantTotalTtc"], row["libelleEtatCourantEJ"]) == (2400, "Commandé")
    assert found["parametresRetour"]["total"] == 1
    missing = parties["supplier"].call(EJ + "rechercher", {"numeroEngagementJuridique": "0000"})
    assert missing["listeEngagementJuridique"] == []


def test_the_detail_gives_issuer_receiver_postes_and_payment_requests(parties):
    detail = parties["buyer"].call(EJ + "consulter", {"numeroEngagementJuridique": "1300012345"})
    assert detail["emetteur"]["identifiant"] == RECIPIENT_SIRET
    assert detail["recepteur"]["idStructure"] == parties["supplier_id"]
    assert detail["lignePoste"][0]["libellePoste"] == "Entretien"
    (request,) = detail["demandePaiement"]
    assert (request["numeroDemandePaiement"], request["typeDemandePaiement"]) == (
        "F-API-EJ",
        "FACTURE",
    )
    assert detail["montantRestant"] == 2280


def test_another_structure_sees_nothing(parties):
    other = parties["other"]
    assert other.call(EJ + "rechercher", {})["listeEngagementJuridique"] == []
    answer = other.post(EJ + "consulter", {"idEngagementJuridique": parties["engagement"].pk})
    assert answer.status_code == 200 and answer.json()["codeRetour"] == 20000
    bad = parties["buyer"].post(EJ + "rechercher", {"etatCourantEngagementJuridique": "PERDU"})
    assert bad.json()["libelle"] == "ETAT_ENGAGEMENT_INCONNU"
