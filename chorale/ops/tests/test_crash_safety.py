"""Crash safety, proven with real processes: workers (`manage.py worker`) processing a
2 000-invoice batch are killed with SIGKILL at random moments, several times, and started
again; in the end every invoice is processed exactly once — no loss, no duplicate, no event
written twice, a complete compte rendu. Then two workers race on the same flows.

PostgreSQL only (the production engine, which CI runs): the workers are separate processes
sharing the test database."""

import io
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from chorale.flows.models import Flow, FlowItem, FlowStatus, ItemResult
from chorale.flows.services import flow_deposit
from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from chorale.invoicing.formats import write_invoice
from chorale.invoicing.models import InvoiceRecord
from chorale.invoicing.tests.factories import sample_invoice
from chorale.lifecycle.models import InvoiceEvent
from conftest import make_structure, make_user

ROOT = Path(__file__).resolve().parents[3]
DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "webhooks"]}
}
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("crash-safety proofs run on PostgreSQL (DATABASE_URL=postgres://…)")
    yield
    # Sessions of killed workers may outlive them for a moment: end them before teardown.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


def start_worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.development",
        "DATABASE_URL": database_url(),
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",  # and --no-reload: the process killed is the worker itself
        # Killed on purpose again and again: resumed within seconds, never given up.
        "CHORALE_FLOW_LEASE_SECONDS": "2",
        "CHORALE_FLOW_MAX_ATTEMPTS": "50",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.2", "--sweep-every", "1", "--stuck-after", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def batch(count: int, prefix: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(count):
            number = f"{prefix}-{n:05d}"
            archive.writestr(f"{number}.xml", write_invoice(sample_invoice(number), "CII"))
    return buffer.getvalue()


def deposit(supplier, content: bytes, name: str) -> Flow:
    return flow_deposit(
        user=supplier.memberships.get().user,
        supplier=supplier,
        filename=name,
        content=content,
        channel="API",
    )


def wait_until_final(flows, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Flow.objects.filter(pk__in=[f.pk for f in flows]).exclude(
            status__in=[FlowStatus.INTEGRATED, FlowStatus.PARTIAL, FlowStatus.REJECTED]
        ):
            return
        time.sleep(0.5)
    raise AssertionError(f"flows not finished after {timeout} s")


def assert_exactly_once(flows, per_flow: int) -> None:
    for flow in Flow.objects.filter(pk__in=[f.pk for f in flows]):
        assert flow.status == FlowStatus.INTEGRATED, flow.status
        assert (flow.accepted_count, flow.rejected_count) == (per_flow, 0)
        positions = sorted(flow.items.values_list("position", flat=True))
        assert positions == list(range(per_flow))  # the compte rendu is complete, no twin
        assert not flow.items.exclude(result=ItemResult.ACCEPTED).exists()
    total = per_flow * len(flows)
    assert InvoiceRecord.objects.count() == total
    assert (
        FlowItem.objects.filter(invoice__isnull=False).values("invoice").distinct().count() == total
    )
    events = InvoiceEvent.objects.values("invoice", "to_status").annotate(n=Count("id"))
    assert not [row for row in events if row["n"] != 1]  # no event written twice
    assert InvoiceEvent.objects.count() == 3 * total  # Déposée, acheminement, mise à disposition


def test_killed_workers_lose_nothing_and_duplicate_nothing(postgresql, settings):
    settings.TASKS = DB_TASKS
    supplier = make_structure(make_user("f@example.test"), identifier=SUPPLIER_SIRET)
    make_structure(make_user("a@example.test"), identifier=RECIPIENT_SIRET, is_private=False)
    flow = deposit(supplier, batch(2000, "K"), "lot-2000.zip")
    rng = random.Random()
    seed = rng.randrange(1 << 30)
    rng.seed(seed)
    for kills in range(1, 6):
        workers = [start_worker(), start_worker()]
        time.sleep(rng.uniform(2.0, 6.0))  # start-up included: some kills land mid-batch
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        done = FlowItem.objects.filter(flow=flow).count()
        print(f"seed {seed}: kill {kills} after {done} documents judged")
    workers = [start_worker(), start_worker()]
    try:
        wait_until_final([flow], timeout=600)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
    assert_exactly_once([flow], 2000)


def test_two_workers_racing_on_the_same_flows_judge_each_document_once(postgresql, settings):
    settings.TASKS = DB_TASKS
    supplier = make_structure(make_user("f@example.test"), identifier=SUPPLIER_SIRET)
    make_structure(make_user("a@example.test"), identifier=RECIPIENT_SIRET, is_private=False)
    flows = [deposit(supplier, batch(150, f"R{n}"), f"lot-{n}.zip") for n in range(4)]
    from chorale.core.tracing import enqueue
    from chorale.flows.tasks import process_flow

    for flow in flows:  # every flow queued twice: both workers take one of each pair
        enqueue(process_flow, flow_id=flow.pk)
    workers = [start_worker(), start_worker()]
    try:
        wait_until_final(flows, timeout=300)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
    assert_exactly_once(flows, 150)
