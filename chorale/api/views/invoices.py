"""Factures: searches and consultation (supplier and recipient sides), history, processing of
received invoices, group download."""

import base64

from django.conf import settings
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.invoicing.files import invoices_zip
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle import selectors
from chorale.lifecycle.models import InvoiceEvent
from chorale.lifecycle.selectors import InvoiceFilters
from chorale.lifecycle.services import invoice_process, invoices_mark_downloaded
from chorale.lifecycle.statuses import RECIPIENT, next_statuses

from .. import present
from ..errors import ApiError
from ..rest import NO_RESULT, page_of
from ..serializers import factures as s
from ..serializers.transverses import EtatsTraitementIn, EtatsTraitementOut
from . import chorus

TAG = "Factures"
_SORTS = {
    "NumeroFacture": "number",
    "DateFacture": "issue_date",
    "DateDepot": "created_at",
    "MontantTTC": "total_with_vat",
    "MontantHT": "total_without_vat",
    "Statut": "status",
    "CodeService": "service_code",
    "FactureTelechargeeParDestinataire": "recipient_downloaded_at",
}


def _with_last_reason(items: list) -> list:
    """commentaireEtatCourant: each invoice's latest reason, read for the page alone (one query
    on the invoice index; events are append-only, so the highest id is the latest)."""
    latest: dict[int, str] = {}
    events = InvoiceEvent.objects.filter(invoice_id__in=[i.pk for i in items])
    for invoice_id, reason in events.order_by("invoice_id", "id").values_list(
        "invoice_id", "reason"
    ):
        latest[invoice_id] = reason
    for item in items:
        item.last_reason = latest.get(item.pk, "")
    return items


def _sorted(invoices, paging: dict | None):
    paging = paging or {}
    field = _SORTS.get(paging.get("triColonne") or "", "created_at")
    descending = (paging.get("triSens") or "Descendant").lower().startswith("desc")
    return invoices.order_by(f"{'-' if descending else ''}{field}", "-id")


# typeDemandePaiement: works pieces (FACTURE_TRAVAUX) or the others (FACTURE).
PAYMENT_REQUEST_TYPES = {"FACTURE": False, "FACTURE_TRAVAUX": True}


def _filters(data: dict, **specific) -> InvoiceFilters:
    """The criteria both searches share, in the lifecycle's one InvoiceFilters."""
    return InvoiceFilters(
        deposited_from=data.get("periodeDateDepotDu"),
        deposited_to=data.get("periodeDateDepotAu"),
        date_from=data.get("periodeDateFactureDu"),
        date_to=data.get("periodeDateFactureAu"),
        status_changed_from=data.get("periodeDateHeureEtatCourantDu"),
        status_changed_to=data.get("periodeDateHeureEtatCourantAu"),
        without_vat_min=data.get("montantHTMin"),
        without_vat_max=data.get("montantHTMax"),
        amount_min=data.get("montantTTCMin"),
        amount_max=data.get("montantTTCMax"),
        due_min=data.get("montantApayerMin"),
        due_max=data.get("montantApayerMax"),
        number_exact=data.get("numeroFacture") or "",
        engagement=data.get("numeroBonCommande") or "",
        works=PAYMENT_REQUEST_TYPES.get((data.get("typeDemandePaiement") or "").upper()),
        sort="",
        **specific,
    )


@chorus(
    tag=TAG,
    operation="rechercherFactureParFournisseur",
    request=s.RechercherFournisseurIn,
    response=s.RechercherFournisseurOut,
)
def rechercher_fournisseur(request, data):
    """Les factures émises par les structures du compte technique (filtres et pages)."""
    destinations = data.get("listeDestinataire", [])
    filters = _filters(
        data,
        flow_number=data.get("numeroFluxDepot") or "",
        type_codes=tuple(
            present.TYPE_CODES[t] for t in [data.get("typeFacture")] if t in present.TYPE_CODES
        ),
        supplier_ids=tuple(filter(None, [data.get("idFournisseur")])),
        statuses=tuple(data.get("statutCourant") or ()),
        recipient_ids=tuple(d["idDestinataire"] for d in destinations if d.get("idDestinataire")),
        service_ids=tuple(i for d in destinations for i in d.get("listeIdServiceExecutant", [])),
        rejection_acknowledged=data.get("rejetTraite"),
    )
    invoices = selectors.invoices_sent(request.user, filters).select_related(
        "supplier", "deposited_by", "flow_item__flow"
    )
    paging = data.get("rechercheFactureParFournisseur")
    invoices = _sorted(invoices, paging).defer("structured_data")
    items, returned = page_of(invoices, paging)
    return {
        "listeFactures": [present.invoice_sent_row(i) for i in _with_last_reason(items)],
        "parametresRetour": returned,
    }


@chorus(
    tag=TAG,
    operation="rechercherFactureParRecipiendaire",
    request=s.RechercherRecipiendaireIn,
    response=s.RechercherRecipiendaireOut,
)
def rechercher_recipiendaire(request, data):
    """Les factures reçues par les structures du compte technique (« pas encore téléchargées »
    avec factureTelechargeeParDestinataire: false)."""
    filters = _filters(
        data,
        recipient_ids=tuple(filter(None, [data.get("idDestinataire")])),
        service_id=data.get("idServiceExecutant") or None,
        supplier_ids=tuple(
            f["idFournisseur"] for f in data.get("listeFournisseurs", []) if f.get("idFournisseur")
        ),
        status=data.get("statutCourant") or "",
        type_codes=tuple(
            present.TYPE_CODES[t]
            for t in data.get("listeTypeFacture", [])
            if t in present.TYPE_CODES
        ),
        downloaded=data.get("factureTelechargeeParDestinataire"),
    )
    invoices = selectors.invoices_received(request.user, filters).select_related("supplier")
    paging = data.get("paramRecherche")
    invoices = _sorted(invoices, paging).defer("structured_data")
    items, returned = page_of(invoices, paging)
    if not items:
        code, libelle = NO_RESULT
        return s.RechercherRecipiendaireOut(
            instance={"codeRetour": code, "libelle": libelle, "listeFactures": [], **returned}
        ).data
    rows = [present.invoice_received_row(i) for i in _with_last_reason(items)]
    return {"listeFactures": rows, **returned}


def _detail(invoice):
    return {"facture": present.invoice_detail(invoice)}


def _not_found(error):
    raise BusinessError(
        gettext("Facture introuvable pour ce compte technique."), "not_found"
    ) from error


def _one(listing, request, invoice_id):
    """The invoice of that id among those the technical user sees on one side."""
    try:
        return (
            listing(request.user).select_related("supplier", "flow_item__flow").get(pk=invoice_id)
        )
    except InvoiceRecord.DoesNotExist as error:
        _not_found(error)


@chorus(
    tag=TAG,
    operation="consulterFactureParFournisseur",
    request=s.ConsulterIn,
    response=s.ConsulterOut,
)
def consulter_fournisseur(request, data):
    """Le détail d'une facture émise: parties, références, montants, lignes, TVA, pièces jointes."""
    return _detail(_one(selectors.invoices_sent, request, data["identifiantFactureCPP"]))


@chorus(
    tag=TAG,
    operation="consulterFactureParRecipiendaire",
    request=s.ConsulterIn,
    response=s.ConsulterOut,
)
def consulter_recipiendaire(request, data):
    """Le détail d'une facture reçue (la consulter ne la marque pas téléchargée)."""
    return _detail(_one(selectors.invoices_received, request, data["identifiantFactureCPP"]))


def visible_invoice(request, invoice_id):
    """An invoice the technical user sees from either side."""
    invoice = (
        selectors.invoices_sent(request.user).filter(pk=invoice_id).first()
        or selectors.invoices_received(request.user).filter(pk=invoice_id).first()
    )
    if invoice is None:
        _not_found(None)
    return invoice


@chorus(
    tag=TAG,
    operation="consulterHistoriqueFacture",
    request=s.HistoriqueIn,
    response=s.HistoriqueOut,
)
def consulter_historique(request, data):
    """L'historique des statuts d'une facture (le plus récent d'abord), avec le code de la
    réforme."""
    invoice = visible_invoice(request, data["idFacture"])
    events = list(selectors.invoice_timeline(invoice).order_by("-created_at", "-id"))
    limit = data.get("nbResultatsMaximum") or len(events) or 1
    shown = events[:limit]
    return {
        "idFacture": invoice.pk,
        "numeroFacture": invoice.number,
        "modeDepot": present.deposit_mode(invoice),
        "statutCourantCode": invoice.status,
        "historiquesDesStatuts": {
            "histoStatut": [
                {
                    "histoStatutId": e.pk,
                    "histoStatutCode": e.to_status,
                    "histoStatutDatePassage": present.minute(e.created_at),
                    "histoStatutCommentaire": e.reason or None,
                    "histoStatutCodeReforme": e.reform_code,
                    "histoStatutUtilisateurNom": e.actor.last_name if e.actor else None,
                    "histoStatutUtilisateurPrenom": e.actor.first_name if e.actor else None,
                    "histoStatutUtilisateurEmail": None,
                }
                for e in shown
            ],
            "nbResultatsParPage": limit,
            "pageCourante": 1,
            "pages": 1 if len(events) <= limit else -(-len(events) // limit),
            "total": len(events),
        },
        "historiquesDesActionsUtilisateurs": {"histoAction": []},
        "historiquesDesEvenementsComplementaires": {"evenement": []},
    }


@chorus(
    tag=TAG,
    operation="traiterFactureRecue",
    request=s.TraiterRecueIn,
    response=s.TraiterRecueOut,
)
def traiter_recue(request, data):
    """Le destinataire fait avancer une facture reçue (motif obligatoire pour REJETEE, SUSPENDUE
    et A_RECYCLER; numeroDPMandat pour MANDATEE)."""
    invoice = invoice_process(
        user=request.user,
        invoice_id=data["idFacture"],
        to_status=data["nouveauStatut"].strip().upper(),
        reason=data.get("motif") or "",
        payment_order_number=data.get("numeroDPMandat") or "",
    )
    return {
        "idFacture": invoice.pk,
        "numeroFacture": invoice.number,
        "dateTraitement": present.day(invoice.status_changed_at),
        "nouveauStatut": invoice.status,
    }


@chorus(
    tag="Transverses",
    operation="recupererEtatsTraitement",
    request=EtatsTraitementIn,
    response=EtatsTraitementOut,
    libelle="TRA_MSG_00.000",
)
def etats_traitement(request, data):
    """Les statuts qu'un destinataire peut donner à une facture depuis un statut donné (pour une
    facture précise avec idFacture: selon ses paramètres, sans Mise en paiement si elle n'est
    pas remontée)."""
    status = data["statutCourant"].strip().upper()
    hide_payment = False
    if data.get("idFacture"):
        invoice = _one(selectors.invoices_received, request, data["idFacture"])
        status = invoice.status
        hide_payment = bool(invoice.recipient and invoice.recipient.payment_status_not_reported)
    targets = [
        t
        for t in next_statuses(status, RECIPIENT)
        if not (hide_payment and t == "MISE_EN_PAIEMENT")
    ]
    return {
        "listeStatutsPossiblesPourTraitement": [
            {"statutPossiblePourTraitement": t} for t in targets
        ]
    }


@chorus(
    tag=TAG,
    operation="telechargerGroupeFacture",
    request=s.TelechargerGroupeIn,
    response=s.TelechargerGroupeOut,
)
def telecharger_groupe(request, data):
    """Un zip (base64) des factures demandées: PDF, ou PIVOT/XML (les données structurées
    déposées). Les factures reçues sont alors marquées téléchargées; 413 au-delà de 120 Mo."""
    ids = [item["idFacture"] for item in data["listeFacture"]]
    fmt = "pdf" if (data.get("format") or "PDF") == "PDF" else "xml"
    received = list(selectors.invoices_received(request.user).filter(pk__in=ids))
    sent = list(selectors.invoices_sent(request.user).filter(pk__in=ids))
    found = {i.pk: i for i in [*sent, *received]}
    missing = [i for i in ids if i not in found]
    if missing:
        raise BusinessError(
            gettext("Factures introuvables pour ce compte technique : %(join)s.")
            % {
                "join": ", ".join(map(str, missing)),
            },
            "not_found",
        )
    if fmt == "pdf" and len(found) > settings.CHORALE_API_MAX_PDF_GROUP:
        raise ApiError(
            413,
            "GROUPE_TROP_VOLUMINEUX",
            gettext(
                "Au plus %(CHORALE_API_MAX_PDF_GROUP)s factures en PDF par "
                "appel (format PIVOT pour davantage)."
            )
            % {
                "CHORALE_API_MAX_PDF_GROUP": settings.CHORALE_API_MAX_PDF_GROUP,
            },
        )
    content = invoices_zip(found.values(), fmt)
    if len(content) > 120 * 1024 * 1024:
        raise ApiError(413, "GROUPE_TROP_VOLUMINEUX", gettext("Le résultat dépasse 120 Mo."))
    invoices_mark_downloaded([i.pk for i in received])
    return {
        "fichierResultat": base64.b64encode(content).decode("ascii"),
        "nomFichier": f"factures-{fmt}.zip",
    }
