"""« Factures émises » and « Factures reçues »: lists, detail with the timeline, downloads and
the life-cycle actions — each through the engine's services (no second path)."""

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError
from chorale.core.export import table_response
from chorale.core.files import download_response, safe_filename
from chorale.core.forms import ATTACHMENT_TYPES
from chorale.core.paging import PAGE_SIZES, LargeListPaginator, page_size
from chorale.invoicing import labels
from chorale.invoicing.files import invoice_file, invoice_original, invoices_zip
from chorale.invoicing.formats import read_invoice
from chorale.invoicing.formats.errors import FormatError
from chorale.lifecycle import selectors
from chorale.lifecycle.policies import invoice_abilities
from chorale.lifecycle.services import (
    invoice_acknowledge_rejection,
    invoice_complete,
    invoice_process,
    invoices_mark_downloaded,
    invoices_process,
)
from chorale.lifecycle.statuses import RECIPIENT, SUPPLIER, Status, next_statuses
from chorale.routing.services import invoice_recycle
from chorale.structures.models import Service, Space
from chorale.structures.selectors import structures_with_space

from ..forms import CompleteForm, InvoiceFilterForm, ProcessForm, RecycleForm, ValidatorForm

# The recipient's actions, in the words of the portal (MISSION §4).
ACTION_LABELS = {
    Status.ACKNOWLEDGED: gettext_lazy("Prendre en compte"),
    Status.SUSPENDED: gettext_lazy("Suspendre"),
    Status.REJECTED: gettext_lazy("Rejeter"),
    Status.TO_RECYCLE: gettext_lazy("À recycler"),
    Status.SERVICE_DONE: gettext_lazy("Service fait"),
    Status.PAYMENT_ORDERED: gettext_lazy("Mandater"),
    Status.WITH_ACCOUNTANT: gettext_lazy("Mise à disposition du comptable"),
    Status.BOOKED: gettext_lazy("Comptabiliser"),
    Status.PAID: gettext_lazy("Mise en paiement"),
}
SIDES = {
    SUPPLIER: {
        "space": Space.INVOICES_SENT,
        "title": gettext_lazy("Factures émises"),
        "counterpart": "Destinataire",
        "list": selectors.invoices_sent,
        "one": selectors.invoice_sent,
        "url": "portal:invoices_sent",
        "detail": "portal:invoice_sent",
    },
    RECIPIENT: {
        "space": Space.INVOICES_RECEIVED,
        "title": gettext_lazy("Factures reçues"),
        "counterpart": "Fournisseur",
        "list": selectors.invoices_received,
        "one": selectors.invoice_received,
        "url": "portal:invoices_received",
        "detail": "portal:invoice_received",
    },
}
INVOICE_PAGE_SIZE = 20  # what the invoice lists open with, until the user picks another size
EXPORT_HEADERS = [
    gettext_lazy(
"Numéro"
), gettext_lazy(
"Date"
), gettext_lazy(
"Type"
), gettext_lazy(
"Fournisseur"
), gettext_lazy(
"SIRET fournisseur"
), gettext_lazy(
"Destinataire"
),
    "SIRET destinataire", "Service", "Engagement", "Montant HT", "TVA", "Montant TTC", "Devise",
    gettext_lazy(
"Statut"
), gettext_lazy(
"Déposée le"
),
]  # fmt: skip


def _filter_form(request, side: str) -> InvoiceFilterForm:
    services = None
    if side == RECIPIENT:
        structures = structures_with_space(request.user, Space.INVOICES_RECEIVED)
        services = Service.objects.filter(structure__in=structures).order_by("label")
    return InvoiceFilterForm(
        request.GET or None,
        counterpart_label=SIDES[side]["counterpart"],
        services=services,
        received=side == RECIPIENT,
    )


def _invoice_list(request, side: str):
    config = SIDES[side]
    form = _filter_form(request, side)
    sort = request.GET.get("tri", "-depot")
    invoices = config["list"](request.user, form.filters(sort))
    return form, sort, invoices


def _list(request, side: str):
    config = SIDES[side]
    if not structures_with_space(request.user, config["space"]).exists():
        return render(request, "chorale/no_space.html", {"title": config["title"]}, status=403)
    form, sort, invoices = _invoice_list(request, side)
    invoices = invoices.defer("structured_data")  # the list shows key terms only
    size = page_size(request, default=INVOICE_PAGE_SIZE)
    page = LargeListPaginator(invoices, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("tri", None)
    return render(
        request,
        "portal/invoice_list.html",
        {
            "side": side,
            "config": config,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "sort": sort,
            "sizes": PAGE_SIZES,
            "bulk_url": reverse(f"{config['url']}_bulk"),
            "bulk_actions": list(ACTION_LABELS.items()) if side == RECIPIENT else [],
        },
    )


def _export(request, side: str, fmt: str):
    _, _, invoices = _invoice_list(request, side)
    rows = (
        (
            i.number,
            i.issue_date,
            labels.document_type(i.type_code),
            i.supplier_name,
            i.supplier_identifier,
            i.recipient_name,
            i.recipient_identifier,
            i.service.code if i.service else "",
            i.engagement_number,
            i.total_without_vat,
            i.total_vat,
            i.total_with_vat,
            i.currency,
            Status(i.status).label,
            timezone.localtime(i.created_at),
        )
        for i in invoices.iterator()
    )
    filename = "factures-emises" if side == SUPPLIER else "factures-recues"
    raw = request.GET.get("forme") == "brute"
    return table_response(EXPORT_HEADERS, rows, fmt, filename, raw=raw)


def _detail(request, side: str, pk: int, **forms):
    invoice = SIDES[side]["one"](request.user, pk)
    can = invoice_abilities(request.user, invoice)
    actions = []
    if side == RECIPIENT and can["process"]:
        hidden = invoice.recipient and invoice.recipient.payment_status_not_reported
        actions = [
            (status, ACTION_LABELS[status])
            for status in next_statuses(invoice.status, RECIPIENT)
            if status in ACTION_LABELS and not (hidden and status == Status.PAID)
        ]
        forms.setdefault(
            "process_form",
            ProcessForm(actions=actions, initial={"statut_attendu": invoice.status}),
        )
    elif side == SUPPLIER:
        if can["correct_validator"]:
            forms.setdefault("validator_form", ValidatorForm())
        if can["complete"]:
            forms.setdefault("complete_form", CompleteForm())
        if can["recycle"]:
            forms.setdefault(
                "recycle_form",
                RecycleForm(
                    initial={
                        "siret": invoice.recipient_identifier,
                        "code_service": invoice.service_code,
                        "numero_engagement": invoice.engagement_number,
                    }
                ),
            )
    return render(
        request,
        "portal/invoice_detail.html",
        {
            "side": side,
            "config": SIDES[side],
            "invoice": invoice,
            "status_label": Status(invoice.status).label,
            "timeline": selectors.invoice_timeline(invoice),
            "delay": selectors.payment_delays([invoice])[invoice.pk],
            "actions": actions,
            "can": can,
            "document": invoice_document(invoice),
            "flow_item": getattr(invoice, "flow_item", None),
            **forms,
        },
        status=400 if any(f.is_bound for f in forms.values()) else 200,
    )


def invoice_document(invoice):
    """The invoice as its file says it (lines, VAT, payment, references, attachments), for
    the page; None if the stored file cannot be read (the page then shows the key data)."""
    try:
        return read_invoice(bytes(invoice.structured_data))[1]
    except FormatError:
        return None


def _download(request, side: str, pk: int, fmt: str):
    invoice = SIDES[side]["one"](request.user, pk)
    if fmt not in ("xml", "pdf", "original"):
        raise Http404(gettext("Format inconnu."))
    if side == RECIPIENT:
        invoices_mark_downloaded([invoice.pk])
    if fmt == "original":  # the file deposited, unchanged
        content, fmt = invoice_original(invoice)
        content_type = "application/pdf" if fmt == "pdf" else "application/xml"
        return download_response(content, content_type, f"{invoice.number}.{fmt}")
    content_type = "application/pdf" if fmt == "pdf" else "application/xml"
    return download_response(invoice_file(invoice, fmt), content_type, f"{invoice.number}.{fmt}")


@login_required
def sent_list(request):
    return _list(request, SUPPLIER)


@login_required
def received_list(request):
    return _list(request, RECIPIENT)


@login_required
def sent_export(request, fmt: str):
    return _export(request, SUPPLIER, fmt)


@login_required
def received_export(request, fmt: str):
    return _export(request, RECIPIENT, fmt)


@login_required
def sent_detail(request, pk: int):
    return _detail(request, SUPPLIER, pk)


@login_required
def received_detail(request, pk: int):
    return _detail(request, RECIPIENT, pk)


@login_required
def sent_download(request, pk: int, fmt: str):
    return _download(request, SUPPLIER, pk, fmt)


@login_required
def received_download(request, pk: int, fmt: str):
    return _download(request, RECIPIENT, pk, fmt)


@login_required
@require_POST
def received_process(request, pk: int):
    """A recipient's action: the new status with its reason or mandate number."""
    invoice = selectors.invoice_received(request.user, pk)
    actions = [(s, ACTION_LABELS.get(s, s)) for s in next_statuses(invoice.status, RECIPIENT)]

    def process(data: dict) -> str:
        invoice_process(
            user=request.user,
            invoice_id=invoice.pk,
            to_status=data["statut"],
            reason=data["motif"],
            payment_order_number=data["numero_mandat"],
            expected_status=data["statut_attendu"] or None,
        )
        label = Status(data["statut"]).label.lower()
        return gettext("La facture %(number)s est désormais « %(label)s ».") % {
            "number": invoice.number,
            "label": label,
        }

    form = ProcessForm(request.POST, actions=actions)
    return _act(request, RECIPIENT, invoice, form, "process_form", process)


def _act(request, side: str, invoice, form, form_name: str, action):
    """A form's action on the invoice: done (its message, back to the page) or refused (the
    reason shown in the form, on the page)."""
    if form.is_valid():
        try:
            done = action(form.cleaned_data)
        except BusinessError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect(SIDES[side]["detail"], pk=invoice.pk)
    return _detail(request, side, invoice.pk, **{form_name: form})


@login_required
@require_POST
def sent_complete(request, pk: int):
    """« Compléter » a suspended invoice (Suspendue → Complétée)."""
    invoice = selectors.invoice_sent(request.user, pk)

    def complete(data: dict) -> str:
        invoice_complete(
            user=request.user,
            invoice_id=invoice.pk,
            comment=data["commentaire"],
            attachments=data["pieces_jointes"],
        )
        return gettext("La facture %(number)s est complétée.") % {
            "number": invoice.number,
        }

    form = CompleteForm(request.POST, request.FILES)
    return _act(request, SUPPLIER, invoice, form, "complete_form", complete)


@login_required
@require_POST
def sent_recycle(request, pk: int):
    """« Recycler »: corrected routing data, and the invoice is routed again."""
    invoice = selectors.invoice_sent(request.user, pk)

    def recycle(data: dict) -> str:
        invoice_recycle(
            user=request.user,
            invoice_id=invoice.pk,
            recipient_siret=data["siret"],
            service_code=data["code_service"],
            engagement_number=data["numero_engagement"],
        )
        return gettext("La facture %(number)s est de nouveau acheminée.") % {
            "number": invoice.number,
        }

    return _act(request, SUPPLIER, invoice, RecycleForm(request.POST), "recycle_form", recycle)


@login_required
@require_POST
def sent_acknowledge(request, pk: int):
    """The supplier marks a rejection as read (« rejet traité »)."""
    invoice = selectors.invoice_sent(request.user, pk)
    try:
        invoice_acknowledge_rejection(user=request.user, invoice_id=invoice.pk)
    except BusinessError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("Le rejet de la facture %(number)s est marqué traité.")
            % {
                "number": invoice.number,
            },
        )
    return redirect("portal:invoice_sent", pk=invoice.pk)


MAX_PDF_BATCH = 20  # PDFs are rendered on the fly: a bigger selection asks for the XML files


def _zip_response(invoices, fmt: str, filename: str) -> HttpResponse:
    return download_response(invoices_zip(invoices, fmt), "application/zip", f"{filename}.zip")


def _bulk(request, side: str):
    """A selection of the list: downloaded as one zip (PDF or structured files) or, for the
    recipient, moved to one status — each invoice through the transition service."""
    config = SIDES[side]
    ids = [int(i) for i in request.POST.getlist("selection") if i.isdigit()]
    invoices = list(config["list"](request.user).filter(pk__in=ids))
    operation = request.POST.get("operation", "")
    if not invoices:
        messages.error(request, gettext("Sélectionnez au moins une facture."))
    elif operation in ("xml", "pdf"):
        if operation == "pdf" and len(invoices) > MAX_PDF_BATCH:
            messages.error(
                request,
                gettext(
                    "Le téléchargement groupé en PDF est limité à "
                    "%(MAX_PDF_BATCH)s factures ; choisissez les fichiers "
                    "structurés (XML) pour une sélection plus large."
                )
                % {
                    "MAX_PDF_BATCH": MAX_PDF_BATCH,
                },
            )
        else:
            name = "factures-emises" if side == SUPPLIER else "factures-recues"
            if side == RECIPIENT:
                invoices_mark_downloaded([i.pk for i in invoices])
            return _zip_response(invoices, operation, name)
    elif side == RECIPIENT and operation in ACTION_LABELS:
        done, refused = invoices_process(
            user=request.user,
            invoices=invoices,
            to_status=operation,
            reason=request.POST.get("motif", ""),
            payment_order_number=request.POST.get("numero_mandat", ""),
        )
        if done:
            messages.success(
                request,
                gettext("%(len)s facture%(s_if_len)s désormais « %(Status)s » : %(join)s.")
                % {
                    "len": len(done),
                    "s_if_len": "s" if len(done) > 1 else "",
                    "Status": Status(operation).label.lower(),
                    "join": ", ".join(i.number for i in done),
                },
            )
        if refused:
            messages.error(
                request,
                gettext("Action refusée pour : ")
                + " ; ".join(f"{invoice.number} ({why})" for invoice, why in refused),
            )
    else:
        messages.error(request, gettext("Choisissez une action."))
    return redirect(f"{reverse(config['url'])}?{request.POST.get('retour', '')}")


@login_required
@require_POST
def sent_bulk(request):
    return _bulk(request, SUPPLIER)


@login_required
@require_POST
def received_bulk(request):
    return _bulk(request, RECIPIENT)


@login_required
def invoice_open(request, pk: int):
    """The feed's link to an invoice: the reader's own side of it (supplier or recipient; a
    works piece's circuit for its company, maître d'œuvre and maître d'ouvrage)."""
    if _works_piece(request.user, pk) is not None:
        return redirect("portal:works_piece", pk=pk)
    if selectors.invoices_sent(request.user).filter(pk=pk).exists():
        return redirect("portal:invoice_sent", pk=pk)
    if selectors.invoices_received(request.user).filter(pk=pk).exists():
        return redirect("portal:invoice_received", pk=pk)
    raise Http404(gettext("Facture introuvable."))


def _works_piece(user, pk: int):
    """The works piece the user sees as company, maître d'œuvre or maître d'ouvrage, or None."""
    try:
        return selectors.works_piece(user, pk)
    except Http404:
        return None


@login_required
def supporting_document(request, pk: int, index: int):
    """A supporting document (BG-24) the invoice file carries, for either side that sees it."""
    invoice = (
        selectors.invoices_sent(request.user).filter(pk=pk).first()
        or selectors.invoices_received(request.user).filter(pk=pk).first()
        or _works_piece(request.user, pk)
    )
    document = invoice_document(invoice) if invoice else None
    if document is None or not 0 <= index < len(document.attachments):
        raise Http404(gettext("Pièce jointe introuvable."))
    attachment = document.attachments[index]
    if not attachment.content:
        raise Http404(gettext("Cette pièce jointe est une adresse externe, sans contenu joint."))
    try:
        content = base64.b64decode(attachment.content, validate=False)
    except (ValueError, binascii.Error) as error:
        raise Http404(gettext("Pièce jointe illisible.")) from error
    name = attachment.filename or attachment.reference or f"piece-jointe-{index + 1}"
    mime = attachment.mime_code if attachment.mime_code in ATTACHMENT_TYPES.values() else ""
    return download_response(content, mime or "application/octet-stream", name)


@login_required
def attachment_download(request, pk: int, attachment_id: int):
    """A pièce jointe of an invoice's history, for either side of the invoice."""
    if selectors.invoices_sent(request.user).filter(pk=pk).exists():
        invoice = selectors.invoice_sent(request.user, pk)
    else:
        invoice = selectors.invoice_received(request.user, pk)
    attachment = selectors.event_attachment(invoice, attachment_id)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=safe_filename(attachment.name)
    )
