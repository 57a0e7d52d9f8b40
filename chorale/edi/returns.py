"""The return flows about invoices (edi.md §3–4): each status change as a CDAR message to the
connections that asked for life-cycle statuses (the supplier's, the one that deposited the
invoice, the recipient's); each invoice « Mise à disposition » delivered to the recipient's
receiving connections (its original file and a CII or UBL copy, in one zip); the statuses a
recipient's system sends back, applied as `traiter/recue` applies them; and the public
directory, once a day, in `annuaire/`.

Everything is sent after the change commits: a connection never hears of a status rolled back."""

import datetime
import io
import logging
import zipfile
from collections.abc import Iterable

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.core.files import safe_filename
from chorale.core.tracing import traced
from chorale.directory.annuaire import recipients_directory_zip
from chorale.flows.models import FlowItem
from chorale.invoicing.files import invoice_original
from chorale.invoicing.formats import read_invoice, write_invoice
from chorale.invoicing.formats.detect import CII, UBL_INVOICE
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.models import InvoiceEvent
from chorale.lifecycle.services import invoice_transition
from chorale.lifecycle.statuses import RECIPIENT, Status

from . import cdar
from .models import Connection, ReceivedFile
from .outbox import QUEUE, deliver, root_of

logger = logging.getLogger(__name__)


def _connections(structure_ids: Iterable[int]) -> dict[int, list[Connection]]:
    by_structure: dict[int, list[Connection]] = {}
    for connection in Connection.objects.filter(structure_id__in=set(structure_ids)):
        if connection.may_exchange:
            by_structure.setdefault(connection.structure_id, []).append(connection)
    return by_structure


def _depositors(invoice_ids: Iterable[int]) -> dict[int, Connection]:
    """The connection whose file brought each invoice (an operator's, say)."""
    numbers = dict(
        FlowItem.objects.filter(invoice_id__in=set(invoice_ids)).values_list(
            "invoice_id", "flow__number"
        )
    )
    files = ReceivedFile.objects.filter(flow_number__in=set(numbers.values())).select_related(
        "connection"
    )
    by_number = {f.flow_number: f.connection for f in files if f.connection.may_exchange}
    return {
        invoice_id: by_number[number]
        for invoice_id, number in numbers.items()
        if number in by_number
    }


def events_send(event_ids: list[int]) -> None:
    """Send what these status changes mean to the connections concerned."""
    events = list(
        InvoiceEvent.objects.filter(pk__in=event_ids, reform_code__isnull=False)
        .select_related("invoice")
        .order_by("id")
    )
    if not events:
        return
    invoices = {e.invoice_id: e.invoice for e in events}
    structures = {i.supplier_id for i in invoices.values()} | {
        i.recipient_id for i in invoices.values() if i.recipient_id
    }
    by_structure = _connections(structures)
    depositors = _depositors(invoices) if by_structure or ReceivedFile.objects.exists() else {}
    for event in events:
        invoice = event.invoice
        suppliers = [c for c in by_structure.get(invoice.supplier_id, []) if "CDV" in c.returns]
        depositor = depositors.get(invoice.pk)
        if depositor and "CDV" in depositor.returns and depositor not in suppliers:
            suppliers.append(depositor)
        recipients = [c for c in by_structure.get(invoice.recipient_id or 0, []) if c.receives]
        name = f"CDV_{safe_filename(invoice.number)}_{invoice.pk}_{event.pk}.xml"
        for connection in suppliers:
            deliver(connection, "retour", name, cdar.status_message(event, for_supplier=True))
        for connection in recipients:
            if "CDV" in connection.returns:
                deliver(connection, "retour", name, cdar.status_message(event, for_supplier=False))
            if event.to_status == Status.AVAILABLE and "FACTURES" in connection.returns:
                invoice_send(connection, invoice)


@task(queue_name=QUEUE)
@traced
def send_events(event_ids: list[int]) -> None:
    events_send(event_ids)


def invoice_send(connection: Connection, invoice: InvoiceRecord) -> None:
    """A received invoice for the recipient's own system: one zip holding the file the
    supplier deposited, unchanged, and its copy in the syntax the connection asked for."""
    original, extension = invoice_original(invoice)
    syntax = CII if connection.reception_syntax == "CII" else UBL_INVOICE
    stem = safe_filename(f"{invoice.supplier_identifier}-{invoice.number}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.{extension}", original)
        try:
            copy = write_invoice(read_invoice(bytes(invoice.structured_data))[1], syntax)
            archive.writestr(f"{stem}.{connection.reception_syntax.lower()}.xml", copy)
        except Exception:  # the original always goes; a copy that cannot be made is logged
            logger.exception("EDI %s: no %s copy of invoice %s", connection, syntax, invoice.pk)
    deliver(connection, "retour", f"FACTURE_{stem}_{invoice.pk}.zip", buffer.getvalue())


def statuses_apply(connection: Connection, content: bytes, *, trial: bool) -> list[cdar.Line]:
    """Apply the statuses a recipient's connection sent (a CDAR message): each line moves its
    invoice as `traiter/recue` would, or says why not. In qualification (`trial`) every line is
    judged the same way and nothing is kept. FormatError when the file is not CDAR."""
    lines = cdar.read(content)
    with transaction.atomic():
        for line in lines:
            if line.problem:
                continue
            invoices = InvoiceRecord.objects.filter(
                recipient_id=connection.structure_id, number=line.number
            )
            if line.seller_siren:
                invoices = invoices.filter(supplier_identifier__startswith=line.seller_siren)
            found = list(invoices.order_by("-created_at")[:2])
            if not found:
                line.problem = gettext(
                    "Facture %(number)s introuvable parmi les factures reçues."
                ) % {"number": line.number}
                continue
            if len(found) > 1 and not line.seller_siren:
                line.problem = gettext(
                    "Plusieurs factures %(number)s : indiquez le SIREN du fournisseur "
                    "(IssuerTradeParty/GlobalID)."
                ) % {"number": line.number}
                continue
            try:
                with transaction.atomic():
                    invoice_transition(
                        invoice_id=found[0].pk,
                        to_status=line.to_status,
                        side=RECIPIENT,
                        actor=connection.declared_by,
                        reason=line.reason,
                        payment_order_number=line.payment_order_number,
                    )
            except BusinessError as error:
                line.problem = error.message
        if trial:
            transaction.set_rollback(True)
    return lines


def directory_publish(today: datetime.date | None = None) -> int:
    """Today's directory in `annuaire/` of each connection that asked for it (once a day: a
    file already there is left as is). How many connections got it."""
    today = today or timezone.localdate()
    name = f"ANNUAIRE_{today:%Y%m%d}.zip"
    content = None
    published = 0
    for connection in Connection.objects.all():
        if not connection.may_exchange or "ANNUAIRE" not in connection.returns:
            continue
        if (
            connection.protocol == "SFTP"
            and (root_of(connection.partner_code) / "annuaire" / name).exists()
        ):
            continue
        if connection.protocol == "AS2" and connection.outgoing.filter(name=name).exists():
            continue
        content = content if content is not None else recipients_directory_zip()
        deliver(connection, "annuaire", name, content)
        published += 1
    return published
