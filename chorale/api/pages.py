"""« Raccordements API » of a structure (managers only): technical accounts, whose secrets are
shown once, and webhooks with their delivery log and a « send test » button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError
from chorale.structures.selectors import membership_for

from . import services
from .models import ApiAccount, Webhook, WebhookDelivery
from .webhooks import SIGNATURE_HEADER, webhook_test

LOG_LENGTH = 30


def _context(request, structure, **extra) -> dict:
    return {
        "structure": structure,
        "accounts": ApiAccount.objects.filter(structure=structure),
        "webhooks": Webhook.objects.filter(structure=structure, is_active=True),
        "deliveries": WebhookDelivery.objects.filter(webhook__structure=structure).select_related(
            "webhook"
        )[:LOG_LENGTH],
        "token_url": request.build_absolute_uri(reverse("api:token")),
        "api_url": request.build_absolute_uri("/").rstrip("/"),
        "signature_header": SIGNATURE_HEADER,
        **extra,
    }


@never_cache  # the secrets of a new account are shown once: no cache may keep them
@login_required
def connections(request, pk: int):
    structure = membership_for(request.user, pk, manager=True).structure
    created = None
    if request.method == "POST":
        try:
            created = services.api_account_create_for(
                user=request.user, structure_id=pk, label=request.POST.get("label", "")[:100]
            )
        except BusinessError as error:
            messages.error(request, error.message)
    return render(request, "api/connections.html", _context(request, structure, created=created))


@never_cache
@login_required
@require_POST
def connection_action(request, pk: int, account_id: int):
    structure = membership_for(request.user, pk, manager=True).structure
    renewed = None
    try:
        if request.POST.get("action") == "renouveler":
            password = services.api_account_renew_password(
                user=request.user, structure_id=pk, account_id=account_id
            )
            renewed = {"account": ApiAccount.objects.get(pk=account_id), "password": password}
        else:
            services.api_account_revoke(user=request.user, structure_id=pk, account_id=account_id)
            messages.success(
                request, gettext("Le raccordement est révoqué : ses jetons ne valent plus.")
            )
            return redirect("api:connections", pk=pk)
    except BusinessError as error:
        messages.error(request, error.message)
        return redirect("api:connections", pk=pk)
    return render(request, "api/connections.html", _context(request, structure, renewed=renewed))


@login_required
@require_POST
def webhook_add(request, pk: int):
    try:
        hook = services.webhook_create(
            user=request.user, structure_id=pk, url=request.POST.get("url", "").strip()
        )
    except BusinessError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("Webhook ajouté : %(url)s")
            % {
                "url": hook.url,
            },
        )
    return redirect("api:connections", pk=pk)


@login_required
@require_POST
def webhook_action(request, pk: int, webhook_id: int):
    try:
        if request.POST.get("action") == "tester":
            hook = services.managed_webhook(request.user, pk, webhook_id)
            delivery = webhook_test(hook)
            if delivery.status == "LIVRE":
                messages.success(
                    request,
                    gettext("Test livré (HTTP %(last_status_code)s).")
                    % {
                        "last_status_code": delivery.last_status_code,
                    },
                )
            else:
                messages.error(
                    request,
                    gettext("Le test n'a pas été livré : ")
                    + (delivery.last_error or f"HTTP {delivery.last_status_code}")
                    + gettext(". Il sera réessayé."),
                )
        else:
            services.webhook_delete(user=request.user, structure_id=pk, webhook_id=webhook_id)
            messages.success(request, gettext("Webhook supprimé."))
    except BusinessError as error:
        messages.error(request, error.message)
    return redirect("api:connections", pk=pk)
