"""Health, readiness, metrics, request ids carried into tasks and logs, and the sweep that
queues again what a crash left unfinished."""

import datetime
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chorale.core.tracing import RequestIdFilter, current_request_id, enqueue, traced
from chorale.flows.models import Flow, FlowStatus
from chorale.flows.services import flow_deposit
from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET, invoice
from conftest import make_structure, make_user

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "webhooks"]}
}


@pytest.fixture
def parties(db):
    supplier = make_structure(make_user("f@example.test"), identifier=SUPPLIER_SIRET)
    make_structure(make_user("a@example.test"), identifier=RECIPIENT_SIRET, is_private=False)
    return supplier


def deposit(supplier, number="S-1") -> Flow:
    return flow_deposit(
        user=supplier.memberships.get().user,
        supplier=supplier,
        filename=f"{number}.xml",
        content=invoice(number),
        channel="PORTAIL",
    )


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_checks_the_database_the_storage_and_the_queue(client, db, settings):
    settings.TASKS = DB_TASKS
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"
    assert ready.json()["checks"]["storage"] == "ok"
    # A task waiting longer than allowed: the instance says it cannot keep up.
    from chorale.core.tasks import deliver_email

    enqueue(deliver_email, to="x@example.test", subject="s", text="t", html="h")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    settings.CHORALE_READY_MAX_QUEUE_AGE = 60
    late = client.get("/readyz")
    assert late.status_code == 503
    assert late.json()["status"] == "unavailable"
    assert "1 tâche(s) en attente" in late.json()["checks"]["queue"]


def test_metrics_show_flows_invoices_queue_validation_and_latency(client, parties, settings):
    deposit(parties)
    client.get("/healthz")
    text = client.get("/metrics").content.decode()
    assert 'chorale_flows{channel="PORTAIL",status="IN_INTEGRE"} 1.0' in text
    assert 'chorale_invoices{status="MISE_A_DISPOSITION"} 1.0' in text
    assert "chorale_task_queue_depth 0.0" in text
    assert "chorale_task_queue_oldest_age_seconds" in text
    assert 'chorale_validation_duration_seconds_count{syntax="CII"}' in text
    assert (
        'chorale_http_request_duration_seconds_count{method="GET",status="2xx",view="healthz"}'
        in text
    )
    settings.CHORALE_METRICS_ALLOWED_IPS = ["10.0.0.1"]
    assert client.get("/metrics").status_code == 403


def test_metrics_are_closed_unless_a_token_or_an_allow_list_is_configured(client, db, settings):
    from config.settings import base

    assert base.CHORALE_METRICS_ALLOWED_IPS == [] and base.CHORALE_METRICS_TOKEN == ""
    settings.CHORALE_METRICS_ALLOWED_IPS = []
    settings.CHORALE_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 403
    settings.CHORALE_METRICS_TOKEN = "jeton-de-supervision-1234"
    assert client.get("/metrics", headers={"Authorization": "Bearer faux"}).status_code == 403
    good = client.get("/metrics", headers={"Authorization": "Bearer jeton-de-supervision-1234"})
    assert good.status_code == 200
    # An allowed address cannot be claimed through X-Forwarded-For without a declared proxy.
    settings.CHORALE_METRICS_TOKEN = ""
    settings.CHORALE_METRICS_ALLOWED_IPS = ["10.0.0.1"]
    forged = client.get("/metrics", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert forged.status_code == 403


def test_a_request_id_is_echoed_and_carried_into_the_tasks_it_enqueues(client, db, settings):
    seen = []

    class FakeTask:
        def enqueue(self, **kwargs):
            seen.append(kwargs)

    response = client.get("/healthz", HTTP_X_REQUEST_ID="depot-42")
    assert response["X-Request-ID"] == "depot-42"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert forged["X-Request-ID"] != "<script>" and len(forged["X-Request-ID"]) == 32
    from chorale.core.tracing import request_id_set

    with request_id_set("depot-42"):
        enqueue(FakeTask(), flow_id=7)
    assert seen == [{"request_id": "depot-42", "flow_id": 7}]

    @traced
    def task_body(flow_id):
        return current_request_id(), flow_id

    assert task_body(flow_id=7, request_id="depot-42") == ("depot-42", 7)
    assert len(task_body(flow_id=7)[0]) == 32  # a task enqueued outside a request


def test_logs_are_json_lines_with_the_request_id():
    from pythonjsonlogger.json import JsonFormatter

    from chorale.core.tracing import request_id_set

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(["asctime", "levelname", "name", "request_id", "message"]))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("chorale.test.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    with request_id_set("depot-42"):
        logger.info("flux traité")
    line = json.loads(stream.getvalue())
    assert line["request_id"] == "depot-42" and line["message"] == "flux traité"


@pytest.mark.django_db(transaction=True)
def test_the_sweep_queues_again_once_what_a_crash_left_behind(settings):
    settings.TASKS = DB_TASKS
    parties = make_structure(make_user("f@example.test"), identifier=SUPPLIER_SIRET)
    make_structure(make_user("a@example.test"), identifier=RECIPIENT_SIRET, is_private=False)
    stuck, fresh = deposit(parties, "S-1"), deposit(parties, "S-2")
    DBTaskResult.objects.all().delete()  # the worker died with the tasks in hand
    Flow.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    out = io.StringIO()
    call_command("resume_stuck", "--older-than", "600", stdout=out)
    assert "1 flow(s) and 0 delivery(ies) queued again" in out.getvalue()
    call_command("resume_stuck", "--older-than", "600", stdout=out)  # already waiting: no twin
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("worker", "--batch", "--no-startup-delay", "--sweep-every", "0", verbosity=0)
    assert Flow.objects.get(pk=stuck.pk).status == FlowStatus.INTEGRATED
    assert Flow.objects.get(pk=fresh.pk).status == FlowStatus.QUEUED
