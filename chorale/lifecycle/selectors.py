"""Reads of invoices for the portal's spaces, always through the acting user's espaces: a
supplier sees what its structures sent (« Factures émises »), a recipient what its structures
received (« Factures reçues »)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Space, Structure
from chorale.structures.selectors import structures_with_space

from . import delays
from .models import InvoiceEvent, Validation
from .policies import NOT_YET_RECEIVED
from .statuses import Status, delay_starts

SORTS = {  # the columns a list may be sorted by, as ?tri= gives them (« -date », « montant »…)
    "date": "issue_date",
    "depot": "created_at",
    "numero": "number",
    "montant": "total_with_vat",
    "statut": "status",
    "fournisseur": "supplier_name",
    "destinataire": "recipient_name",
}


@dataclass(frozen=True)
class InvoiceFilters:
    """Every criterion an invoice list is filtered by, for the portal's lists and the API's
    searches alike; empty criteria filter nothing."""

    status: str = ""
    statuses: tuple[str, ...] = ()
    number: str = ""  # contained, whatever its case (the portal's search)
    number_exact: str = ""  # the API's numeroFacture
    engagement: str = ""  # numeroBonCommande
    type_codes: tuple[str, ...] = ()
    counterpart: str = ""  # name or identifier of the other party
    supplier_ids: tuple[int, ...] = ()
    recipient_ids: tuple[int, ...] = ()
    service_id: int | None = None
    service_ids: tuple[int, ...] = ()
    date_from: datetime.date | None = None  # issue date
    date_to: datetime.date | None = None
    deposited_from: datetime.date | None = None
    deposited_to: datetime.date | None = None
    # A date takes the whole day; a date-time (the API's incremental polling) is exact.
    status_changed_from: datetime.date | datetime.datetime | None = None
    status_changed_to: datetime.date | datetime.datetime | None = None
    amount_min: Decimal | None = None  # with VAT
    amount_max: Decimal | None = None
    without_vat_min: Decimal | None = None
    without_vat_max: Decimal | None = None
    due_min: Decimal | None = None
    due_max: Decimal | None = None
    flow_number: str = ""
    downloaded: bool | None = None  # by the recipient
    rejection_acknowledged: bool | None = None
    works: bool | None = None  # works pieces only (True), or none of them (False)
    sort: str = "-depot"


# Each simple criterion: (filter field, lookup).
_LOOKUPS = {
    "status": "status",
    "statuses": "status__in",
    "number_exact": "number",
    "engagement": "engagement_number",
    "type_codes": "type_code__in",
    "supplier_ids": "supplier_id__in",
    "recipient_ids": "recipient_id__in",
    "service_id": "service_id",
    "service_ids": "service_id__in",
    "date_from": "issue_date__gte",
    "date_to": "issue_date__lte",
    "deposited_from": "created_at__date__gte",
    "deposited_to": "created_at__date__lte",
    "amount_min": "total_with_vat__gte",
    "amount_max": "total_with_vat__lte",
    "without_vat_min": "total_without_vat__gte",
    "without_vat_max": "total_without_vat__lte",
    "due_min": "amount_due__gte",
    "due_max": "amount_due__lte",
}


def _filtered(
    invoices: QuerySet[InvoiceRecord], filters: InvoiceFilters, counterpart: str
) -> QuerySet[InvoiceRecord]:
    for name, lookup in _LOOKUPS.items():
        value = getattr(filters, name)
        if value is not None and value != "" and value != ():
            invoices = invoices.filter(
                **{lookup: value.strip() if isinstance(value, str) else value}
            )
    for bound, comparison in (("status_changed_from", "gte"), ("status_changed_to", "lte")):
        moment = getattr(filters, bound)
        if isinstance(moment, datetime.datetime):
            invoices = invoices.filter(**{f"status_changed_at__{comparison}": moment})
        elif moment is not None:
            invoices = invoices.filter(**{f"status_changed_at__date__{comparison}": moment})
    if filters.number:
        invoices = invoices.filter(number__icontains=filters.number.strip())
    if filters.counterpart:
        value = filters.counterpart.strip()
        invoices = invoices.filter(
            Q(**{f"{counterpart}_name__icontains": value})
            | Q(**{f"{counterpart}_identifier__startswith": value.replace(" ", "")})
        )
    if filters.downloaded is not None:
        invoices = invoices.filter(recipient_downloaded_at__isnull=not filters.downloaded)
    if filters.rejection_acknowledged is not None:
        invoices = invoices.filter(
            rejection_acknowledged_at__isnull=not filters.rejection_acknowledged
        )
    if filters.works is not None:
        invoices = invoices.filter(works_contract__isnull=not filters.works)
    if filters.flow_number:
        invoices = invoices.filter(flow_item__flow__number=filters.flow_number.strip().upper())
    descending = filters.sort.startswith("-")
    field = SORTS.get(filters.sort.lstrip("-"), "created_at")
    return invoices.order_by(f"{'-' if descending else ''}{field}", "-id")


def _ids(structures: QuerySet[Any]) -> list[int]:
    """The structures' ids, read first: a short literal list lets the database use the
    (structure, date) indexes of the invoice table instead of joining the memberships."""
    return list(structures.values_list("pk", flat=True))


def invoices_sent(user: Any, filters: InvoiceFilters = InvoiceFilters()) -> QuerySet[InvoiceRecord]:
    """« Factures émises »: the invoices of the structures whose espace is open to the user."""
    structures = _ids(structures_with_space(user, Space.INVOICES_SENT))
    invoices = InvoiceRecord.objects.filter(supplier__in=structures).select_related("service")
    return _filtered(invoices, filters, "recipient")


def invoices_received(
    user: Any, filters: InvoiceFilters = InvoiceFilters()
) -> QuerySet[InvoiceRecord]:
    """« Factures reçues »: the invoices routed to the structures whose espace is open to the
    user (drafts and invoices still being routed are not theirs to see yet)."""
    structures = _ids(structures_with_space(user, Space.INVOICES_RECEIVED))
    invoices = (
        InvoiceRecord.objects.filter(recipient__in=structures)
        .exclude(status__in=NOT_YET_RECEIVED)
        .select_related("service")
    )
    return _filtered(invoices, filters, "supplier")


def invoices_to_validate(user: Any) -> QuerySet[InvoiceRecord]:
    """« Factures à valider »: the invoices of a validation circuit (A9, A12) that name a
    structure whose espace is open to the user, those awaiting a decision first."""
    structures = _ids(structures_with_space(user, Space.INVOICES_TO_VALIDATE))
    return (
        InvoiceRecord.objects.filter(
            pk__in=Validation.objects.filter(structure__in=structures).values("invoice_id")
        )
        .select_related("supplier")
        .order_by("-status_changed_at", "-id")
    )


# « Factures de travaux »: the pieces a user sees by the role its structures play.
WORKS_ROLES = {
    "fournisseur": "supplier__in",
    "moe": "works_contract__moe__in",
    "moa": "works_contract__moa__in",
}


def works_pieces(user: Any, role: str) -> QuerySet[InvoiceRecord]:
    """The works pieces of the structures whose « Factures de travaux » is open to the user,
    as supplier, maître d'œuvre or maître d'ouvrage; the latest moved first."""
    structures = _ids(structures_with_space(user, Space.WORKS))
    return (
        InvoiceRecord.objects.filter(
            works_contract__isnull=False, **{WORKS_ROLES[role]: structures}
        )
        .select_related("works_contract")
        .defer("structured_data")
        .order_by("-status_changed_at", "-id")
    )


def works_piece(user: Any, invoice_id: int) -> InvoiceRecord:
    """One works piece the user sees in any role (404 otherwise)."""
    for role in WORKS_ROLES:
        invoice = works_pieces(user, role).filter(pk=invoice_id).first()
        if invoice is not None:
            return invoice
    raise Http404


def invoice_to_validate(user: Any, invoice_id: int) -> InvoiceRecord:
    invoice = invoices_to_validate(user).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404
    return invoice


def invoice_sent(user: Any, invoice_id: int) -> InvoiceRecord:
    invoice = invoices_sent(user).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404(gettext("Facture introuvable."))
    return invoice


def invoice_received(user: Any, invoice_id: int) -> InvoiceRecord:
    invoice = invoices_received(user).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404(gettext("Facture introuvable."))
    return invoice


def invoice_timeline(invoice: InvoiceRecord) -> QuerySet[InvoiceEvent]:
    """The invoice's life cycle, oldest first: who, when, from, to, reason, reform code."""
    return (
        invoice.events.select_related("actor")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def event_attachment(invoice: InvoiceRecord, attachment_id: int) -> Any:
    """A pièce jointe of that invoice's history (the invoice already read through the user)."""
    from .models import EventAttachment

    found = EventAttachment.objects.filter(pk=attachment_id, event__invoice=invoice).first()
    if found is None:
        raise Http404(gettext("Pièce jointe introuvable."))
    return found


@dataclass(frozen=True)
class Statistics:
    by_status: list[dict[str, Any]]  # status, label, count, amount
    by_month: list[Any]  # month (date), count, amount
    average_days_to_payment: float | None
    paid_count: int


def _next_month(first: datetime.date) -> datetime.date:
    return datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)


def twelve_months(today: datetime.date) -> list[datetime.date]:
    """The first days of the twelve calendar months ending with today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [datetime.date(i // 12, i % 12 + 1, 1) for i in range(index - 11, index + 1)]


def invoice_statistics(
    invoices: QuerySet[InvoiceRecord], today: datetime.date | None = None
) -> Statistics:
    """Counts and amounts by status, invoices per month over the twelve calendar months ending
    this month (a month without invoices shows 0), and the average time from deposit to « mise
    en paiement », for one of the lists above."""
    from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Sum
    from django.db.models.functions import TruncMonth

    from .statuses import Status

    invoices = invoices.order_by()
    by_status = [
        {
            "status": row["status"],
            "label": Status(row["status"]).label if row["status"] in Status.values else "",
            "count": row["count"],
            "amount": row["amount"] or 0,
        }
        for row in invoices.values("status").annotate(
            count=Count("id"), amount=Sum("total_with_vat")
        )
    ]
    by_status.sort(key=lambda row: list(Status.values).index(row["status"]))
    months = twelve_months(today or timezone.localdate())
    found = {
        (row["month"].year, row["month"].month): (row["count"], row["amount"] or 0)
        for row in invoices.filter(issue_date__gte=months[0])
        .filter(issue_date__lt=_next_month(months[-1]))
        .annotate(month=TruncMonth("issue_date"))
        .values("month")
        .annotate(count=Count("id"), amount=Sum("total_with_vat"))
    }
    by_month = []
    for month in months:
        count, amount = found.get((month.year, month.month), (0, 0))
        by_month.append({"month": month, "count": count, "amount": amount})
    paid = InvoiceEvent.objects.filter(invoice__in=invoices, to_status=Status.PAID).aggregate(
        count=Count("id"),
        delay=Avg(
            ExpressionWrapper(
                F("created_at") - F("invoice__created_at"), output_field=DurationField()
            )
        ),
    )
    average = paid["delay"].total_seconds() / 86400 if paid["delay"] is not None else None
    return Statistics(by_status, by_month, average, paid["count"])


DELAYS_LIMIT = 2000  # invoices a dashboard weighs at most (the oldest made available first)
PAID_RECENTLY = datetime.timedelta(days=90)  # paid invoices still shown: interest is due later


def ecb_rates() -> list[tuple[datetime.date, Decimal]]:
    from .models import EcbRate

    return list(EcbRate.objects.values_list("effective_from", "rate"))


def _contract_delays(invoices: list[InvoiceRecord]) -> dict[int, list[int]]:
    """The shorter delays the invoices' engagements or works contracts set (CCP L2192-10)."""
    found: dict[int, list[int]] = defaultdict(list)
    for pk, engagement_days, works_days in (
        InvoiceRecord.objects.filter(pk__in=[i.pk for i in invoices])
        .filter(
            Q(engagement__payment_delay_days__isnull=False)
            | Q(works_contract__payment_delay_days__isnull=False)
        )
        .values_list("pk", "engagement__payment_delay_days", "works_contract__payment_delay_days")
    ):
        found[pk] += [days for days in (engagement_days, works_days) if days]
    return found


def payment_delays(
    invoices: Iterable[InvoiceRecord], today: datetime.date | None = None
) -> dict[int, delays.Delay]:
    """The délai global de paiement of each invoice (docs/payment-delays.md), from its status
    changes, its recipient's legal delay and the ECB rates: three queries for any number."""
    invoices = list(invoices)
    today = today or timezone.localdate()
    history: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    for invoice_id, created, status in (
        InvoiceEvent.objects.filter(
            invoice_id__in=[i.pk for i in invoices], to_status__in=delays.EVENTS
        )
        .order_by("created_at", "id")
        .values_list("invoice_id", "created_at", "to_status")
    ):
        history[invoice_id].append((timezone.localdate(created), status))
    legal = dict(
        Structure.objects.filter(pk__in={i.recipient_id for i in invoices}).values_list(
            "pk", "payment_delay_days"
        )
    )
    contracts = _contract_delays(invoices)
    rates = ecb_rates()
    return {
        invoice.pk: delays.payment_delay(
            events=history[invoice.pk],
            legal_days=min([legal.get(invoice.recipient_id or 0, 30), *contracts[invoice.pk]]),
            amount=invoice.total_with_vat
            if invoice.total_with_vat is not None
            else invoice.amount_due,
            today=today,
            ecb_rates=rates,
            starts=delay_starts(invoice.frame),
        )
        for invoice in invoices
    }


@dataclass
class DelayBoard:
    """What a dashboard says of payment delays: per service (buyer), the totals (supplier),
    and the invoices late or soon late, most late first."""

    by_service: list[dict[str, Any]]
    outstanding: Decimal  # amount including VAT made available and not yet paid
    late_count: int
    soon_count: int
    owed: Decimal  # interest and indemnities of the late invoices
    watch: list[tuple[InvoiceRecord, delays.Delay]]
    truncated: bool


def delay_board(
    invoices: QuerySet[InvoiceRecord], today: datetime.date | None = None
) -> DelayBoard:
    today = today or timezone.localdate()
    candidates = list(
        invoices.filter(available_at__isnull=False)
        .exclude(status__in=[Status.REJECTED, Status.TO_RECYCLE])
        .filter(~Q(status=Status.PAID) | Q(status_changed_at__gte=timezone.now() - PAID_RECENTLY))
        .select_related("service")
        .order_by("available_at", "id")[: DELAYS_LIMIT + 1]
    )
    truncated = len(candidates) > DELAYS_LIMIT
    candidates = candidates[:DELAYS_LIMIT]
    found = payment_delays(candidates, today)
    services: dict[str, dict[str, Any]] = {}
    outstanding, owed = Decimal("0"), Decimal("0")
    watch = []
    for invoice in candidates:
        delay = found[invoice.pk]
        label = invoice.service.label if invoice.service else gettext("Sans service")
        row = services.setdefault(
            label, {"service": label, "running": 0, "soon": 0, "late": 0, "owed": Decimal("0")}
        )
        if delay.state not in (delays.PAID, delays.PAID_LATE, delays.NOT_DUE):
            outstanding += invoice.total_with_vat or 0
            row["running"] += 1
        if delay.state == delays.SOON_LATE:
            row["soon"] += 1
            watch.append((invoice, delay))
        elif delay.state in (delays.LATE, delays.PAID_LATE):
            row["late"] += 1
            row["owed"] += delay.owed
            owed += delay.owed
            watch.append((invoice, delay))
    watch.sort(key=lambda pair: (-pair[1].late_days, pair[1].due or today))
    return DelayBoard(
        by_service=sorted(services.values(), key=lambda row: row["service"]),
        outstanding=outstanding,
        late_count=sum(row["late"] for row in services.values()),
        soon_count=sum(row["soon"] for row in services.values()),
        owed=owed,
        watch=watch,
        truncated=truncated,
    )
