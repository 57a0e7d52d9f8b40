"""Schemathesis against the committed OpenAPI document (docs/openapi.yaml), on a live server:
requests generated from every operation's schema, valid and broken, with real credentials;
no answer may be a server error (5xx)."""

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from chorale.api.services import api_account_create

from .conftest import ErpClient

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"
EXAMPLES_PER_OPERATION = 12


@pytest.mark.django_db(transaction=True)
def test_no_generated_request_gets_a_server_error(live_server, supplier, recipient):
    erp = ErpClient(api_account_create(structure=supplier))
    headers = erp.headers()
    schema = schemathesis.openapi.from_path(str(SCHEMA))
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case):
            response = case.call(base_url=live_server.url, headers=headers, timeout=30)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.path} → {response.status_code}")

        call()
    assert not failures, "\n".join(sorted(set(failures))[:20])
