"""« Raccordements EDI »: a structure's connections (declare one, follow its stage) and the
mandates it gives to operators' connections or holds from suppliers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError
from chorale.structures.selectors import membership_for

from . import selectors, services
from .forms import ConnectionForm, MandateForm

FIELDS = ("label", "protocol", "direction", "syntaxes", "returns", "ssh_public_key",
          "as2_identifier", "as2_url", "as2_certificate", "certificate_expires_at")  # fmt: skip


@login_required
def connections(request, pk: int):
    structure = membership_for(request.user, pk, manager=True).structure
    form = ConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in FIELDS if k in form.cleaned_data}
        connection = services.connection_declare(user=request.user, structure_id=pk, fields=fields)
        messages.success(
            request,
            gettext(
                "Raccordement déclaré sous le code partenaire %(code)s : les opérateurs de la "
                "plateforme le passent en qualification."
            )
            % {"code": connection.partner_code},
        )
        return redirect("edi:connections", pk=pk)
    return render(
        request,
        "edi/connections.html",
        {
            "structure": structure,
            "form": form,
            "mandate_form": MandateForm(),
            "connections": selectors.connections_of(structure),
            "mandates_given": selectors.mandates_given(structure),
            "mandates_received": selectors.mandates_received(structure),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def mandate_grant(request, pk: int):
    form = MandateForm(request.POST)
    if form.is_valid():
        try:
            services.mandate_grant(
                user=request.user, supplier_id=pk, partner_code=form.cleaned_data["partner_code"]
            )
            messages.success(request, gettext("Mandat de dépôt accordé."))
        except BusinessError as error:
            messages.error(request, error.message)
    else:
        membership_for(request.user, pk, manager=True)
        messages.error(request, gettext("Indiquez le code partenaire du raccordement."))
    return redirect("edi:connections", pk=pk)


@login_required
@require_POST
def mandate_revoke(request, pk: int, mandate_id: int):
    try:
        services.mandate_revoke(user=request.user, supplier_id=pk, mandate_id=mandate_id)
        messages.success(request, gettext("Mandat révoqué."))
    except BusinessError as error:
        messages.error(request, error.message)
    return redirect("edi:connections", pk=pk)
