"""« Tableau de bord »: per structure, counts and amounts by status, invoices per month and the
average time from deposit to payment — as charts, and as tables for everyone."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext

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


@login_required
def structure_dashboard(request):
    sent = structures_with_space(request.user, Space.INVOICES_SENT)
    received = structures_with_space(request.user, Space.INVOICES_RECEIVED)
    structures = list(Structure.objects.filter(pk__in=sent.union(received).values("pk")))
    if not structures:
        return render(
            request, "chorale/no_space.html", {"title": gettext("Tableau de bord")}, status=403
        )
    structures.sort(key=lambda s: s.company_name)
    chosen = next(
        (s for s in structures if str(s.pk) == request.GET.get("structure")), structures[0]
    )
    sides = []
    if sent.filter(pk=chosen.pk).exists():
        statistics = selectors.invoice_statistics(
            selectors.invoices_sent(request.user).filter(supplier=chosen)
        )
        sides.append(("emises", gettext("Factures émises"), statistics, _chart_data(statistics)))
    if received.filter(pk=chosen.pk).exists():
        statistics = selectors.invoice_statistics(
            selectors.invoices_received(request.user).filter(recipient=chosen)
        )
        sides.append(("recues", gettext("Factures reçues"), statistics, _chart_data(statistics)))
    return render(
        request,
        "portal/structure_dashboard.html",
        {"structures": structures, "chosen": chosen, "sides": sides},
    )
