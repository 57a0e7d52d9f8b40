"""« Déposer une facture » and « Suivi des flux »: a file or a batch gets its flow number at once;
the compte rendu lists every invoice's result and error on the page and as a PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.core.files import download_response
from chorale.core.formats import money
from chorale.core.paging import page_size
from chorale.routing.engagements import open_engagements
from chorale.routing.services import public_recipient
from chorale.structures.models import BankAccount, BillingMandate, Space
from chorale.structures.selectors import structures_with_space

from .entry import draft_save, invoice_enter
from .forms import DepositForm, EntryForm, EntryLineFormSet, PdfDepositForm
from .models import Channel, DepositMode, InvoiceDraft
from .selectors import flow_for_user, flows_for_user
from .services import flow_deposit, flow_report, flow_report_pdf


@login_required
def deposit(request):
    structures = structures_with_space(request.user, Space.INVOICES_SENT).order_by("company_name")
    if not structures:
        return render(
            request, "chorale/no_space.html", {"title": gettext("Factures émises")}, status=403
        )
    form = DepositForm(request.POST or None, request.FILES or None, structures=structures)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        try:
            flow = flow_deposit(
                user=request.user,
                supplier=structures.get(pk=form.cleaned_data["structure"]),
                filename=upload.name,
                content=upload.read(),
                channel=Channel.PORTAL,
            )
        except BusinessError as error:
            form.add_error("fichier", error.message)
        else:
            messages.success(
                request,
                gettext(
                    "Dépôt enregistré sous le numéro de flux %(number)s ; son "
                    "compte rendu s'affiche ici dès le traitement terminé."
                )
                % {
                    "number": flow.number,
                },
            )
            return redirect("flows:flow", number=flow.number)
    return render(request, "flows/deposit.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def flow_list(request):
    """« Suivi des flux »; with ?direct=1, the table alone, which the page polls while one of
    its flows is being judged (chorale/live.js)."""
    flows = flows_for_user(request.user)
    page = Paginator(flows, page_size(request)).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query["direct"] = "1"
    context = {
        "page": page,
        "pending": any(not flow.is_done for flow in page.object_list),
        "live_query": query.urlencode(),
    }
    template = "flows/flow_table.html" if request.GET.get("direct") else "flows/flow_list.html"
    return render(request, template, context)


@login_required
def flow_detail(request, number: str):
    return _flow_page(request, number, "flows/flow_detail.html")


@login_required
def flow_state(request, number: str):
    """The state part of a flow's page, polled while it is judged: progress, then the compte
    rendu."""
    return _flow_page(request, number, "flows/flow_state.html")


def _flow_page(request, number: str, template: str):
    flow = flow_for_user(request.user, number)
    return render(
        request,
        template,
        {"flow": flow, "report": flow_report(flow), "items": flow.items.select_related("invoice")},
    )


@login_required
def flow_report_download(request, number: str):
    flow = flow_for_user(request.user, number)
    return download_response(
        flow_report_pdf(flow), "application/pdf", f"compte-rendu-{flow.number}.pdf"
    )


def _entry_structures(user):
    """The structures the user may type invoices for: « Factures émises » open, mandate on."""
    return (
        structures_with_space(user, Space.INVOICES_SENT)
        .filter(pk__in=BillingMandate.objects.filter(revoked_at=None).values("structure"))
        .order_by("company_name")
    )


@login_required
def invoice_entry(request):
    """« Saisir une facture »: header, lines (totals computed live, recomputed on the server),
    « Enregistrer le brouillon » or « Valider et envoyer »."""
    structures = _entry_structures(request.user)
    if not structures:
        mandate_less = structures_with_space(request.user, Space.INVOICES_SENT)
        return render(
            request,
            "flows/entry_no_mandate.html",
            {"structures": mandate_less},
            status=403,
        )
    drafts = InvoiceDraft.objects.filter(supplier__in=structures)
    draft = None
    if request.GET.get("brouillon") or request.POST.get("brouillon"):
        draft = get_object_or_404(
            drafts, pk=request.GET.get("brouillon") or request.POST.get("brouillon")
        )
    data = request.POST if request.method == "POST" else None
    accounts = BankAccount.objects.filter(structure__in=structures, is_active=True)
    form = EntryForm(data, request.FILES or None, structures=structures, bank_accounts=accounts)
    lines = EntryLineFormSet(data, prefix="lignes")
    if request.method == "POST":
        if "brouillon_enregistrer" in request.POST:
            return _draft_save(request, structures, draft)
        if form.is_valid() and lines.is_valid():
            supplier = structures.get(pk=form.cleaned_data["structure"])
            account = accounts.filter(
                pk=form.cleaned_data["coordonnees"], structure=supplier
            ).first()
            try:
                recipient = public_recipient(form.cleaned_data["destinataire"])
                flow = invoice_enter(
                    user=request.user,
                    supplier=supplier,
                    recipient=recipient,
                    header=form.header(),
                    lines=[line.line() for line in lines],
                    bank_account=account,
                )
            except BusinessError as error:
                form.add_error(None, error.message)
            else:
                if draft:
                    draft.delete()
                messages.success(
                    request,
                    gettext("Facture %(number)s envoyée : flux %(flow)s.")
                    % {"number": form.cleaned_data["numero"], "flow": flow.number},
                )
                return redirect("flows:flow", number=flow.number)
    else:
        header, typed_lines = _draft_initial(draft.data) if draft else ({}, [])
        form = EntryForm(
            initial={"date_facture": timezone.localdate(), **header},
            structures=structures,
            bank_accounts=accounts,
        )
        lines = EntryLineFormSet(prefix="lignes", initial=typed_lines or None)
    return render(
        request,
        "flows/entry.html",
        {"form": form, "lines": lines, "drafts": drafts, "draft": draft},
        status=400 if request.method == "POST" else 200,
    )


def _draft_initial(data: dict) -> tuple[dict, list[dict]]:
    """A draft's typed values as the forms' initial values (shown, not yet judged)."""
    header = {k: v for k, v in data.items() if not k.startswith("lignes-")}
    count = int(data.get("lignes-TOTAL_FORMS") or 0)
    lines = [
        {k.split("-", 2)[2]: v for k, v in data.items() if k.startswith(f"lignes-{n}-")}
        for n in range(count)
    ]
    return header, lines


def _draft_save(request, structures, draft):
    typed = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    supplier = structures.filter(pk=request.POST.get("structure") or 0).first() or structures[0]
    draft = draft_save(user=request.user, supplier=supplier, draft=draft, typed=typed)
    messages.success(request, gettext("Brouillon enregistré."))
    return redirect(f"{reverse('flows:entry')}?brouillon={draft.pk}")


@login_required
def deposit_pdf(request):
    """« Déposer une facture PDF »: a plain PDF and its key data, made into an EN 16931 invoice
    with the PDF attached (the platform issues it: the billing mandate is needed)."""
    structures = _entry_structures(request.user)
    if not structures:
        mandate_less = structures_with_space(request.user, Space.INVOICES_SENT)
        return render(
            request, "flows/entry_no_mandate.html", {"structures": mandate_less}, status=403
        )
    form = PdfDepositForm(request.POST or None, request.FILES or None, structures=structures)
    if request.method == "POST" and form.is_valid():
        try:
            flow = invoice_enter(
                user=request.user,
                supplier=structures.get(pk=form.cleaned_data["structure"]),
                recipient=public_recipient(form.cleaned_data["destinataire"]),
                header=form.header(),
                lines=form.lines(),
                bank_account=None,
                mode=DepositMode.PORTAL_PDF,
            )
        except BusinessError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                gettext("Facture déposée : flux %(number)s.")
                % {
                    "number": flow.number,
                },
            )
            return redirect("flows:flow", number=flow.number)
    return render(
        request, "flows/deposit_pdf.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def recipient_lookup(request):
    """A public recipient's name, active services and requirements, for the saisie page
    (public information about public structures); and the open engagements it has with the
    supplier chosen, when the user invoices for that supplier."""
    try:
        recipient = public_recipient(request.GET.get("siret", ""))
    except BusinessError as error:
        return JsonResponse({"error": error.message, "code": error.code}, status=404)
    supplier = (
        structures_with_space(request.user, Space.INVOICES_SENT)
        .filter(pk=request.GET.get("structure") or None)
        .first()
    )
    engagements = open_engagements(supplier, recipient)[:50] if supplier else []
    return JsonResponse(
        {
            "name": recipient.company_name,
            "engagements": [
                {
                    "number": e.number,
                    "label": e.label,
                    "left": money(e.amount - e.invoiced, e.currency),
                }
                for e in engagements
            ],
            "requiresServiceCode": recipient.requires_service_code,
            "requiresEngagement": recipient.requires_engagement,
            "services": [
                {"code": s.code, "label": s.label, "requiresEngagement": s.requires_engagement}
                for s in recipient.services.filter(is_active=True).order_by("label")
            ],
        }
    )
