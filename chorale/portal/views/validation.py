"""« Factures à valider » (cadres A9 and A12): the validator's list, the invoice with its
validation steps, its decision; and the supplier's « Corriger le valideur »."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError
from chorale.core.paging import PAGE_SIZES, page_size
from chorale.lifecycle import selectors
from chorale.lifecycle.policies import invoice_abilities
from chorale.lifecycle.statuses import Status
from chorale.lifecycle.validation import invoice_validate, invoice_validator_correct
from chorale.structures.models import Space
from chorale.structures.selectors import structures_with_space

from ..forms import ValidateForm, ValidatorForm


@login_required
def to_validate_list(request):
    if not structures_with_space(request.user, Space.INVOICES_TO_VALIDATE).exists():
        return render(
            request, "chorale/no_space.html", {"title": gettext("Factures à valider")}, status=403
        )
    page = Paginator(selectors.invoices_to_validate(request.user), page_size(request)).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/to_validate_list.html", {"page": page, "sizes": PAGE_SIZES})


@login_required
def to_validate_detail(request, pk: int, form=None):
    invoice = selectors.invoice_to_validate(request.user, pk)
    can = invoice_abilities(request.user, invoice)
    return render(
        request,
        "portal/to_validate_detail.html",
        {
            "invoice": invoice,
            "status_label": Status(invoice.status).label,
            "validations": invoice.validations.select_related("structure", "service"),
            "timeline": selectors.invoice_timeline(invoice),
            "can": can,
            "form": form or (ValidateForm() if can["validate"] else None),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_POST
def to_validate_process(request, pk: int):
    invoice = selectors.invoice_to_validate(request.user, pk)
    form = ValidateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invoice_validate(
                user=request.user,
                invoice_id=invoice.pk,
                action=data["action"],
                reason_code=data["motif_refus"],
                reason=data["motif"],
                comment=data["complement"],
            )
        except BusinessError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Décision enregistrée."))
            return redirect("portal:invoice_to_validate", pk=invoice.pk)
    return to_validate_detail(request, pk, form=form)


@login_required
@require_POST
def sent_correct_validator(request, pk: int):
    """The supplier names another validator (after « mauvais valideur »)."""
    invoice = selectors.invoice_sent(request.user, pk)
    form = ValidatorForm(request.POST)
    if form.is_valid():
        try:
            invoice_validator_correct(
                user=request.user,
                invoice_id=invoice.pk,
                siret=form.cleaned_data["siret"],
                service_code=form.cleaned_data["code_service"],
            )
        except BusinessError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("Valideur corrigé : la facture lui est soumise."))
    else:
        messages.error(request, gettext("Indiquez le SIRET du valideur."))
    return redirect("portal:invoice_sent", pk=invoice.pk)
