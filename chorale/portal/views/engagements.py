"""« Engagements juridiques »: a public structure's purchase orders and contracts (typed or
imported, closed, deactivated), what is invoiced on each; a supplier sees its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError
from chorale.core.paging import PAGE_SIZES, page_size
from chorale.engagements.forms import EngagementForm, ImportForm, LinesFormSet, lines_total
from chorale.engagements.models import EngagementState
from chorale.engagements.services import (
    engagement_for,
    engagement_state_set,
    engagements_import,
    engagements_visible,
    issuer_for,
    issuing_structures,
)
from chorale.engagements.table import MAX_BYTES
from chorale.routing.engagements import with_invoiced
from chorale.structures.models import Space
from chorale.structures.selectors import structures_with_space


@login_required
def engagement_list(request):
    if not structures_with_space(request.user, Space.ENGAGEMENTS).exists():
        return render(
            request,
            "chorale/no_space.html",
            {"title": gettext("Engagements juridiques")},
            status=403,
        )
    found = with_invoiced(engagements_visible(request.user))
    query, state = request.GET.get("q", "").strip(), request.GET.get("etat", "")
    if query:
        found = found.filter(number__icontains=query) | found.filter(supplier_name__icontains=query)
    if state in EngagementState.values:
        found = found.filter(state=state)
    page = Paginator(found.order_by("-notified_on", "-pk"), page_size(request)).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/engagement_list.html",
        {
            "page": page,
            "sizes": PAGE_SIZES,
            "issuers": issuing_structures(request.user),
            "states": EngagementState.choices,
            "query": query,
            "state": state,
        },
    )


def _edit(request, structure, engagement=None):
    form = EngagementForm(
        request.POST or None, structure=structure, instance=engagement, prefix="ej"
    )
    lines = LinesFormSet(request.POST or None, instance=engagement, prefix="postes")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        total = lines_total(lines)
        if total and total != form.cleaned_data["amount"]:
            form.add_error(
                "amount",
                gettext("Le montant TTC doit être la somme des postes (%(total)s).")
                % {"total": total},
            )
        else:
            with transaction.atomic():
                saved = form.save(commit=False)
                if saved.pk is None:
                    saved.created_by = request.user
                saved.save()
                lines.instance = saved
                for position, line in enumerate(lines.save(commit=False), start=1):
                    line.position = line.position or position
                    line.save()
                for line in lines.deleted_objects:
                    line.delete()
                _renumber(saved)
            messages.success(request, gettext("Engagement enregistré."))
            return redirect("portal:engagement", pk=saved.pk)
    return render(
        request,
        "portal/engagement_form.html",
        {"form": form, "lines": lines, "structure": structure, "engagement": engagement},
        status=400 if form.errors or any(lines.errors) else 200,
    )


def _renumber(engagement) -> None:
    """Postes numbered 1, 2, 3… in the order typed."""
    for position, line in enumerate(engagement.lines.order_by("position", "pk"), start=1):
        if line.position != position:
            line.position = position
            line.save(update_fields=["position"])


@login_required
def engagement_create(request, structure_id: int):
    return _edit(request, issuer_for(request.user, structure_id))


@login_required
def engagement_edit(request, pk: int):
    engagement = engagement_for(request.user, pk, manage=True)
    return _edit(request, engagement.structure, engagement)


@login_required
def engagement_detail(request, pk: int):
    engagement = engagement_for(request.user, pk)
    engagement = with_invoiced(type(engagement).objects.filter(pk=pk)).get()
    manages = issuing_structures(request.user).filter(pk=engagement.structure_id).exists()
    invoices = engagement.invoices.order_by("-created_at")
    if not manages:  # a supplier sees its own invoices only
        invoices = invoices.filter(
            supplier__in=structures_with_space(request.user, Space.ENGAGEMENTS)
        )
    return render(
        request,
        "portal/engagement_detail.html",
        {
            "engagement": engagement,
            "left": engagement.amount - engagement.invoiced,
            "lines": engagement.lines.all(),
            "invoices": invoices[:200],
            "manages": manages,
            "states": EngagementState,
        },
    )


@login_required
@require_POST
def engagement_state(request, pk: int):
    try:
        engagement_state_set(user=request.user, engagement_id=pk, state=request.POST.get("etat"))
    except BusinessError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("État de l'engagement modifié."))
    return redirect("portal:engagement", pk=pk)


@login_required
def engagement_import(request, structure_id: int):
    structure = issuer_for(request.user, structure_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        try:
            if upload.size > MAX_BYTES:
                raise BusinessError(gettext("Le fichier dépasse 5 Mo."), "table_too_large")
            counts = engagements_import(
                user=request.user, structure=structure, name=upload.name, content=upload.read()
            )
        except BusinessError as error:
            problems = error.message.split("\n")
        else:
            messages.success(
                request,
                gettext("Import terminé : %(created)s créé(s), %(updated)s mis à jour.") % counts,
            )
            return redirect("portal:engagements")
    return render(
        request,
        "portal/engagement_import.html",
        {"form": form, "structure": structure, "problems": problems},
        status=400 if problems or form.errors else 200,
    )
