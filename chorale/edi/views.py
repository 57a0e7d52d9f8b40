"""« Raccordements EDI »: a structure's connections (declare one, follow its stage) and the
mandates it gives to operators' connections or holds from suppliers."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError
from chorale.structures.selectors import membership_for

from . import selectors, services
from .forms import ConnectionForm, MandateForm

FIELDS = ("label", "protocol", "direction", "syntaxes", "returns", "reception_syntax",
          "ssh_public_key", "as2_identifier", "as2_url", "as2_certificate",
          "certificate_expires_at")  # fmt: skip


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
    from . import as2  # (pyas2lib and its cryptography: loaded when first needed)

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
            "as2_names": as2.names(),
            "as2_url": settings.CHORALE_BASE_URL.rstrip("/") + "/edi/as2/",
            "sftp_address": f"{settings.CHORALE_EDI_SFTP_HOST}:{settings.CHORALE_EDI_SFTP_PORT}",
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


AS2_HEADERS = ("CONTENT_TYPE", "CONTENT_LENGTH")


def _raw_message(request, body: bytes) -> bytes:
    """The message as pyas2lib reads it: its HTTP headers, a blank line, its body."""
    lines = []
    for key, value in request.META.items():
        if key.startswith("HTTP_") or key in AS2_HEADERS:
            name = key.removeprefix("HTTP_").replace("_", "-").title()
            lines.append(f"{name}: {value}\r\n".encode("latin-1", "replace"))
    return b"".join(lines) + b"\r\n" + body


@csrf_exempt
@require_POST
def as2_receive(request):
    """The AS2 endpoint (POST): a partner's signed and encrypted message in, its MDN out."""
    limit = settings.CHORALE_MAX_DEPOSIT_BYTES * 2 + 65536  # base64 and S/MIME overhead
    too_large = gettext("Message AS2 trop volumineux (au plus %(mb)s Mo).") % {
        "mb": limit // (1024 * 1024)
    }
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return HttpResponse(too_large, status=413, content_type="text/plain; charset=utf-8")
    if not (request.headers.get("AS2-From") and request.headers.get("AS2-To")):
        return HttpResponse(
            gettext("Ce n'est pas un message AS2 : les en-têtes AS2-From et AS2-To manquent."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(too_large, status=413, content_type="text/plain; charset=utf-8")
    from . import as2

    answer = as2.take_message(_raw_message(request, body))
    response = HttpResponse(answer.body)
    for key, value in answer.headers.items():
        response[key] = value
    return response


def as2_certificate(request):
    """Chorale's AS2 certificate (PEM), for partners to encrypt and verify."""
    from . import as2

    response = HttpResponse(as2.certificate_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="chorale-as2.pem"'
    return response
