"""Reads of invoices for the portal's spaces, always through the acting user's espaces: a
supplier sees what its structures sent (« Factures émises »), a recipient what its structures
received (« Factures reçues »)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404

from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Space
from chorale.structures.selectors import structures_with_space

from .models import InvoiceEvent

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
    status: str = ""
    number: str = ""
    counterpart: str = ""  # name or identifier of the other party
    service_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    flow_number: str = ""
    sort: str = "-depot"


def _filtered(invoices: QuerySet, filters: InvoiceFilters, counterpart: str) -> QuerySet:
    if filters.status:
        invoices = invoices.filter(status=filters.status)
    if filters.number:
        invoices = invoices.filter(number__icontains=filters.number.strip())
    if filters.counterpart:
        value = filters.counterpart.strip()
        invoices = invoices.filter(
            Q(**{f"{counterpart}_name__icontains": value})
            | Q(**{f"{counterpart}_identifier__startswith": value.replace(" ", "")})
        )
    if filters.service_id:
        invoices = invoices.filter(service_id=filters.service_id)
    if filters.date_from:
        invoices = invoices.filter(issue_date__gte=filters.date_from)
    if filters.date_to:
        invoices = invoices.filter(issue_date__lte=filters.date_to)
    if filters.amount_min is not None:
        invoices = invoices.filter(total_with_vat__gte=filters.amount_min)
    if filters.amount_max is not None:
        invoices = invoices.filter(total_with_vat__lte=filters.amount_max)
    if filters.flow_number:
        invoices = invoices.filter(flow_item__flow__number=filters.flow_number.strip().upper())
    descending = filters.sort.startswith("-")
    field = SORTS.get(filters.sort.lstrip("-"), "created_at")
    return invoices.order_by(f"{'-' if descending else ''}{field}", "-id")


def invoices_sent(user, filters: InvoiceFilters = InvoiceFilters()) -> QuerySet[InvoiceRecord]:
    """« Factures émises »: the invoices of the structures whose espace is open to the user."""
    structures = structures_with_space(user, Space.INVOICES_SENT)
    invoices = InvoiceRecord.objects.filter(supplier__in=structures).select_related("service")
    return _filtered(invoices, filters, "recipient")


def invoices_received(user, filters: InvoiceFilters = InvoiceFilters()) -> QuerySet[InvoiceRecord]:
    """« Factures reçues »: the invoices routed to the structures whose espace is open to the
    user (drafts and invoices still being routed are not theirs to see yet)."""
    structures = structures_with_space(user, Space.INVOICES_RECEIVED)
    invoices = (
        InvoiceRecord.objects.filter(recipient__in=structures)
        .exclude(status__in=("BROUILLON", "DEPOSEE", "EN_COURS_ACHEMINEMENT"))
        .select_related("service")
    )
    return _filtered(invoices, filters, "supplier")


def invoice_sent(user, invoice_id: int) -> InvoiceRecord:
    invoice = invoices_sent(user).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404("Facture introuvable.")
    return invoice


def invoice_received(user, invoice_id: int) -> InvoiceRecord:
    invoice = invoices_received(user).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404("Facture introuvable.")
    return invoice


def invoice_timeline(invoice: InvoiceRecord) -> QuerySet[InvoiceEvent]:
    """The invoice's life cycle, oldest first: who, when, from, to, reason, reform code."""
    return invoice.events.select_related("actor").order_by("created_at", "id")
