"""The optional INSEE API look-up, against a stand-in API server on loopback (never INSEE)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from chorale.directory.models import SireneEstablishment, SireneUnit
from chorale.directory.selectors import sirene_siret_lookup

KEY = "cle-de-test"
ANSWER = {
    "header": {"statut": 200, "message": "ok"},
    "etablissement": {
        "siren": "130025265",
        "nic": "00013",
        "siret": "13002526500013",
        "statutDiffusionEtablissement": "O",
        "etablissementSiege": True,
        "uniteLegale": {
            "etatAdministratifUniteLegale": "A",
            "statutDiffusionUniteLegale": "O",
            "denominationUniteLegale": "DIRECTION INTERMINISTERIELLE DU NUMERIQUE",
            "categorieJuridiqueUniteLegale": "7120",
            "nicSiegeUniteLegale": "00013",
        },
        "adresseEtablissement": {
            "numeroVoieEtablissement": "20",
            "typeVoieEtablissement": "AV",
            "libelleVoieEtablissement": "DE SEGUR",
            "codePostalEtablissement": "75007",
            "libelleCommuneEtablissement": "PARIS",
            "codeCommuneEtablissement": "75107",
        },
        "periodesEtablissement": [{"dateFin": None, "etatAdministratifEtablissement": "A"}],
    },
}


class StandIn(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def do_GET(self):
        StandIn.seen.append((self.path, self.headers.get("X-INSEE-Api-Key-Integration")))
        if self.path.endswith("/siret/13002526500013"):
            body, status = json.dumps(ANSWER).encode(), 200
        elif self.path.endswith("/siret/21990123800010"):
            body, status = b'{"header":{"statut":429}}', 429
        else:
            body, status = b'{"header":{"statut":404}}', 404
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def insee(settings):
    server = HTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SIRENE_API_KEY = KEY
    settings.SIRENE_API_URL = f"http://127.0.0.1:{server.server_port}/api-sirene/3.11"
    StandIn.seen = []
    yield StandIn
    server.shutdown()


@pytest.mark.django_db
def test_live_lookup_is_off_without_a_key(settings):
    settings.SIRENE_API_KEY = ""
    assert "inconnu" in sirene_siret_lookup("13002526500013").error


@pytest.mark.django_db
def test_unknown_local_siret_is_fetched_once_with_the_key_and_stored(insee):
    lookup = sirene_siret_lookup("13002526500013")
    assert lookup.company_name == "DIRECTION INTERMINISTERIELLE DU NUMERIQUE"
    assert (lookup.address_line1, lookup.postal_code) == ("20 AVENUE DE SEGUR", "75007")
    assert insee.seen == [("/api-sirene/3.11/siret/13002526500013", KEY)]
    assert SireneEstablishment.objects.get().is_head_office
    assert SireneUnit.objects.get().legal_category == "7120"
    sirene_siret_lookup("13002526500013")
    assert len(insee.seen) == 1  # the second read is local


@pytest.mark.django_db
def test_siret_unknown_to_insee_and_unavailable_api_get_their_own_messages(insee):
    assert "inconnu" in sirene_siret_lookup("98765432400019").error
    assert "ne répond pas" in sirene_siret_lookup("21990123800010").error
