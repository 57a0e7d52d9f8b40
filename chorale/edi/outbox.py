"""What the platform sends back to a connection — comptes rendus, life-cycle statuses, received
invoices, the directory, asynchronous MDNs. An SFTP connection finds it in its tree (written
whole: a client never lists half a file); an AS2 connection gets it POSTed, signed and
encrypted, from the `edi` queue, retried with exponential back-off for three days, and it is
sent once the partner's MDN accepts it. A return has a name unique per connection: the same
return is never sent twice."""

import datetime
import http.client
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.tasks import default_task_backend, task
from django.utils import timezone

from chorale.core import outbound
from chorale.core.tracing import enqueue, traced

from .models import Connection, Outgoing, OutgoingStatus, Protocol

logger = logging.getLogger(__name__)
TREE = ("depot", "retour", "annuaire")
QUEUE = "edi"  # never the queue of the workers that judge flows
FIRST_DELAY = 60  # seconds; doubled at each failure, at most MAX_DELAY
MAX_DELAY = 3600
RETRY_WINDOW = datetime.timedelta(days=3)


def root_of(partner_code: str) -> Path:
    root = Path(settings.CHORALE_EDI_ROOT) / partner_code
    for name in TREE:
        (root / name).mkdir(parents=True, exist_ok=True)
    return root


def write_whole(path: Path, content: bytes) -> None:
    """Whole or not at all: a client listing the folder never reads half a file."""
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(content)
    part.replace(path)


def deliver(connection: Connection, folder: str, name: str, content: bytes) -> None:
    """Send `name` back to the connection: into `folder` of its tree (SFTP), or to its AS2
    address once the current transaction commits."""
    if connection.protocol == Protocol.SFTP:
        write_whole(root_of(connection.partner_code) / folder / name, content)
        return
    if not connection.as2_url:
        return
    outgoing, created = Outgoing.objects.get_or_create(
        connection=connection,
        name=name,
        defaults={"content": content, "url": connection.as2_url, "next_attempt_at": timezone.now()},
    )
    if created:
        transaction.on_commit(lambda: enqueue(send_outgoing, outgoing_id=outgoing.pk))


def mdn_later(connection: Connection, url: str, headers: dict, content: bytes, of: str) -> None:
    """An asynchronous MDN, POSTed to the partner's Receipt-Delivery-Option address."""
    outgoing = Outgoing.objects.create(
        connection=connection,
        name=f"MDN_{of}"[:255],
        content=content,
        url=url,
        is_mdn=True,
        headers=headers,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: enqueue(send_outgoing, outgoing_id=outgoing.pk))


def _post(outgoing: Outgoing) -> tuple[bool, str]:
    """One POST; whether the partner accepted it, and what went wrong."""
    from . import as2

    try:
        if outgoing.is_mdn:
            status, _headers, _body = outbound.exchange(
                outgoing.url, bytes(outgoing.content), outgoing.headers, limit=65536
            )
            return 200 <= status < 300, "" if 200 <= status < 300 else f"HTTP {status}"
        message = as2.build(
            outgoing.connection, outgoing.name, bytes(outgoing.content), outgoing.message_id
        )
        headers = {key: str(value) for key, value in message.headers.items()}
        status, answer_headers, body = outbound.exchange(outgoing.url, message.content, headers)
        if not 200 <= status < 300:
            return False, f"HTTP {status}"
        raw = b"".join(f"{k}: {v}\r\n".encode() for k, v in answer_headers.items()) + b"\r\n"
        accepted, said = as2.mdn_read(message, raw + body)
        return accepted, "" if accepted else f"MDN {said}"[:300]
    except outbound.AddressRefused as error:
        return False, str(error)[:300]
    except (OSError, ValueError, http.client.HTTPException) as error:
        return False, (str(error) or type(error).__name__)[:300]


def attempt(outgoing_id: int) -> Outgoing:
    """Try one sending now; on failure plan the next try (or give up after RETRY_WINDOW)."""
    with transaction.atomic():
        outgoing = (
            Outgoing.objects.select_for_update().select_related("connection").get(pk=outgoing_id)
        )
        if outgoing.status != OutgoingStatus.PENDING:
            return outgoing
        outgoing.attempts += 1
        if not outgoing.message_id:  # kept for every retry (RFC 4130: a resent message)
            outgoing.message_id = f"{outgoing.connection.partner_code}-{uuid.uuid4().hex}"
        outgoing.save(update_fields=["attempts", "message_id"])
    accepted, error = _post(outgoing)
    now = timezone.now()
    outgoing.last_error = error
    if accepted:
        outgoing.status, outgoing.sent_at, outgoing.next_attempt_at = OutgoingStatus.SENT, now, None
    else:
        delay = min(FIRST_DELAY * 2 ** (outgoing.attempts - 1), MAX_DELAY)
        retry_at = now + datetime.timedelta(seconds=delay)
        if retry_at > outgoing.created_at + RETRY_WINDOW:
            outgoing.status, outgoing.next_attempt_at = OutgoingStatus.FAILED, None
        else:
            outgoing.next_attempt_at = retry_at
        logger.warning("EDI %s: %s not sent (%s)", outgoing.connection, outgoing.name, error)
    outgoing.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
    if outgoing.status == OutgoingStatus.PENDING and default_task_backend.supports_defer:
        enqueue(send_outgoing.using(run_after=outgoing.next_attempt_at), outgoing_id=outgoing.pk)
    return outgoing


@task(queue_name=QUEUE)
@traced
def send_outgoing(outgoing_id: int) -> None:
    attempt(outgoing_id)
