"""A structure's page with its further blocks, « Valider », then « Souscrire un mandat de
facturation ». The identity block (« Saisie nouvelle structure ») is in chorale.directory."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError

from .. import selectors, services
from ..policies import structure_abilities


@login_required
def structure_detail(request, pk: int):
    membership = selectors.membership_for(request.user, pk)
    structure = membership.structure
    return render(
        request,
        "structures/detail.html",
        {
            "membership": membership,
            "structure": structure,
            "can": structure_abilities(membership),
            "services": structure.services.all(),
            "bank_accounts": structure.bank_accounts.filter(is_active=True),
            "mandate": structure.mandates.filter(revoked_at__isnull=True).first(),
        },
    )


@login_required
@require_POST
def structure_validate(request, pk: int):
    membership = selectors.membership_for(request.user, pk, manager=True)
    try:
        services.structure_validate(membership=membership)
    except BusinessError as error:
        messages.error(request, error.message)
        return redirect("structures:detail", pk=pk)
    return redirect("structures:mandate", pk=pk)


@login_required
def mandate(request, pk: int):
    """« Souscrire un mandat de facturation » (optional), « Continuer »; also revocation."""
    membership = selectors.membership_for(request.user, pk, manager=True)
    structure = membership.structure
    active = structure.mandates.filter(revoked_at__isnull=True).first()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "subscribe":
                services.mandate_subscribe(membership=membership)
                messages.success(request, gettext("Mandat de facturation souscrit."))
                return redirect("portal:dashboard")
            if action == "revoke":
                services.mandate_revoke(membership=membership)
                messages.success(request, gettext("Mandat de facturation révoqué."))
        except BusinessError as error:
            messages.error(request, error.message)
        return redirect("structures:mandate", pk=pk)
    return render(
        request,
        "structures/mandate.html",
        {
            "structure": structure,
            "mandate": active,
            "history": structure.mandates.order_by("-subscribed_at"),
        },
    )
