from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .forms import PublicStructureSearchForm
from .selectors import public_services, public_structure_queryset, public_structure_search

PAGE_SIZE = 10


def public_search(request):
    form = PublicStructureSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid() and form.has_criteria():
        results = public_structure_search(**form.cleaned_data)
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/public_search.html", {"form": form, "page": page})


def public_detail(request, pk: int):
    structure = get_object_or_404(public_structure_queryset(), pk=pk)
    return render(
        request,
        "directory/public_detail.html",
        {"structure": structure, "services": public_services(structure)},
    )
