"""Reads of deposits (« Suivi des flux »), through the acting user's espaces."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from chorale.structures.models import Space
from chorale.structures.selectors import structures_with_space

from .models import Flow


def flows_for_user(user) -> QuerySet[Flow]:
    """The flows deposited for the structures whose « Suivi des flux » or « Factures émises »
    espace is open to the user, newest first."""
    structures = structures_with_space(user, Space.FLOWS) | structures_with_space(
        user, Space.INVOICES_SENT
    )
    return (
        Flow.objects.filter(supplier__in=structures.values("pk"))
        .select_related("supplier", "deposited_by")
        .order_by("-created_at", "-id")
    )


def flow_for_user(user, number: str) -> Flow:
    flow = flows_for_user(user).filter(number=number).first()
    if flow is None:
        raise Http404(gettext("Flux introuvable."))
    return flow
