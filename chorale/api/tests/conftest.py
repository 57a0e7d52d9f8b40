"""Two structures and a technical account each, and a client that calls the API as an ERP."""

import base64
import json

import pytest
from django.test import Client

from chorale.api.services import api_account_create
from chorale.flows.tests.conftest import recipient, supplier  # noqa: F401 — shared fixtures
from conftest import make_structure, make_user


class ErpClient:
    """Calls /cpro/… with a token and cpro-account, as Chorus Pro clients do."""

    def __init__(self, credentials: dict):
        self.http = Client()
        self.credentials = credentials
        answer = self.http.post(
            "/api/oauth/token",
            {
                "grant_type": "client_credentials",
                "client_id": credentials["client_id"],
                "client_secret": credentials["client_secret"],
                "scope": "openid",
            },
        )
        assert answer.status_code == 200, answer.content
        self.token = answer.json()["access_token"]

    def headers(self, **extra) -> dict:
        account = f"{self.credentials['login']}:{self.credentials['password']}"
        return {
            "Authorization": f"Bearer {self.token}",
            "cpro-account": base64.b64encode(account.encode()).decode(),
            **extra,
        }

    def post(self, path: str, body: dict | None = None, **headers):
        return self.http.post(
            path,
            data=json.dumps(body if body is not None else {}),
            content_type="application/json;charset=utf-8",
            headers=self.headers(**headers),
        )

    def call(self, path: str, body: dict | None = None) -> dict:
        """A successful call's JSON (HTTP 200 and codeRetour 0)."""
        answer = self.post(path, body)
        assert answer.status_code == 200, answer.content
        data = answer.json()
        assert data["codeRetour"] == 0, data
        return data


@pytest.fixture
def other_supplier(db):
    return make_structure(
        make_user("autre@example.test"), identifier="44306184100047", company_name="AUTRE SARL"
    )


@pytest.fixture
def supplier_api(supplier) -> ErpClient:  # noqa: F811 — the shared fixture
    return ErpClient(api_account_create(structure=supplier))


@pytest.fixture
def recipient_api(recipient) -> ErpClient:  # noqa: F811 — the shared fixture
    return ErpClient(api_account_create(structure=recipient))


@pytest.fixture
def other_api(other_supplier) -> ErpClient:
    return ErpClient(api_account_create(structure=other_supplier))


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")
