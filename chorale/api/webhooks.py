"""Webhooks: each life-cycle event of a structure's invoices and the end of each of its flows
is POSTed as JSON to its endpoints, signed with HMAC-SHA256, from the durable task queue, and
retried with exponential back-off for 24 hours.

Signature header: `Chorale-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`
(the receiver recomputes it over the raw body and refuses a timestamp older than 5 minutes)."""

import datetime
import hashlib
import hmac
import http.client
import json
import time

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.tasks import default_task_backend, task
from django.utils import timezone
from django.utils.translation import gettext

from chorale.core import outbound
from chorale.core.tracing import enqueue, traced
from chorale.flows.models import FINAL_STATUSES, Flow
from chorale.lifecycle.models import InvoiceEvent
from chorale.lifecycle.signals import events_written

from .models import DeliveryStatus, Webhook, WebhookDelivery

RETRY_WINDOW = datetime.timedelta(hours=24)
FIRST_DELAY = 30  # seconds; doubled at each failure, at most MAX_DELAY
MAX_DELAY = 3600
BREAKER_FAILURES = 5  # failed calls in a row before the endpoint is paused
BREAKER_PAUSE = datetime.timedelta(minutes=15)
QUEUE = "webhooks"  # never the queue of the workers that judge flows
SIGNATURE_HEADER = "Chorale-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _iso(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="milliseconds")


def invoice_event_payload(event: InvoiceEvent) -> dict:
    invoice = event.invoice
    return {
        "id": f"facture-{invoice.pk}-evenement-{event.pk}",
        "type": "facture.statut",
        "date": _iso(event.created_at),
        "facture": {
            "identifiantFactureCPP": invoice.pk,
            "numeroFacture": invoice.number,
            "statutPrecedent": event.from_status or None,
            "statut": event.to_status,
            "codeReforme": event.reform_code,
            "motif": event.reason,
            "numeroDPMandat": event.payment_order_number,
            "idFournisseur": invoice.supplier_id,
            "idDestinataire": invoice.recipient_id,
        },
    }


def flow_payload(flow: Flow) -> dict:
    return {
        "id": f"flux-{flow.number}",
        "type": "flux.traite",
        "date": _iso(flow.processed_at or timezone.now()),
        "flux": {
            "numeroFluxDepot": flow.number,
            "etatCourantFlux": flow.status,
            "nomFichier": flow.original_name,
            "nombreFacturesAcceptees": flow.accepted_count,
            "nombreFacturesRejetees": flow.rejected_count,
        },
    }


def deliveries_create(structure_ids, payload: dict) -> None:
    """One delivery per active endpoint of these structures, queued once the change commits."""
    hooks = Webhook.objects.filter(structure_id__in=set(structure_ids), is_active=True)
    for hook in hooks:
        delivery = WebhookDelivery.objects.create(
            webhook=hook,
            event_id=payload["id"],
            kind=payload["type"],
            payload=payload,
            next_attempt_at=timezone.now(),
        )
        transaction.on_commit(lambda pk=delivery.pk: enqueue(deliver_webhook, delivery_id=pk))


def _on_invoice_events(sender, events: list[InvoiceEvent], **kwargs) -> None:
    """Deliveries for the events of one or many invoices (a flow's are written together)."""
    by_invoice: dict[int, tuple] = {}
    for event in events:
        by_invoice.setdefault(event.invoice_id, (event.invoice, []))[1].append(event)
    concerned = {
        invoice.pk: [invoice.supplier_id, *([invoice.recipient_id] if invoice.recipient_id else [])]
        for invoice, _ in by_invoice.values()
    }
    watching = set(
        Webhook.objects.filter(
            structure_id__in={s for ids in concerned.values() for s in ids}, is_active=True
        ).values_list("structure_id", flat=True)
    )
    for invoice, invoice_events in by_invoice.values():
        if watching.intersection(concerned[invoice.pk]):
            for event in invoice_events:
                deliveries_create(concerned[invoice.pk], invoice_event_payload(event))


def _on_flow_saved(sender, instance: Flow, **kwargs) -> None:
    if instance.status in FINAL_STATUSES and instance.processed_at:
        deliveries_create([instance.supplier_id], flow_payload(instance))


def connect() -> None:
    events_written.connect(_on_invoice_events, dispatch_uid="api.webhooks.events")
    post_save.connect(_on_flow_saved, sender=Flow, dispatch_uid="api.webhooks.flow")


def _post(hook: Webhook, payload: dict) -> tuple[int | None, str]:
    """POST once; (HTTP status, error text). No redirect is followed (a 3xx is a failure)."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Chorale-Webhooks/1",
        SIGNATURE_HEADER: signature(hook.secret, int(time.time()), body),
        "Chorale-Event-Id": payload["id"],
        "Connection": "close",
    }
    try:
        code = outbound.post(hook.url, body, headers)
    except outbound.AddressRefused as error:
        return None, gettext("adresse refusée : %(error)s") % {
            "error": error,
        }[:300]
    except (OSError, ValueError, http.client.HTTPException) as error:
        return None, (str(error) or type(error).__name__)[:300]
    return code, "" if 200 <= code < 300 else f"HTTP {code}"


def _breaker(hook: Webhook, succeeded: bool, now) -> None:
    """Count the endpoint's failures in a row; pause it after BREAKER_FAILURES."""
    if succeeded:
        Webhook.objects.filter(pk=hook.pk).update(consecutive_failures=0, paused_until=None)
        return
    Webhook.objects.filter(pk=hook.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    hook.refresh_from_db(fields=["consecutive_failures"])
    if hook.consecutive_failures >= BREAKER_FAILURES:
        Webhook.objects.filter(pk=hook.pk).update(paused_until=now + BREAKER_PAUSE)


def webhook_attempt(delivery_id: int) -> WebhookDelivery:
    """Try one delivery now; on failure plan the next try (or give up after 24 h)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("webhook")
            .get(pk=delivery_id)
        )
        if delivery.status != DeliveryStatus.PENDING:
            return delivery
        hook, now = delivery.webhook, timezone.now()
        if not hook.is_active:  # deleted or disabled: no further attempt
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            delivery.last_error = gettext("webhook supprimé ou désactivé : plus aucun envoi")
            delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
            return delivery
        if hook.paused_until and hook.paused_until > now and delivery.kind != "test":
            # The endpoint is paused: no call; tried again once the pause is over.
            delivery.next_attempt_at = hook.paused_until
            delivery.save(update_fields=["next_attempt_at"])
            _retry_later(delivery)
            return delivery
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.save(update_fields=["attempts", "last_attempt_at"])
    code, error = _post(hook, delivery.payload)
    now = timezone.now()
    delivery.last_status_code = code
    delivery.last_error = error
    delivered = code is not None and 200 <= code < 300
    _breaker(hook, delivered, now)
    if delivered:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.next_attempt_at = None
    else:
        delay = min(FIRST_DELAY * 2 ** (delivery.attempts - 1), MAX_DELAY)
        retry_at = now + datetime.timedelta(seconds=delay)
        if retry_at > delivery.created_at + RETRY_WINDOW:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = retry_at
    delivery.save(update_fields=["status", "next_attempt_at", "last_status_code", "last_error"])
    if delivery.status == DeliveryStatus.PENDING:
        _retry_later(delivery)
    return delivery


def _retry_later(delivery: WebhookDelivery) -> None:
    if default_task_backend.supports_defer:
        enqueue(deliver_webhook.using(run_after=delivery.next_attempt_at), delivery_id=delivery.pk)


@task(queue_name=QUEUE)
@traced
def deliver_webhook(delivery_id: int) -> None:
    webhook_attempt(delivery_id)


def webhook_test(hook: Webhook) -> WebhookDelivery:
    """« Envoyer un test »: a `test` event to this endpoint alone, delivered at once."""
    payload = {
        "id": f"test-{hook.pk}-{int(time.time() * 1000)}",
        "type": "test",
        "date": _iso(timezone.now()),
        "message": gettext("Événement de test envoyé depuis Chorale."),
    }
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event_id=payload["id"], kind="test", payload=payload
    )
    return webhook_attempt(delivery.pk)
