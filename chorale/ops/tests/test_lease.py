"""A flow whose worker died is resumed by the sweep once its lease runs out, not before."""

import pytest

from chorale.flows.tests.conftest import recipient, supplier  # noqa: F401 — shared fixtures
from chorale.flows.tests.test_bounded_processing import deposit, died_while_processing
from chorale.ops.sweep import resume_stuck


@pytest.fixture
def not_processed(monkeypatch):
    monkeypatch.setattr("chorale.flows.services.enqueue", lambda *args, **kwargs: None)


def test_a_flow_whose_lease_ran_out_is_resumed(
    supplier,  # noqa: F811 — the shared fixtures
    recipient,  # noqa: F811
    settings,
    monkeypatch,
    not_processed,
):
    settings.CHORALE_FLOW_LEASE_SECONDS = 60
    flow = deposit(supplier)
    queued = []
    monkeypatch.setattr("chorale.ops.sweep.enqueue", lambda task, **kw: queued.append(kw))
    died_while_processing(flow, seconds_ago=30)  # still within its lease: left alone
    assert resume_stuck(600)["flows"] == 0
    died_while_processing(flow, seconds_ago=61)
    assert resume_stuck(600)["flows"] == 1 and queued == [{"flow_id": flow.pk}]
