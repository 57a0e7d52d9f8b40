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


@pytest.fixture
def dns(monkeypatch):
    """Names resolved as the test says (the machine has no DNS): {name: [addresses]}; every
    look-up is counted."""
    import socket

    table, calls = {}, []
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        calls.append(host)
        if host in table:
            answer = table[host]
            addresses = answer.pop(0) if isinstance(answer[0], list) else answer
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                     (a, port or 0)) for a in addresses]  # fmt: skip
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    table["calls"] = calls
    return table


def test_only_https_or_loopback_in_development(supplier, settings, dns):
    dns["erp.example.fr"] = ["93.184.215.14"]
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


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/h",
        "https://localhost/h",
        "https://[::1]/h",
        "https://10.1.2.3/h",
        "https://172.16.0.1/h",
        "https://192.168.1.10/h",
        "https://169.254.169.254/latest/meta-data",
        "https://[fc00::1]/h",
        "https://[fe80::1]/h",
        "https://224.0.0.1/h",
        "https://0.0.0.0/h",
        "https://[::ffff:127.0.0.1]/h",
        "https://[::ffff:10.0.0.1]/h",
        "https://2130706433/h",
        "https://0x7f.1/h",
        "https://interne.example.fr/h",
    ],
)
def test_registration_refuses_any_address_that_is_not_public(supplier, settings, dns, url):
    settings.CHORALE_WEBHOOKS_ALLOW_LOOPBACK = False
    dns["interne.example.fr"] = ["93.184.215.14", "10.0.0.5"]  # one private answer is enough
    with pytest.raises(BusinessError) as refused:
        services.webhook_create(user=manager(supplier), structure_id=supplier.pk, url=url)
    assert refused.value.code == "webhook_url" and "Adresse refusée" in refused.value.message
    assert not supplier.webhooks.exists()


def test_delivery_connects_to_the_address_it_checked(supplier, receiver, dns):
    """A name that answers a public address, then (rebinding) a private one: the call goes to
    the address checked, with one look-up and the name as Host."""
    port = receiver.server.server_port
    dns["erp.example.fr"] = [["127.0.0.1"], ["10.0.0.9"]]
    hook = services.webhook_create(
        user=manager(supplier), structure_id=supplier.pk, url=f"http://erp.example.fr:{port}/h"
    )
    dns["erp.example.fr"] = [["127.0.0.1"], ["10.0.0.9"]]
    dns["calls"].clear()
    from chorale.api.webhooks import webhook_test

    delivery = webhook_test(hook)
    assert delivery.status == DeliveryStatus.DELIVERED
    # One look-up of the name; the connection is opened to the literal address checked.
    assert dns["calls"] == ["erp.example.fr", "127.0.0.1"]
    assert receiver.received[0][0]["Host"] == f"erp.example.fr:{port}"


class Silent:
    """An endpoint that accepts connections and never answers."""

    def __init__(self):
        import socket

        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/hook"

    def close(self):
        self.server.close()


def test_a_silent_endpoint_costs_one_bounded_call_then_is_paused(supplier, settings):
    import time

    from chorale.api import webhooks
    from chorale.api.webhooks import BREAKER_FAILURES, webhook_test
    from chorale.core import outbound

    silent = Silent()
    try:
        hook = services.webhook_create(
            user=manager(supplier), structure_id=supplier.pk, url=silent.url
        )
        started = time.monotonic()
        delivery = webhook_test(hook)
        assert time.monotonic() - started < outbound.TOTAL_TIMEOUT + 2
        assert delivery.status == DeliveryStatus.PENDING and delivery.last_error
        for _ in range(BREAKER_FAILURES - 1):
            webhooks._breaker(hook, False, timezone.now())
        hook.refresh_from_db()
        assert hook.paused_until and hook.paused_until > timezone.now()
        # Paused: the next delivery makes no call at all and waits for the end of the pause.
        later = WebhookDelivery.objects.create(
            webhook=hook, event_id="e", kind="facture.statut", payload={"id": "e"}
        )
        started = time.monotonic()
        later = webhook_attempt(later.pk)
        assert time.monotonic() - started < 1
        assert later.attempts == 0 and later.next_attempt_at == hook.paused_until
        client = Client()
        client.force_login(manager(supplier))
        page = client.get(f"/structures/{supplier.pk}/raccordements/").content.decode()
        assert "En pause" in page
    finally:
        silent.close()


def test_a_success_closes_the_breaker(supplier, receiver):
    from chorale.api.webhooks import webhook_test

    hook = services.webhook_create(
        user=manager(supplier), structure_id=supplier.pk, url=receiver.url
    )
    type(hook).objects.filter(pk=hook.pk).update(consecutive_failures=3)
    webhook_test(hook)
    hook.refresh_from_db()
    assert (hook.consecutive_failures, hook.paused_until) == (0, None)


def test_a_deleted_webhook_gets_no_further_attempt(supplier, receiver):
    hook = services.webhook_create(
        user=manager(supplier), structure_id=supplier.pk, url=receiver.url
    )
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event_id="e", kind="facture.statut", payload={"id": "e"}
    )
    services.webhook_delete(user=manager(supplier), structure_id=supplier.pk, webhook_id=hook.pk)
    delivery = webhook_attempt(delivery.pk)
    assert delivery.status == DeliveryStatus.FAILED and receiver.received == []


def test_deliveries_never_share_the_queue_of_the_flows():
    from chorale.api.webhooks import deliver_webhook
    from chorale.core.tasks import deliver_email
    from chorale.flows.tasks import process_flow

    assert deliver_webhook.queue_name == "webhooks"
    assert process_flow.queue_name == deliver_email.queue_name == "default"
