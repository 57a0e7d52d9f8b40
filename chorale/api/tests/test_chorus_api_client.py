"""The real PyPI client `chorus-api` 1.0.6, unchanged but for its two base URLs, against the live
test server: token → deposer/flux → consulterCR until integrated → rechercher/fournisseur →
consulterCRDetaille → structures calls → transverses calls."""

import base64
import time

import pytest

from chorale.api.services import api_account_create
from chorale.flows.tests.factories import RECIPIENT_SIRET, invoice


@pytest.fixture
def chorus(live_server, supplier, recipient):
    from chorusapi.client import ChorusAPI

    created = api_account_create(structure=supplier)
    client = ChorusAPI(
        created["client_id"], created["client_secret"], created["login"], created["password"]
    )
    client.auth_url = f"{live_server.url}/api/oauth/token"
    client.api_url = live_server.url
    return client.auth()


def test_an_unchanged_chorus_pro_client_works_end_to_end(chorus, recipient):
    assert chorus.get_token()
    assert chorus.health_check().status_code_value == 200

    content = base64.b64encode(invoice("CPRO-1")).decode()
    deposit = chorus.deposer_flux(content, "CPRO-1.xml", syntaxe_flux="IN_DP_E1_CII_16B")
    assert deposit.code_retour == 0 and deposit.numero_flux_depot.startswith("CPP")

    for _ in range(50):
        report = chorus.consulter_cr(deposit.numero_flux_depot)
        if report.etat_courant_flux in ("IN_INTEGRE", "IN_REJETE", "IN_INTEGRE_PARTIEL"):
            break
        time.sleep(0.1)
    assert report.etat_courant_flux == "IN_INTEGRE"
    assert base64.b64decode(report.fichier_cr).startswith(b"%PDF")

    found = chorus.rechercher_facture(deposit.numero_flux_depot)
    assert [f.numero_facture for f in found.liste_factures] == ["CPRO-1"]
    assert found.liste_factures[0].statut == "MISE_A_DISPOSITION"

    detail = chorus.consulter_cr_detaille(deposit.numero_flux_depot)
    assert detail.etat_courant_depot_flux == "IN_INTEGRE" and detail.liste_erreur_dp == []

    structures = chorus.rechercher_structure(RECIPIENT_SIRET).liste_structures
    assert [s.id_structure_cpp for s in structures] == [recipient.pk]
    services = chorus.rechercher_services(recipient.pk).liste_structures
    assert {s.code_service for s in services} == {"MARCHES", "TECHNIQUE"}
    consulted = chorus.consulter_structure(recipient.pk)
    assert consulted.information_generales.identifiant_structure == RECIPIENT_SIRET
    assert consulted.parametres.code_service_doit_etre_renseigne is False

    assert any(d.code_devise == "EUR" for d in chorus.devises().liste_devises)
    assert chorus.annuaire_destinataire().code_retour == 0


def test_a_rejected_flow_reads_its_errors_through_the_client(chorus):
    content = base64.b64encode(invoice("CPRO-2", buyer="00000000000000")).decode()
    deposit = chorus.deposer_flux(content, "CPRO-2.xml", syntaxe_flux="IN_DP_E1_CII_16B")
    detail = chorus.consulter_cr_detaille(deposit.numero_flux_depot)
    assert detail.etat_courant_depot_flux == "IN_REJETE"
    assert detail.liste_erreur_dp and detail.liste_erreur_dp[0].numero_dp == "CPRO-2"
