"""The API answers JSON whatever goes wrong: unknown paths, deep or huge JSON, unexpected
errors — never an HTML page."""

import json

import pytest
from django.test import Client

F = "/cpro/transverses/v1/"


@pytest.mark.parametrize("path", ["/cpro/factures/v1/nexiste/pas", "/api/nexiste/pas"])
def test_an_unknown_api_path_answers_json(supplier_api, path):
    answer = supplier_api.post(path, {})
    assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
    assert answer.json()["libelle"] == "SERVICE_INCONNU"


def test_a_portal_404_is_still_a_page(client, db):
    answer = client.get("/nexiste/pas/")
    assert answer.status_code == 404 and "text/html" in answer["Content-Type"]


def test_deeply_nested_json_is_a_400(supplier_api):
    body = "[" * 100_000 + "]" * 100_000
    answer = supplier_api.http.post(
        F + "recuperer/pays",
        data=body,
        content_type="application/json",
        headers=supplier_api.headers(),
    )
    assert answer.status_code == 400 and answer.json()["libelle"] == "JSON_INVALIDE"


def test_a_huge_body_is_a_413_in_json(supplier_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    answer = supplier_api.http.post(
        F + "recuperer/pays",
        data=json.dumps({"x": "a" * 5000}),
        content_type="application/json",
        headers=supplier_api.headers(),
    )
    assert answer.status_code == 413 and answer.json()["libelle"] == "CORPS_TROP_VOLUMINEUX"


def test_an_unexpected_error_answers_json_500_with_no_detail(supplier_api, monkeypatch):
    from chorale.lifecycle import selectors

    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(selectors, "invoices_sent", explode)
    supplier_api.http = Client(raise_request_exception=False)
    answer = supplier_api.post("/cpro/factures/v1/rechercher/fournisseur", {})
    assert answer.status_code == 500 and answer["Content-Type"] == "application/json"
    assert answer.json()["libelle"] == "ERREUR_INTERNE"
    assert "secret internal detail" not in answer.content.decode()
