"""Deposits: stored as received, numbered at once, processed by the workers."""

import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.core.files import safe_filename
from chorale.core.tracing import enqueue
from chorale.structures.models import Space, Structure
from chorale.structures.selectors import structures_with_space

from .models import DEFAULT_MODES, Channel, Flow, FlowStatus
from .tasks import process_flow


def new_flow_number() -> str:
    """« CPP » and 22 digits, as Chorus Pro's numeroFluxDepot: the time, then 8 random digits."""
    return f"CPP{timezone.now():%Y%m%d%H%M%S}{secrets.randbelow(10**8):08d}"


@transaction.atomic
def flow_deposit(
    *,
    user,
    supplier: Structure,
    filename: str,
    content: bytes,
    channel: str,
    mode: str = "",
    trial: bool = False,
    mandated: list[int] | None = None,
    validators: list[dict] | None = None,
    syntax: str = "",
) -> Flow:
    """Keep the file and its SHA-256, give the flow its number and queue its processing (the
    task row is written in this same transaction: a deposit is never lost nor run twice).
    `mode` is the Chorus Pro `modeDepot` when more precise than the channel's (a typed
    invoice: SAISIE_API…); `syntax` the syntaxeFlux declared (E4/E5: works pieces only)."""
    if not structures_with_space(user, Space.INVOICES_SENT).filter(pk=supplier.pk).exists():
        raise BusinessError(
            gettext(
                "Vous ne pouvez pas déposer pour cette structure : l'espace "
                "« Factures émises » ne vous y est pas ouvert."
            ),
            "not_member",
        )
    if supplier.is_draft or not supplier.is_active:
        raise BusinessError(gettext("Cette structure n'est pas active."), "supplier_inactive")
    if not content:
        raise BusinessError(gettext("Le fichier déposé est vide."), "empty_file")
    by_api = channel == Channel.API
    limit = settings.CHORALE_API_MAX_FLUX_BYTES if by_api else settings.CHORALE_MAX_DEPOSIT_BYTES
    if len(content) > limit:
        message = (
            gettext("Le fichier dépasse la taille maximale d'un dépôt par l'API (%(mb)s Mo).")
            if by_api
            else gettext("Le fichier dépasse la taille maximale d'un dépôt (%(mb)s Mo).")
        )
        raise BusinessError(message % {"mb": limit // (1024 * 1024)}, "file_too_large")
    flow = Flow(
        number=new_flow_number(),
        deposited_by=user,
        supplier=supplier,
        channel=channel,
        mode=mode or DEFAULT_MODES[Channel(channel)],
        trial=trial,
        mandated=mandated,
        validators=validators or [],
        syntax=syntax[:60],
        original_name=(filename or "depot")[:255],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        status=FlowStatus.QUEUED,
    )
    flow.file.save(
        f"{flow.number}-{safe_filename(filename, 'depot')}", ContentFile(content), save=False
    )
    flow.save()
    enqueue(process_flow, flow_id=flow.pk)
    return flow


def flow_report(flow: Flow) -> dict:
    """The compte rendu as data: the flow's state and, per document, its verdict and errors."""
    return {
        "numeroFluxDepot": flow.number,
        "etatCourantFlux": flow.status,
        "dateDepot": flow.created_at.isoformat(),
        "dateTraitement": flow.processed_at.isoformat() if flow.processed_at else None,
        "nomFichier": flow.original_name,
        "empreinteSha256": flow.sha256,
        "nombreFacturesAcceptees": flow.accepted_count,
        "nombreFacturesRejetees": flow.rejected_count,
        "documents": [
            {
                "rang": item.position + 1,
                "nom": item.name,
                "resultat": item.result,
                "numeroFacture": item.invoice_number,
                "erreurs": item.errors,
            }
            for item in flow.items.all()
        ],
    }


def flow_report_pdf(flow: Flow) -> bytes:
    """The compte rendu as a PDF, from the same data."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("flows/compte_rendu.html", {"flow": flow, "report": flow_report(flow)})
    return HTML(string=html).write_pdf()
