"""Mon Compte → « Mes rattachements aux structures », the attachment request, espaces.
The search for a structure to attach to is in chorale.directory."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError
from chorale.core.paging import PAGE_SIZES, page_size

from .. import selectors, services
from ..forms import AttachmentRequestForm, SpaceRequestForm
from ..models import Role, Structure


@login_required
def memberships(request):
    items = selectors.memberships_for_user(request.user)
    size = page_size(request)
    page = Paginator(items, size).get_page(request.GET.get("page"))
    return render(
        request,
        "structures/memberships.html",
        {
            "page": page,
            "size": size,
            "sizes": PAGE_SIZES,
            "operator_requests": selectors.operator_requests_for_user(request.user),
        },
    )


@login_required
@require_POST
def memberships_leave(request):
    """« Supprimer rattachements »: the selected ones, after the page's confirmation."""
    chosen = selectors.memberships_for_user(request.user).filter(
        pk__in=request.POST.getlist("selection")
    )
    if not chosen:
        messages.error(request, gettext("Sélectionnez au moins un rattachement à supprimer."))
    for membership in chosen:
        try:
            services.membership_remove(actor=request.user, membership=membership)
            messages.success(
                request,
                gettext("Rattachement à %(company_name)s supprimé.")
                % {
                    "company_name": membership.structure.company_name,
                },
            )
        except BusinessError as error:
            messages.error(request, f"{membership.structure.company_name} : {error.message}")
    return redirect("structures:memberships")


@login_required
def attachment_request(request, pk: int):
    structure = get_object_or_404(Structure, pk=pk, validated_at__isnull=False)
    # Without a gestionnaire principal (a provisioned public structure), the operators decide.
    to_operators = not structure.memberships.filter(role=Role.PRINCIPAL).exists()
    form = AttachmentRequestForm(
        request.POST or None, request.FILES or None, to_operators=to_operators
    )
    if request.method == "POST" and form.is_valid():
        try:
            if to_operators:
                services.operator_request_create(
                    user=request.user,
                    structure=structure,
                    evidence=form.cleaned_data["evidence"],
                    message=form.cleaned_data["message"],
                )
            else:
                services.attachment_request_create(
                    user=request.user, structure=structure, message=form.cleaned_data["message"]
                )
        except BusinessError as error:
            messages.error(request, error.message)
        else:
            who = (
                gettext("aux opérateurs de la plateforme")
                if to_operators
                else gettext("à ses gestionnaires")
            )
            messages.success(
                request,
                gettext("Demande de rattachement à %(company_name)s envoyée %(who)s.")
                % {
                    "company_name": structure.company_name,
                    "who": who,
                },
            )
            return redirect("structures:memberships")
    return render(
        request,
        "structures/attachment_request.html",
        {"form": form, "structure": structure, "to_operators": to_operators},
    )


@login_required
def space_add(request):
    """« + Ajouter un espace »."""
    memberships_list = list(selectors.memberships_for_user(request.user))
    form = SpaceRequestForm(request.POST or None, memberships=memberships_list)
    if request.method == "POST" and form.is_valid():
        membership = next(
            m for m in memberships_list if str(m.pk) == form.cleaned_data["membership"]
        )
        try:
            subscription = services.space_request(
                membership=membership, space=form.cleaned_data["space"]
            )
        except BusinessError as error:
            messages.error(request, error.message)
        else:
            if subscription.is_approved:
                messages.success(
                    request,
                    gettext("Espace « %(get_space_display)s » ouvert.")
                    % {
                        "get_space_display": subscription.get_space_display(),
                    },
                )
            else:
                messages.success(
                    request,
                    gettext(
                        "Demande d'espace « %(get_space_display)s » envoyée aux "
                        "gestionnaires de la structure."
                    )
                    % {
                        "get_space_display": subscription.get_space_display(),
                    },
                )
            return redirect("portal:dashboard")
    return render(
        request, "structures/space_add.html", {"form": form, "memberships": memberships_list}
    )
