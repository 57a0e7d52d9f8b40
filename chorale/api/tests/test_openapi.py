"""The OpenAPI 3.1 document: generated without a warning, served, and the committed copy
(docs/openapi.yaml) kept equal to it."""

from pathlib import Path

from django.core.management import call_command
from django.test import Client

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"


def generated(tmp_path) -> str:
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    return target.read_text()


def test_the_schema_is_warning_free_and_committed(tmp_path):
    schema = generated(tmp_path)
    assert schema.startswith("openapi: 3.1.0")
    assert "/cpro/factures/v1/deposer/flux:" in schema
    assert COMMITTED.read_text() == schema, (
        "docs/openapi.yaml is stale: run `make openapi` and commit it"
    )


def test_schema_and_docs_are_served_without_credentials(db):
    client = Client()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"cpro-account" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
