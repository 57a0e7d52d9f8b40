"""« Tableau de bord »: per structure, counts and amounts by status, invoices per month and the
average time from deposit to payment — as charts, and as tables for everyone; the payment delays
(invoices late or soon late per service, amounts owed and intérêts moratoires) and their export."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from chorale.core.export import table_response
from chorale.lifecycle import selectors
from chorale.structures.models import Space, Structure
from chorale.structures.selectors import structures_with_space


def _chart_data(statistics) -> dict:
    return {
        "statuses": [row["label"] for row in statistics.by_status],
        "statusCounts": [row["count"] for row in statistics.by_status],
        "months": [row["month"].strftime("%m/%Y") for row in statistics.by_month],
        "monthCounts": [row["count"] for row in statistics.by_month],
    }


def _sides(request) -> tuple[list[Structure], Structure | None, dict]:
    """The user's structures, the one chosen, and its invoice lists by side (« emises »,
    « recues »), each only where that space is open to the user."""
    sent = structures_with_space(request.user, Space.INVOICES_SENT)
    received = structures_with_space(request.user, Space.INVOICES_RECEIVED)
    structures = list(Structure.objects.filter(pk__in=sent.union(received).values("pk")))
    if not structures:
        return [], None, {}
    structures.sort(key=lambda s: s.company_name)
    chosen = next(
        (s for s in structures if str(s.pk) == request.GET.get("structure")), structures[0]
    )
    lists = {}
    if sent.filter(pk=chosen.pk).exists():
        lists["emises"] = selectors.invoices_sent(request.user).filter(supplier=chosen)
    if received.filter(pk=chosen.pk).exists():
        lists["recues"] = selectors.invoices_received(request.user).filter(recipient=chosen)
    return structures, chosen, lists


TITLES = {"emises": gettext_lazy("Factures émises"), "recues": gettext_lazy("Factures reçues")}


@login_required
def structure_dashboard(request):
    structures, chosen, lists = _sides(request)
    if chosen is None:
        return render(
            request, "chorale/no_space.html", {"title": gettext("Tableau de bord")}, status=403
        )
    sides = []
    for key, invoices in lists.items():
        statistics = selectors.invoice_statistics(invoices)
        board = selectors.delay_board(invoices)
        sides.append((key, TITLES[key], statistics, _chart_data(statistics), board))
    return render(
        request,
        "portal/structure_dashboard.html",
        {"structures": structures, "chosen": chosen, "sides": sides},
    )


@login_required
def delays_export(request, side: str, fmt: str):
    """The invoices late or soon late of one side of the chosen structure, with their due date,
    days late, rate and intérêts moratoires (CSV for a French spreadsheet, or XLSX)."""
    _structures, chosen, lists = _sides(request)
    if chosen is None or side not in lists:
        raise Http404
    board = selectors.delay_board(lists[side])
    headers = [
        gettext("Numéro de facture"), gettext("Fournisseur"), gettext("Destinataire"),
        gettext("Service"), gettext("Montant TTC"), gettext("Mise à disposition"),
        gettext("Échéance"), gettext("Jours de retard"), gettext("Taux (%)"),
        gettext("Intérêts moratoires"), gettext("Indemnité forfaitaire"), gettext("Payée le"),
    ]  # fmt: skip
    rows = [
        [
            invoice.number,
            invoice.supplier_name,
            invoice.recipient_name,
            invoice.service.label if invoice.service else "",
            invoice.total_with_vat,
            delay.start,
            delay.due,
            delay.late_days,
            delay.rate,
            delay.interest,
            delay.indemnity,
            delay.paid_on,
        ]
        for invoice, delay in board.watch
    ]
    return table_response(headers, rows, fmt, f"delais-de-paiement-{side}-{chosen.identifier}")
