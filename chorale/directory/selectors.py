"""Public reads of the directory: anyone may look up public recipients."""

from django.db.models import Q, QuerySet

from chorale.structures.models import Structure


def public_structure_queryset() -> QuerySet[Structure]:
    return Structure.objects.filter(is_private=False, is_active=True)


def public_structure_search(
    *, name: str = "", siret: str = "", postal_code: str = "", city: str = ""
) -> QuerySet[Structure]:
    """Public recipients matching every criterion given (name in raison sociale or libellé)."""
    queryset = public_structure_queryset()
    if name:
        queryset = queryset.filter(Q(company_name__icontains=name) | Q(label__icontains=name))
    if siret:
        queryset = queryset.filter(identifier=siret.replace(" ", ""))
    if postal_code:
        queryset = queryset.filter(postal_code__startswith=postal_code.strip())
    if city:
        queryset = queryset.filter(city__icontains=city.strip())
    return queryset.order_by("company_name", "identifier")
