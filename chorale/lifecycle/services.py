"""The one transition service: every status change of an invoice goes through it (rule 3)."""

import datetime
import functools
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext

from chorale.core.bulk import insert_many
from chorale.core.errors import BusinessError
from chorale.core.feed import event_record, events_record
from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Membership, Space

from .models import EventAttachment, InvoiceEvent
from .policies import invoice_sides, works_structures
from .signals import events_written
from .statuses import (
    RECIPIENT,
    REFORM_CODES,
    SUPPLIER,
    SYSTEM,
    TRANSITIONS,
    Status,
    delay_starts,
)


def _label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


PK_MARK = 987654321  # stands for the invoice's id in the link reversed once


@functools.cache
def _link_pattern(prefix: str) -> str:
    return reverse("portal:invoice", args=[PK_MARK])


def _link(invoice: InvoiceRecord) -> str:
    """The feed's link to the invoice (the portal sends each reader to its own side's page),
    reversed once per script prefix: a flow's thousands of invoices do not each resolve it."""
    return _link_pattern(get_script_prefix()).replace(str(PK_MARK), str(invoice.pk))


def _concerned_users(invoice: InvoiceRecord) -> list[Any]:
    """The people who may see this invoice, and only they hear of it: the supplier's members
    to whom « Factures émises » is open, the recipient's to whom « Factures reçues » is, and
    for a works piece its MOE's and MOA's to whom « Factures de travaux » is."""
    concerned = Q(
        structure_id=invoice.supplier_id,
        spaces__space=Space.INVOICES_SENT,
        spaces__is_approved=True,
    )
    works = works_structures(invoice)
    if works:
        concerned |= Q(
            structure_id__in=works.values(), spaces__space=Space.WORKS, spaces__is_approved=True
        )
    if invoice.recipient_id:
        concerned |= Q(
            structure_id=invoice.recipient_id,
            spaces__space=Space.INVOICES_RECEIVED,
            spaces__is_approved=True,
        )
    return [m.user for m in Membership.objects.filter(concerned).select_related("user").distinct()]


def _record(
    invoice: InvoiceRecord,
    *,
    from_status: str,
    to_status: str,
    side: str,
    actor: Any,
    reason: str = "",
    payment_order_number: str = "",
) -> InvoiceEvent:
    event = InvoiceEvent.objects.create(
        invoice=invoice,
        actor=actor,
        side=side,
        from_status=from_status,
        to_status=to_status,
        reform_code=REFORM_CODES.get(to_status),
        reason=reason,
        payment_order_number=payment_order_number,
    )
    invoice.status = to_status
    invoice.status_changed_at = event.created_at
    changed = ["status", "status_changed_at"]
    if to_status in delay_starts(invoice.frame) and invoice.available_at is None:
        invoice.available_at = event.created_at  # the buyer is told now: the DGP starts
        changed.append("available_at")
    invoice.save(update_fields=changed)
    events_written.send(sender=InvoiceEvent, events=[event])
    message = f"Facture {invoice.number} de {invoice.supplier_name} : {_label(to_status).lower()}"
    if reason:
        message += f" (motif : {reason})"
    event_record(
        kind=f"invoice.{to_status.lower()}",
        message=message + ".",
        recipients=_concerned_users(invoice),
        actor=actor,
        link=_link(invoice),
    )
    return event


def invoice_start(
    invoice: InvoiceRecord,
    *,
    actor: Any = None,
    then: tuple[str, ...] = (),
    first: str = Status.DEPOSITED,
) -> None:
    """The events of a freshly deposited invoice (see `invoices_start`)."""
    invoices_start([invoice], actor=actor, then=then, first=first)


def _steps(first: str, then: tuple[str, ...]) -> list[tuple[str, str]]:
    """(from, to) of each event of a start: `first`, then each system move of `then`, each
    checked against the table."""
    steps: list[tuple[str, str]] = [("", first)]
    for target in then:
        move = TRANSITIONS[steps[-1][1]].get(target)
        if move is None or move.side != SYSTEM:
            raise BusinessError(
                gettext("Passage automatique vers « %(label)s » impossible.")
                % {
                    "label": _label(target),
                },
                "transition_not_allowed",
            )
        steps.append((steps[-1][1], target))
    return steps


def _stamp(
    invoices: list[InvoiceRecord], steps: list[tuple[str, str]], now: datetime.datetime
) -> None:
    """The status a start leaves the invoices in, since when, and since when the recipient has
    them (their payment delay's start) if one of its statuses starts it."""
    status, started = steps[-1][1], {target for _, target in steps}
    for invoice in invoices:
        invoice.status, invoice.status_changed_at = status, now
        invoice.available_at = now if started & set(delay_starts(invoice.frame)) else None


def invoices_prepare(
    invoices: list[InvoiceRecord], *, then: tuple[str, ...] = (), first: str = Status.DEPOSITED
) -> None:
    """Before their insert, the status and times `invoices_start` will give the invoices (the
    same arguments), so that it writes their events without updating their rows: a flow's
    invoices are written once (each update of the indexed status rewrites every index entry of
    the row)."""
    _stamp(invoices, _steps(first, then), timezone.now())


@transaction.atomic
def invoices_start(
    invoices: list[InvoiceRecord],
    *,
    actor: Any = None,
    then: tuple[str, ...] = (),
    first: str = Status.DEPOSITED,
    prepared: bool = False,
) -> None:
    """The events of freshly deposited invoices: « Déposée » (or `first`: « À valider » in a
    validation circuit), then the system moves `then`
    (routing), each checked against the table and written as its own event; one feed entry
    per invoice tells the people concerned where it now stands. A flow's invoices are started
    together: a few inserts for all of them. `prepared`: their rows were inserted with their
    status already (`invoices_prepare`), none is updated."""
    steps = _steps(first, then)
    events = insert_many(
        InvoiceEvent(
            invoice=invoice,
            actor=actor if source == "" else None,
            side=SYSTEM,
            from_status=source,
            to_status=target,
            reform_code=REFORM_CODES.get(target),
        )
        for invoice in invoices
        for source, target in steps
    )
    status = steps[-1][1]
    if not prepared:
        _stamp(invoices, steps, timezone.now())
        for frame in {invoice.frame for invoice in invoices}:
            chosen = [i for i in invoices if i.frame == frame]
            InvoiceRecord.objects.filter(pk__in=[i.pk for i in chosen]).update(
                status=status,
                status_changed_at=chosen[0].status_changed_at,
                available_at=chosen[0].available_at,
            )
    concerned: dict[tuple[int | None, ...], list[Any]] = {}
    for invoice in invoices:
        key = (invoice.supplier_id, invoice.recipient_id, invoice.works_contract_id)
        if key not in concerned:
            concerned[key] = _concerned_users(invoice)
    events_written.send(sender=InvoiceEvent, events=events)
    events_record(
        [
            (
                f"invoice.{status.lower()}",
                f"Facture {invoice.number} de {invoice.supplier_name} : {_label(status).lower()}.",
                concerned[(invoice.supplier_id, invoice.recipient_id, invoice.works_contract_id)],
                actor,
                _link(invoice),
            )
            for invoice in invoices
        ]
    )


@transaction.atomic
def invoice_transition(
    *,
    invoice_id: int,
    to_status: str,
    side: str,
    actor: Any = None,
    reason: str = "",
    payment_order_number: str = "",
    expected_status: str | None = None,
) -> InvoiceRecord:
    """Move an invoice to `to_status` if the table allows it for `side`; the event is written
    in the same transaction. Two concurrent moves on one invoice: the row lock orders them and
    the second is judged on the status the first left (a conflict when it no longer fits)."""
    invoice = InvoiceRecord.objects.select_for_update().get(pk=invoice_id)
    current = invoice.status
    if expected_status is not None and current != expected_status:
        raise BusinessError(
            gettext(
                "La facture %(number)s a changé de statut entre-temps : elle "
                "est désormais « %(label)s »."
            )
            % {
                "number": invoice.number,
                "label": _label(current),
            },
            "conflict",
        )
    move = TRANSITIONS.get(current, {}).get(to_status)
    if move is None or not move.allows(side):
        raise BusinessError(
            gettext("La facture %(number)s ne peut pas passer de « %(label)s » à « %(label2)s ».")
            % {
                "number": invoice.number,
                "label": _label(current),
                "label2": _label(to_status),
            },
            "transition_not_allowed",
        )
    if move.reason_required and not reason.strip():
        raise BusinessError(
            gettext("Indiquez le motif du passage à « %(label)s ».")
            % {
                "label": _label(to_status),
            },
            "reason_required",
        )
    if move.payment_order_required and not payment_order_number.strip():
        raise BusinessError(gettext("Indiquez le numéro de mandat."), "payment_order_required")
    _record(
        invoice,
        from_status=current,
        to_status=to_status,
        side=side,
        actor=actor,
        reason=reason.strip(),
        payment_order_number=payment_order_number.strip(),
    )
    return invoice


def invoice_for(user: Any, invoice_id: int, side: str) -> InvoiceRecord:
    """An invoice the user acts on for `side` (see policies.invoice_sides); any other is
    « introuvable », whether it exists or not."""
    invoice = InvoiceRecord.objects.filter(pk=invoice_id).first()
    if invoice is None or side not in invoice_sides(user, invoice):
        raise BusinessError(gettext("Facture introuvable."), "not_found")
    return invoice


def invoice_process(
    *,
    user: Any,
    invoice_id: int,
    to_status: str,
    reason: str = "",
    payment_order_number: str = "",
    expected_status: str | None = None,
) -> InvoiceRecord:
    """A recipient's action (mise à disposition, suspendre, rejeter, service fait, mandater…)."""
    invoice = invoice_for(user, invoice_id, RECIPIENT)
    return invoice_transition(
        invoice_id=invoice.pk,
        to_status=to_status,
        side=RECIPIENT,
        actor=user,
        reason=reason,
        payment_order_number=payment_order_number,
        expected_status=expected_status,
    )


def invoices_process(
    *,
    user: Any,
    invoices: Iterable[InvoiceRecord],
    to_status: str,
    reason: str = "",
    payment_order_number: str = "",
) -> tuple[list[InvoiceRecord], list[tuple[InvoiceRecord, str]]]:
    """A recipient's action on a selection: each invoice moved in its own transaction, from the
    status it had when selected (a concurrent change is refused, not overwritten). Returns the
    invoices moved and those refused, with the reason."""
    done, refused = [], []
    for invoice in invoices:
        try:
            done.append(
                invoice_process(
                    user=user,
                    invoice_id=invoice.pk,
                    to_status=to_status,
                    reason=reason,
                    payment_order_number=payment_order_number,
                    expected_status=invoice.status,
                )
            )
        except BusinessError as error:
            refused.append((invoice, error.message))
    return done, refused


@transaction.atomic
def invoice_complete(
    *, user: Any, invoice_id: int, comment: str, attachments: Iterable[Any] = ()
) -> InvoiceRecord:
    """« Compléter » a suspended invoice: the supplier's answer (Suspendue → Complétée), with
    the pièces jointes asked for (uploaded files, kept with the event)."""
    invoice = invoice_for(user, invoice_id, SUPPLIER)
    invoice = invoice_transition(
        invoice_id=invoice.pk, to_status=Status.COMPLETED, side=SUPPLIER, actor=user, reason=comment
    )
    event = invoice.events.latest("created_at", "id")
    for upload in attachments:
        EventAttachment.objects.create(event=event, file=upload, name=upload.name, size=upload.size)
    return invoice


@transaction.atomic
def invoice_acknowledge_rejection(*, user: Any, invoice_id: int) -> InvoiceRecord:
    """The supplier has read the rejection (`rejetTraite`); idempotent."""
    invoice = invoice_for(user, invoice_id, SUPPLIER)
    invoice = InvoiceRecord.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Status.REJECTED:
        raise BusinessError(
            gettext("Seule une facture rejetée peut être marquée comme traitée."), "not_rejected"
        )
    if invoice.rejection_acknowledged_at is None:
        invoice.rejection_acknowledged_at = timezone.now()
        invoice.save(update_fields=["rejection_acknowledged_at"])
    return invoice


def invoices_mark_downloaded(invoice_ids: Iterable[int]) -> None:
    """The recipient downloaded these invoices (`factureTelechargeeParDestinataire`): the first
    download is kept, later ones change nothing."""
    InvoiceRecord.objects.filter(pk__in=invoice_ids, recipient_downloaded_at=None).update(
        recipient_downloaded_at=timezone.now()
    )
