"""« Activités du gestionnaire »: requests, members and roles, services, parameters, bank details.

Every view takes the structure through the acting user's manager membership (404 otherwise).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError

from .. import selectors, services
from ..forms import BankAccountForm, ParametersForm, RefusalForm, RoleForm, ServiceForm
from ..models import Role
from ..policies import structure_abilities


def _context(membership, edited_service_form=None, **extra):
    structure = membership.structure
    edited = edited_service_form.instance.pk if edited_service_form else None
    return {
        "membership": membership,
        "structure": structure,
        "can": structure_abilities(membership),
        "requests": selectors.pending_attachment_requests(structure),
        "space_requests": selectors.pending_space_requests(structure),
        "members": selectors.structure_members(structure),
        "services": structure.services.all(),
        "bank_accounts": structure.bank_accounts.all(),
        "service_form": ServiceForm(structure=structure, prefix="service"),
        "service_edit_forms": [
            (
                service,
                edited_service_form
                if service.pk == edited
                else ServiceForm(instance=service, prefix=f"service-{service.pk}"),
            )
            for service in structure.services.all()
        ],
        "bank_form": BankAccountForm(structure=structure, prefix="bank"),
        "parameters_form": ParametersForm(instance=structure, prefix="params"),
        "refusal_form": RefusalForm(),
        "role_form": RoleForm(),
        **extra,
    }


@login_required
def manager_home(request):
    """The managed structures; one goes straight to its page."""
    structures = list(selectors.managed_structures(request.user))
    if len(structures) == 1:
        return redirect("structures:manage", pk=structures[0].pk)
    return render(request, "structures/manager_home.html", {"structures": structures})


@login_required
def manage(request, pk: int):
    membership = selectors.membership_for(request.user, pk, manager=True)
    return render(request, "structures/manage.html", _context(membership))


def _done(request, pk, error: BusinessError | None, success: str):
    if error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("structures:manage", pk=pk)


@login_required
@require_POST
def request_decide(request, pk: int, request_id: int):
    membership = selectors.membership_for(request.user, pk, manager=True)
    attachment = get_object_or_404(
        selectors.pending_attachment_requests(membership.structure), pk=request_id
    )
    approve = request.POST.get("decision") == "approve"
    try:
        services.attachment_request_decide(
            manager=request.user, request=attachment, approve=approve,
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except BusinessError as error:
        return _done(request, pk, error, "")
    return _done(
        request, pk, None, gettext("Demande acceptée.") if approve else gettext("Demande refusée.")
    )


@login_required
@require_POST
def space_decide(request, pk: int, subscription_id: int):
    membership = selectors.membership_for(request.user, pk, manager=True)
    subscription = get_object_or_404(
        selectors.pending_space_requests(membership.structure), pk=subscription_id
    )
    approve = request.POST.get("decision") == "approve"
    services.space_decide(manager=request.user, subscription=subscription, approve=approve)
    return _done(
        request,
        pk,
        None,
        gettext("Espace accordé.") if approve else gettext("Demande d'espace refusée."),
    )


@login_required
@require_POST
def member_action(request, pk: int, member_id: int):
    membership = selectors.membership_for(request.user, pk, manager=True)
    target = get_object_or_404(selectors.structure_members(membership.structure), pk=member_id)
    action = request.POST.get("action")
    try:
        if action == "role":
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise BusinessError(gettext("Rôle inconnu."), "invalid_role")
            services.membership_set_role(
                manager=request.user, membership=target, role=form.cleaned_data["role"]
            )
            success = gettext("Rôle modifié.")
        elif action == "remove":
            services.membership_remove(actor=request.user, membership=target)
            success = gettext("Membre retiré de la structure.")
        elif action == "transfer":
            if membership.role != Role.PRINCIPAL:
                raise BusinessError(
                    gettext("Seul le gestionnaire principal peut transférer son rôle."), "forbidden"
                )
            services.principal_transfer(principal=membership, target=target)
            success = gettext("Rôle de gestionnaire principal transféré.")
        else:
            raise BusinessError(gettext("Action inconnue."), "invalid_action")
    except BusinessError as error:
        return _done(request, pk, error, "")
    return _done(request, pk, None, success)


def _save(request, membership, form, success: str, **slot):
    """Save a manager form, or show the page again with its errors in place (`slot`)."""
    if form.is_valid():
        form.save()
        messages.success(request, success)
        return redirect("structures:manage", pk=membership.structure_id)
    messages.error(request, gettext("Enregistrement impossible : voir les erreurs ci-dessous."))
    return render(request, "structures/manage.html", _context(membership, **slot), status=400)


@login_required
@require_POST
def service_save(request, pk: int, service_id: int | None = None):
    membership = selectors.membership_for(request.user, pk, manager=True)
    structure = membership.structure
    if service_id is None:
        form = ServiceForm(request.POST, structure=structure, prefix="service")
        return _save(request, membership, form, gettext("Service enregistré."), service_form=form)
    instance = get_object_or_404(structure.services, pk=service_id)
    form = ServiceForm(request.POST, instance=instance, prefix=f"service-{service_id}")
    return _save(
        request, membership, form, gettext("Service enregistré."), edited_service_form=form
    )


@login_required
@require_POST
def parameters_save(request, pk: int):
    membership = selectors.membership_for(request.user, pk, manager=True)
    form = ParametersForm(request.POST, instance=membership.structure, prefix="params")
    return _save(
        request, membership, form, gettext("Paramètres enregistrés."), parameters_form=form
    )


@login_required
@require_POST
def bank_account_add(request, pk: int):
    membership = selectors.membership_for(request.user, pk, manager=True)
    form = BankAccountForm(request.POST, structure=membership.structure, prefix="bank")
    return _save(
        request, membership, form, gettext("Coordonnées bancaires ajoutées."), bank_form=form
    )
