"""« Sollicitations émises / reçues »: thin views over the support selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from chorale.core.errors import BusinessError
from chorale.core.files import safe_filename
from chorale.core.paging import PAGE_SIZES, page_size
from chorale.structures.models import Space
from chorale.structures.selectors import structures_with_space

from . import selectors, services
from .forms import AssignForm, FilterForm, ReplyForm, RequestForm
from .models import Side
from .policies import request_abilities

SIDES = {
    Side.REQUESTER: {
        "title": gettext_lazy("Sollicitations émises"),
        "list": selectors.requests_sent,
        "detail": "support:sent_detail",
        "prefix": "emises",
    },
    Side.RECIPIENT: {
        "title": gettext_lazy("Sollicitations reçues"),
        "list": selectors.requests_received,
        "detail": "support:received_detail",
        "prefix": "recues",
    },
}


def _may_receive(user) -> bool:
    return user.is_staff or structures_with_space(user, Space.REQUESTS_RECEIVED).exists()


def _list(request, side: str):
    config = SIDES[side]
    if side == Side.RECIPIENT and not _may_receive(request.user):
        return render(request, "chorale/no_space.html", {"title": config["title"]}, status=403)
    form = FilterForm(request.GET or None)
    rows = config["list"](request.user, form.filters())
    page = Paginator(rows, page_size(request)).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for key in ("page", "taille"):
        query.pop(key, None)
    return render(
        request,
        "support/list.html",
        {
            "form": form,
            "page": page,
            "sizes": PAGE_SIZES,
            "side": side,
            "query": query.urlencode(),
            **config,
        },
    )


@login_required
def sent_list(request):
    return _list(request, Side.REQUESTER)


@login_required
def received_list(request):
    return _list(request, Side.RECIPIENT)


@login_required
def request_new(request):
    """« Nouvelle sollicitation », optionally about an invoice (?facture=) or a flow (?flux=)."""
    initial = {"objet": request.GET.get("objet", "")[:200]}
    invoice = None
    if request.GET.get("facture", "").isdigit():
        invoice = selectors.invoice_visible(request.user, int(request.GET["facture"]))
    if invoice is not None:
        initial["facture"] = invoice.pk
        initial["objet"] = initial["objet"] or f"Facture {invoice.number}"
        mine = selectors.author_structures(request.user)
        counterpart = invoice.supplier if invoice.recipient in mine else invoice.recipient
        initial["destinataire"] = counterpart.identifier
        ours = invoice.recipient if counterpart == invoice.supplier else invoice.supplier
        if ours in mine:
            initial["structure"] = ours.pk
    if request.GET.get("flux"):
        initial["flux"] = request.GET["flux"][:30]
    form = RequestForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.request_open(
                user=request.user,
                author_structure=data["structure"],
                recipient=form.recipient(),
                category=data["categorie"],
                subcategory=data["sous_categorie"],
                subject=data["objet"],
                body=data["message"],
                attachments=data["pieces_jointes"],
                invoice=data["facture"],
                flow=data["flux"],
                linked_structure=data["structure_concernee"],
            )
        except BusinessError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                gettext("Votre sollicitation %(number)s est envoyée.")
                % {
                    "number": created.number,
                },
            )
            return redirect("support:sent_detail", pk=created.pk)
    return render(request, "support/new.html", {"form": form, "invoice": invoice})


def _detail(request, side: str, pk: int, reply_form=None, assign_form=None):
    found = selectors.request_for(request.user, pk, side)
    abilities = request_abilities(found, side)
    return render(
        request,
        "support/detail.html",
        {
            "item": found,
            "side": side,
            "conversation": selectors.request_messages(found),
            "abilities": abilities,
            "reply_form": reply_form or ReplyForm(),
            "assign_form": assign_form
            or (AssignForm(request=found) if abilities["assign"] else None),
            **SIDES[side],
        },
    )


def _reply(request, side: str, pk: int):
    if request.method != "POST":
        return _detail(request, side, pk)
    selectors.request_for(request.user, pk, side)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_reply(
                user=request.user,
                pk=pk,
                side=side,
                body=form.cleaned_data["message"],
                attachments=form.cleaned_data["pieces_jointes"],
            )
        except BusinessError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Votre message est envoyé."))
            return redirect(SIDES[side]["detail"], pk=pk)
    return _detail(request, side, pk, reply_form=form)


@login_required
def sent_detail(request, pk: int):
    return _reply(request, Side.REQUESTER, pk)


@login_required
def received_detail(request, pk: int):
    return _reply(request, Side.RECIPIENT, pk)


def _step(request, side: str, pk: int, service, done: str):
    try:
        service(user=request.user, pk=pk, side=side)
    except BusinessError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(SIDES[side]["detail"], pk=pk)


@login_required
@require_POST
def close(request, side: str, pk: int):
    side = _side(side)
    return _step(
        request, side, pk, services.request_close, gettext("La sollicitation est clôturée.")
    )


@login_required
@require_POST
def reopen(request, side: str, pk: int):
    side = _side(side)
    return _step(
        request, side, pk, services.request_reopen, gettext("La sollicitation est rouverte.")
    )


@login_required
@require_POST
def assign(request, pk: int):
    found = selectors.request_for(request.user, pk, Side.RECIPIENT)
    form = AssignForm(request.POST, request=found)
    if form.is_valid():
        try:
            services.request_assign(
                user=request.user, pk=pk, assignee=form.cleaned_data["personne"]
            )
        except BusinessError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("La prise en charge est enregistrée."))
            return redirect("support:received_detail", pk=pk)
    return _detail(request, Side.RECIPIENT, pk, assign_form=form)


@login_required
def attachment_download(request, side: str, pk: int, attachment_id: int):
    found = selectors.request_for(request.user, pk, _side(side))
    attachment = selectors.message_attachment(found, attachment_id)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=safe_filename(attachment.name)
    )


def _side(prefix: str) -> str:
    if prefix not in ("emises", "recues"):
        raise Http404(gettext("Page introuvable."))
    return Side.REQUESTER if prefix == "emises" else Side.RECIPIENT
