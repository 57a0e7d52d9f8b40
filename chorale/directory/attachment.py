"""« Demander un rattachement à une structure »: search, sort, page, export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from chorale.core.export import table_response
from chorale.core.paging import PAGE_SIZES, page_size
from chorale.structures.forms import StructureSearchForm
from chorale.structures.models import Membership, Structure

from .selectors import structure_search

SORTS = {
    "identifiant": "identifier",
    "raison": "company_name",
    "statut": "is_active",
}


def _search(request):
    form = StructureSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.has_criteria():
        sort = request.GET.get("tri", "raison")
        field = SORTS.get(sort.lstrip("-"), "company_name")
        order = f"-{field}" if sort.startswith("-") else field
        results = structure_search(form.cleaned_data).order_by(order, "identifier")
    return form, results


@login_required
def attachment_search(request):
    form, results = _search(request)
    page = None
    if results is not None:
        page = Paginator(results, page_size(request)).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/attachment_search.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "sizes": PAGE_SIZES,
            "member_of": set(
                Membership.objects.filter(user=request.user).values_list("structure_id", flat=True)
            ),
            "create_url": reverse("directory:structure_create")
            + "?"
            + "&".join(f"{k}={request.GET.get(k, '')}" for k in ("identifier_type", "identifier")),
        },
    )


@login_required
def attachment_search_export(request, fmt: str):
    _, results = _search(request)
    rows = (
        (s.identifier, s.get_identifier_type_display(), s.company_name, s.status_label, s.city)
        for s in (results if results is not None else Structure.objects.none())
    )
    headers = ["Identifiant", "Type d'identifiant", "Raison sociale", "Statut", "Ville"]
    return table_response(headers, rows, fmt, "structures")
