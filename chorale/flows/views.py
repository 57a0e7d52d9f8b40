"""« Déposer une facture » and « Suivi des flux »: a file or a batch gets its flow number at once;
the compte rendu lists every invoice's result and error on the page and as a PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from chorale.core.errors import BusinessError
from chorale.core.paging import page_size
from chorale.structures.models import Space
from chorale.structures.selectors import structures_with_space

from .forms import DepositForm
from .models import Channel
from .selectors import flow_for_user, flows_for_user
from .services import flow_deposit, flow_report, flow_report_pdf


@login_required
def deposit(request):
    structures = structures_with_space(request.user, Space.INVOICES_SENT).order_by("company_name")
    if not structures:
        return render(request, "chorale/no_space.html", {"title": "Factures émises"}, status=403)
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
                f"Dépôt enregistré sous le numéro de flux {flow.number} ; "
                "son compte rendu s'affiche ici dès le traitement terminé.",
            )
            return redirect("flows:flow", number=flow.number)
    return render(request, "flows/deposit.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def flow_list(request):
    flows = flows_for_user(request.user)
    page = Paginator(flows, page_size(request)).get_page(request.GET.get("page"))
    return render(request, "flows/flow_list.html", {"page": page})


@login_required
def flow_detail(request, number: str):
    flow = flow_for_user(request.user, number)
    return render(
        request,
        "flows/flow_detail.html",
        {"flow": flow, "report": flow_report(flow), "items": flow.items.select_related("invoice")},
    )


@login_required
def flow_report_download(request, number: str):
    flow = flow_for_user(request.user, number)
    response = HttpResponse(flow_report_pdf(flow), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="compte-rendu-{flow.number}.pdf"'
    return response
