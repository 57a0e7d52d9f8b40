"""« Factures de travaux »: the works pieces by the role the user's structures play (company,
maître d'œuvre, maître d'ouvrage), each piece with its circuit and the decision awaited; the
works contracts, recorded by the buyer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError
from chorale.core.paging import PAGE_SIZES, page_size
from chorale.engagements.forms import WorksContractForm
from chorale.engagements.services import issuer_for, issuing_structures, works_contracts_visible
from chorale.lifecycle import selectors
from chorale.lifecycle.policies import invoice_abilities
from chorale.lifecycle.statuses import FINAL_FRAMES, MOA, MOE, Status
from chorale.lifecycle.works import (
    MOE_DAYS,
    SIGN_DAYS,
    TACIT_DAYS,
    works_complete,
    works_decide,
    works_sign,
    works_tacit_start,
    works_take,
)
from chorale.routing.services import works_recycle
from chorale.structures.models import Space
from chorale.structures.selectors import structures_with_space

from ..forms import (
    CompleteForm,
    WorksDecisionForm,
    WorksRecycleForm,
    WorksSignForm,
    WorksTacitForm,
)
from .invoices import invoice_document

ROLES = {
    "fournisseur": gettext_lazy("Mes pièces (entreprise)"),
    "moe": gettext_lazy("Maîtrise d'œuvre"),
    "moa": gettext_lazy("Maîtrise d'ouvrage"),
}


def _no_space(request):
    return render(
        request, "chorale/no_space.html", {"title": gettext("Factures de travaux")}, status=403
    )


@login_required
def works_list(request):
    if not structures_with_space(request.user, Space.WORKS).exists():
        return _no_space(request)
    role = request.GET.get("role", "fournisseur")
    role = role if role in ROLES else "fournisseur"
    page = Paginator(selectors.works_pieces(request.user, role), page_size(request)).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/works_list.html",
        {"page": page, "roles": ROLES, "role": role, "moe_days": MOE_DAYS, "sizes": PAGE_SIZES},
    )


def _role(user, invoice) -> str:
    """The side the user decides for on this piece now (MOE or MOA), if any."""
    can = invoice_abilities(user, invoice)
    if not can["works_decide"]:
        return ""
    return MOE if can[MOE] and invoice.status in (Status.TO_MOE, Status.TAKEN_MOE) else MOA


def _initial(invoice) -> dict:
    """What the piece says now, to start from when readdressing it."""
    return {
        "siret": invoice.recipient_identifier,
        "code_service": invoice.service_code,
        "numero_engagement": invoice.engagement_number,
        "numero_marche": invoice.works_contract.number,
    }


# The forms of a piece's page: keyword → (the ability that shows it, its class).
FORMS = {
    "sign_form": ("works_sign", WorksSignForm),
    "tacit_form": ("works_tacit", WorksTacitForm),
    "complete_form": ("works_complete", CompleteForm),
    "recycle_form": ("works_recycle", WorksRecycleForm),
}


@login_required
def works_detail(request, pk: int, form=None, **posted):
    invoice = selectors.works_piece(request.user, pk)
    can = invoice_abilities(request.user, invoice)
    role = _role(request.user, invoice)
    forms = {
        key: posted.get(key) or (cls(initial=_initial(invoice)) if can[ability] else None)
        for key, (ability, cls) in FORMS.items()
    }
    return render(
        request,
        "portal/works_detail.html",
        {
            "invoice": invoice,
            "contract": invoice.works_contract,
            "final": invoice.frame in FINAL_FRAMES,
            "steps": invoice.works_steps.select_related("decided_by"),
            "timeline": selectors.invoice_timeline(invoice),
            "can": can,
            "role": role,
            "takeable": role
            and invoice.status in (Status.TO_MOE, Status.TO_MOA, Status.AVAILABLE_MOA),
            "form": form or (WorksDecisionForm() if role else None),
            **forms,
            "sign_days": SIGN_DAYS,
            "tacit_days": TACIT_DAYS,
            "asked": invoice.works_steps.filter(decision=invoice.status).order_by("-pk").first(),
            "document": invoice_document(invoice),
        },
        status=400 if form or posted else 200,
    )


@login_required
@require_POST
def works_take_view(request, pk: int):
    invoice = selectors.works_piece(request.user, pk)
    try:
        works_take(user=request.user, invoice_id=pk, role=_role(request.user, invoice) or MOE)
    except BusinessError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Pièce prise en compte."))
    return redirect("portal:works_piece", pk=pk)


def _answer(request, pk: int, form, key: str, act, done: str):
    """A works decision posted from the piece's page: `act(data)` runs the use case; the page
    again with the form's errors (400), or back to it with `done` said."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except BusinessError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("portal:works_piece", pk=pk)
    return works_detail(request, pk, **{key: form})


@login_required
@require_POST
def works_decide_view(request, pk: int):
    role = _role(request.user, selectors.works_piece(request.user, pk)) or MOE
    return _answer(
        request,
        pk,
        WorksDecisionForm(request.POST),
        "form",
        lambda data: works_decide(
            user=request.user,
            invoice_id=pk,
            role=role,
            action=data["action"],
            amount=data["montant"],
            reason_code=data["motif_refus"],
            reason=data["observations"] if data["action"] == "REFUS" else "",
            comment=data["observations"],
        ),
        gettext("Décision enregistrée."),
    )


@login_required
@require_POST
def works_sign_view(request, pk: int):
    selectors.works_piece(request.user, pk)
    return _answer(
        request,
        pk,
        WorksSignForm(request.POST),
        "sign_form",
        lambda data: works_sign(
            user=request.user,
            invoice_id=pk,
            accept=data["action"] == "ACCEPTATION",
            reason=data["motif"],
        ),
        gettext("Réponse enregistrée."),
    )


@login_required
@require_POST
def works_tacit_view(request, pk: int):
    selectors.works_piece(request.user, pk)
    return _answer(
        request,
        pk,
        WorksTacitForm(request.POST),
        "tacit_form",
        lambda data: works_tacit_start(
            user=request.user, invoice_id=pk, amount=data["montant"], comment=data["observations"]
        ),
        gettext("Projet de décompte général notifié."),
    )


@login_required
@require_POST
def works_complete_view(request, pk: int):
    selectors.works_piece(request.user, pk)
    return _answer(
        request,
        pk,
        CompleteForm(request.POST, request.FILES),
        "complete_form",
        lambda data: works_complete(
            user=request.user,
            invoice_id=pk,
            comment=data["commentaire"],
            attachments=data["pieces_jointes"],
        ),
        gettext("Complément envoyé."),
    )


@login_required
@require_POST
def works_recycle_view(request, pk: int):
    selectors.works_piece(request.user, pk)
    return _answer(
        request,
        pk,
        WorksRecycleForm(request.POST),
        "recycle_form",
        lambda data: works_recycle(
            user=request.user,
            invoice_id=pk,
            recipient_siret=data["siret"],
            market_number=data["numero_marche"],
            service_code=data["code_service"],
            engagement_number=data["numero_engagement"],
        ),
        gettext("Pièce recyclée : elle part à la maîtrise d'œuvre du marché."),
    )


@login_required
def works_contracts(request):
    if not structures_with_space(request.user, Space.WORKS).exists():
        return _no_space(request)
    return render(
        request,
        "portal/works_contracts.html",
        {
            "contracts": works_contracts_visible(request.user).prefetch_related("suppliers"),
            "buyers": issuing_structures(request.user, Space.WORKS),
        },
    )


@login_required
def works_contract_create(request, structure_id: int):
    buyer = issuer_for(request.user, structure_id, Space.WORKS)
    form = WorksContractForm(request.POST or None, buyer=buyer)
    if request.method == "POST" and form.is_valid():
        contract = form.save()
        contract.created_by = request.user
        contract.save(update_fields=["created_by"])
        messages.success(request, gettext("Marché de travaux enregistré."))
        return redirect("portal:works_contracts")
    return render(
        request,
        "portal/works_contract_form.html",
        {"form": form, "buyer": buyer},
        status=400 if form.errors else 200,
    )
