"""Idempotency-Key on deposits and soumettre; rate limits per client with 429 + Retry-After."""

import pytest

from chorale.api.auth import ClientRateThrottle
from chorale.flows.models import Flow
from chorale.flows.tests.factories import invoice

from .conftest import b64

FLUX = "/cpro/factures/v1/deposer/flux"


def test_a_retried_deposit_returns_the_first_answer(supplier_api, recipient):
    body = {"fichierFlux": b64(invoice("I-1")), "nomFichier": "f.xml"}
    first = supplier_api.post(FLUX, body, **{"Idempotency-Key": "erp-42"})
    again = supplier_api.post(FLUX, body, **{"Idempotency-Key": "erp-42"})
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Flow.objects.count() == 1
    other = supplier_api.post(FLUX, body, **{"Idempotency-Key": "erp-43"})
    assert other.json()["numeroFluxDepot"] != first.json()["numeroFluxDepot"]


def test_the_same_key_with_another_body_is_422(supplier_api, recipient):
    supplier_api.post(
        FLUX,
        {"fichierFlux": b64(invoice("I-2")), "nomFichier": "f.xml"},
        **{"Idempotency-Key": "k"},
    )
    answer = supplier_api.post(
        FLUX,
        {"fichierFlux": b64(invoice("I-3")), "nomFichier": "f.xml"},
        **{"Idempotency-Key": "k"},
    )
    assert answer.status_code == 422
    assert answer.json()["libelle"] == "IDEMPOTENCE_CONFLIT"
    assert Flow.objects.count() == 1


def test_keys_are_per_technical_account(supplier_api, other_api, recipient):
    body = {"fichierFlux": b64(invoice("I-4")), "nomFichier": "f.xml"}
    supplier_api.post(FLUX, body, **{"Idempotency-Key": "meme-cle"})
    other_api.post(FLUX, body, **{"Idempotency-Key": "meme-cle"})
    assert Flow.objects.count() == 2


@pytest.fixture
def low_rate(monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"client": "3/min"})
    yield
    cache.clear()


def test_too_many_requests_get_429_with_retry_after(supplier_api, other_api, low_rate):
    for _ in range(3):
        supplier_api.call("/cpro/transverses/v1/recuperer/pays", {})
    answer = supplier_api.post("/cpro/transverses/v1/recuperer/pays", {})
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) > 0
    assert answer.json()["libelle"] == "TROP_DE_REQUETES"
    other_api.call("/cpro/transverses/v1/recuperer/pays", {})  # another client is not limited
