"""« Saisie nouvelle structure »: identity (pre-filled from SIRENE), further blocks, « Valider »,
then « Souscrire un mandat de facturation »."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError
from chorale.directory.selectors import sirene_siret_lookup

from .. import selectors, services
from ..forms import FLAG_FIELDS, StructureIdentityForm
from ..models import IdentifierType
from ..policies import structure_abilities

REGISTER_FIELDS = ("company_name", "address", "address_complement", "postal_code", "city")


def _register_view(lookup) -> dict:
    """What the page shows from the register: nothing that INSEE does not diffuse."""
    if lookup is None or not lookup.found or lookup.is_partially_diffusible:
        return {}
    return {
        "company_name": lookup.company_name,
        "address": lookup.address_line1,
        "address_complement": lookup.address_line2,
        "postal_code": lookup.postal_code,
        "city": lookup.city,
    }


@login_required
def structure_create(request):
    data = request.POST if request.method == "POST" else None
    initial = {
        "identifier_type": request.GET.get("identifier_type") or IdentifierType.SIRET,
        "identifier": request.GET.get("identifier", ""),
    }
    form = StructureIdentityForm(data, initial=initial)
    lookup = None
    identifier_type = (data or initial).get("identifier_type")
    identifier = (data or initial).get("identifier", "")
    if identifier_type == IdentifierType.SIRET and identifier:
        lookup = sirene_siret_lookup(identifier)
    register = _register_view(lookup)
    if data is not None and form.is_valid():
        if lookup is not None and not lookup.found:
            form.add_error("identifier", lookup.error)
        elif (
            lookup is not None
            and lookup.is_partially_diffusible
            and not form.cleaned_data["company_name"]
        ):
            form.add_error("company_name", "Indiquez la raison sociale.")
        elif request.POST.get("action") == "save":
            return _save(request, form, lookup, register)
    return render(
        request,
        "structures/create.html",
        {"form": form, "lookup": lookup, "register": register, "flag_fields": FLAG_FIELDS},
    )


def _save(request, form, lookup, register):
    fields = {name: form.cleaned_data[name] for name in form.fields}
    if lookup is not None:
        # The register's values win over anything posted: they are read-only on the page.
        fields.update(register)
        fields["is_non_diffusible"] = lookup.is_partially_diffusible
        fields["legal_category"] = lookup.legal_category
        fields["is_private"] = fields["is_private"] or not lookup.legal_category.startswith("7")
    try:
        structure = services.structure_create(user=request.user, fields=fields)
    except BusinessError as error:
        form.add_error("identifier", error.message)
        return render(
            request,
            "structures/create.html",
            {"form": form, "lookup": lookup, "register": register, "flag_fields": FLAG_FIELDS},
        )
    messages.success(
        request, "Structure enregistrée. Complétez les informations puis choisissez « Valider »."
    )
    return redirect("structures:detail", pk=structure.pk)


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
                messages.success(request, "Mandat de facturation souscrit.")
                return redirect("portal:dashboard")
            if action == "revoke":
                services.mandate_revoke(membership=membership)
                messages.success(request, "Mandat de facturation révoqué.")
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
