"""« Saisie nouvelle structure »: the identity block, pre-filled from the SIRENE register."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.structures import services
from chorale.structures.forms import FLAG_FIELDS, StructureIdentityForm
from chorale.structures.models import IdentifierType, address_lines

from .selectors import public_body_named, sirene_siret_lookup

# EPIC and régies (4110-4150) may be public buyers: their users say so; other categories are
# decided by the register (7xxx public law, everything else private).
MAY_BE_PUBLIC = ("411", "412", "413", "414", "415")


def _is_private(legal_category: str, chosen: bool) -> bool:
    if legal_category.startswith("7"):
        return False
    if legal_category.startswith(MAY_BE_PUBLIC):
        return chosen
    return True


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
    form = StructureIdentityForm(data, request.FILES or None, initial=initial)
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
            form.add_error("company_name", gettext("Indiquez la raison sociale."))
        elif request.POST.get("action") == "save":
            return _save(request, form, lookup, register)
    return _page(request, form, lookup, register)


def _page(request, form, lookup, register):
    return render(
        request,
        "directory/structure_create.html",
        {
            "form": form,
            "lookup": lookup,
            "register": register,
            "register_lines": address_lines(**register) if register else [],
            "flag_fields": FLAG_FIELDS,
        },
    )


def _save(request, form, lookup, register):
    fields = {name: form.cleaned_data[name] for name in form.fields if name != "evidence"}
    if fields["identifier_type"] != IdentifierType.SIRET:
        taken = public_body_named(fields["company_name"])
        if taken:
            form.add_error(
                "company_name",
                gettext(
                    "« %(name)s » est le nom d'une entité publique inscrite (%(taken)s) : une "
                    "structure sans SIRET ne peut pas le porter."
                )
                % {"name": fields["company_name"], "taken": taken},
            )
            return _page(request, form, lookup, register)
    if lookup is not None:
        # The register's values win over anything posted: they are read-only on the page.
        fields.update(register)
        fields["is_non_diffusible"] = lookup.is_partially_diffusible
        fields["legal_category"] = lookup.legal_category
        fields["is_private"] = _is_private(lookup.legal_category, fields["is_private"])
    try:
        structure = services.structure_create(
            user=request.user, fields=fields, evidence=form.cleaned_data["evidence"]
        )
    except BusinessError as error:
        field = "evidence" if error.code == "evidence_required" else "identifier"
        form.add_error(field, error.message)
        return _page(request, form, lookup, register)
    if structure.is_public:
        messages.success(
            request,
            gettext(
                "%(company_name)s est une structure publique : votre demande "
                "de gestion et son justificatif sont transmis aux opérateurs "
                "de la plateforme. Vous serez prévenu de leur décision."
            )
            % {
                "company_name": structure.company_name,
            },
        )
        return redirect("structures:memberships")
    messages.success(
        request,
        gettext("Structure enregistrée. Complétez les informations puis choisissez « Valider »."),
    )
    return redirect("structures:detail", pk=structure.pk)
