"""Webhooks: signed JSON POSTs of life-cycle events and flow ends, retried with back-off for
24 h, a delivery log and a test button on Raccordements API."""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client
from django.utils import timezone

from chorale.api import services
from chorale.api.models import DeliveryStatus, WebhookDelivery
from chorale.api.webhooks import SIGNATURE_HEADER, webhook_attempt
from chorale.core.errors import BusinessError
from chorale.flows.tests.factories import invoice

from .test_deposits import deposit


class Receiver:
    """A loopback HTTP endpoint recording what it receives and answering `status`."""

    def __init__(self, status=200):
        self.received = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


def manager(structure):
    return structure.memberships.get(role="PRINCIPAL").user


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """The documented recipe: HMAC-SHA256 of « t.body » with the secret."""
    parts = dict(item.split("=", 1) for item in headers[SIGNATURE_HEADER].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts["v1"])


def test_life_cycle_events_and_flow_end_are_posted_signed(
    supplier, supplier_api, recipient, receiver, django_capture_on_commit_callbacks
):
    hook = services.webhook_create(
        user=manager(supplier), structure_id=supplier.pk, url=receiver.url
    )
    with django_capture_on_commit_callbacks(execute=True):
        deposit(supplier_api, invoice("W-1"))
    kinds = [json.loads(body)["type"] for _, body in receiver.received]
    assert "flux.traite" in kinds and "facture.statut" in kinds
    for headers, body in receiver.received:
        assert verify(hook.secret, headers, body)
        assert headers["Chorale-Event-Id"] == json.loads(body)["id"]
    statuses = [
        json.loads(b)["facture"]["statut"]
        for _, b in receiver.received
        if json.loads(b)["type"] == "facture.statut"
    ]
    assert statuses[-1] == "MISE_A_DISPOSITION"
    assert not WebhookDelivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists()


def test_each_invoice_of_a_batch_gets_its_own_deliveries(supplier, recipient, receiver):
    """A flow's invoices are started together (one chunk): each still gets one delivery per
    life-cycle event, for the structures that subscribed: here one recipient of two."""
    from chorale.flows.processing import flow_process
    from chorale.flows.services import flow_deposit
    from chorale.flows.tests.test_deposit import zipped
    from conftest import make_structure, make_user

    other = "21750001600019"
    make_structure(make_user("mairie@example.test"), identifier=other, is_private=False)
    hook = services.webhook_create(
        user=manager(recipient), structure_id=recipient.pk, url=receiver.url
    )
    files = {f"{n}.xml": invoice(f"LOT-{n}") for n in range(3)}
    files |= {f"autre-{n}.xml": invoice(f"AUTRE-{n}", buyer=other) for n in range(2)}
    content = zipped(files)
    flow = flow_deposit(
        user=manager(supplier),
        supplier=supplier,
        filename="lot.zip",
        content=content,
        channel="API",
    )
    flow_process(flow.pk)
    assert flow.items.filter(result="ACCEPTEE").count() == 5
    payloads = [d.payload["facture"] for d in WebhookDelivery.objects.filter(webhook=hook)]
    assert sorted((p["numeroFacture"], p["statut"]) for p in payloads) == sorted(
        (f"LOT-{n}", status)
        for n in range(3)
        for status in ("DEPOSEE", "EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION")
    )


def test_a_failed_delivery_is_retried_later_then_given_up_after_24_hours(supplier, receiver):
    receiver.status = 503
    hook = services.webhook_create(
        user=manager(supplier), structure_id=supplier.pk, url=receiver.url
    )
    from chorale.api.webhooks import webhook_test

    delivery = webhook_test(hook)
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code == 503
    first_delay = delivery.next_attempt_at - delivery.last_attempt_at
    delivery = webhook_attempt(delivery.pk)
    assert delivery.next_attempt_at - delivery.last_attempt_at > first_delay  # back-off grows
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=24)
    )
    failed = webhook_attempt(delivery.pk)
    assert failed.status == DeliveryStatus.FAILED
    receiver.status = 200
    assert webhook_attempt(delivery.pk).attempts == failed.attempts  # given up: not retried


def test_only_https_or_loopback_in_development(supplier, settings):
    user = manager(supplier)
    with pytest.raises(BusinessError):
        services.webhook_create(user=user, structure_id=supplier.pk, url="http://erp.example.fr/h")
    settings.CHORALE_WEBHOOKS_ALLOW_LOOPBACK = False
    with pytest.raises(BusinessError):
        services.webhook_create(user=user, structure_id=supplier.pk, url="http://127.0.0.1:9/h")
    assert services.webhook_create(
        user=user, structure_id=supplier.pk, url="https://erp.example.fr/h"
    )


def test_the_test_button_and_the_delivery_log(supplier, receiver):
    client = Client()
    client.force_login(manager(supplier))
    client.post(f"/structures/{supplier.pk}/webhooks/", {"url": receiver.url})
    hook = supplier.webhooks.get()
    answer = client.post(
        f"/structures/{supplier.pk}/webhooks/{hook.pk}/", {"action": "tester"}, follow=True
    )
    assert "Test livré (HTTP 200)" in answer.content.decode()
    assert json.loads(receiver.received[0][1])["type"] == "test"
    page = client.get(f"/structures/{supplier.pk}/raccordements/").content.decode()
    assert "Journal des envois" in page and "Livré" in page


def test_another_structures_manager_cannot_see_or_test_the_webhooks(
    supplier, other_supplier, receiver
):
    hook = services.webhook_create(
        user=manager(supplier), structure_id=supplier.pk, url=receiver.url
    )
    client = Client()
    client.force_login(manager(other_supplier))
    assert client.get(f"/structures/{supplier.pk}/raccordements/").status_code == 404
    client.post(f"/structures/{supplier.pk}/webhooks/{hook.pk}/", {"action": "tester"})
    client.post(f"/structures/{other_supplier.pk}/webhooks/{hook.pk}/", {"action": "tester"})
    assert receiver.received == []
