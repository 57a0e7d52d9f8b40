"""Factures de travaux through the API (procurement.md §2.5): a company's, a maître d'œuvre's
or a maître d'ouvrage's technical account searches and reads the pieces of its role, the MOE
and MOA decide or ask the company to complete or recycle a piece, the company answers them and
the décompte général."""

from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle import selectors
from chorale.lifecycle.policies import WORKS_WAITING, invoice_abilities
from chorale.lifecycle.statuses import MOA, MOE, Status
from chorale.lifecycle.works import (
    works_ask,
    works_complete,
    works_decide,
    works_sign,
    works_tacit_start,
)
from chorale.routing.services import works_recycle

from .. import present
from ..references import WORKS_TYPES
from ..rest import page_of
from ..serializers import works as s
from . import chorus

TAG = "Factures de travaux"
ROLES = {"FOURNISSEUR": "fournisseur", "MOE": "moe", "MOA": "moa"}
# What awaits each role (uniquementATraiter, rechercher/aTraiter): the company signs the
# décompte général; the MOE and MOA decide.
AWAITING = {
    "FOURNISSEUR": (Status.TO_SUPPLIER, Status.TO_COMPLETE_WORKS, Status.TO_RECYCLE_WORKS),
    "MOE": WORKS_WAITING[MOE],
    "MOA": WORKS_WAITING[MOA],
}
ACTIONS = {
    "works_decide": "TRAITER",
    "works_sign": "SIGNER",
    "works_tacit": "PROCEDURE_TACITE",
    "works_complete": "COMPLETER",
    "works_recycle": "RECYCLER",
}
TYPES = {frame: code for code, (_, frames) in WORKS_TYPES.items() for frame in frames}


def _status(invoice: InvoiceRecord) -> dict:
    """What an action answers: the piece and its status now."""
    return {"idFactureTravaux": invoice.pk, "statutFactureTravaux": invoice.status}


def _admitted(invoice: InvoiceRecord):
    last = invoice.works_steps.exclude(amount=None).order_by("-pk").first()
    return last.amount if last else None


def _row(invoice: InvoiceRecord) -> dict:
    contract = invoice.works_contract
    return {
        "idFactureTravaux": invoice.pk,
        "numeroFactureTravaux": invoice.number,
        "statutFactureTravaux": invoice.status,
        "typeFactureTravaux": TYPES.get(invoice.frame, ""),
        "cadreFacturation": invoice.frame,
        "dateFactureTravaux": invoice.issue_date,
        "dateDepot": present.day(invoice.created_at),
        "dateHeureEtatCourant": present.moment(invoice.status_changed_at),
        "numeroMarche": contract.number,
        "idFournisseur": invoice.supplier_id,
        "identifiantFournisseur": invoice.supplier_identifier,
        "designationFournisseur": invoice.supplier_name,
        "idMoe": contract.moe_id,
        "designationMoe": contract.moe.company_name,
        "idMoa": contract.moa_id,
        "designationMoa": contract.moa.company_name,
        "idDestinataire": invoice.recipient_id,
        "designationDestinataire": invoice.recipient_name,
        "montantHT": invoice.total_without_vat,
        "montantTTC": invoice.total_with_vat,
        "montantAdmis": _admitted(invoice),
        "devise": invoice.currency,
    }


def _deciding(value: str | None) -> str:
    """The side of a decision or a request: MOE or MOA."""
    if _role(value) == "FOURNISSEUR":
        raise BusinessError(
            gettext("Seules la maîtrise d'œuvre et la maîtrise d'ouvrage traitent une pièce."),
            "role_unknown",
        )
    return MOE if _role(value) == "MOE" else MOA


def _role(value: str | None) -> str:
    role = (value or "FOURNISSEUR").strip().upper()
    if role not in ROLES:
        raise BusinessError(
            gettext("Rôle inconnu : %(role)s (FOURNISSEUR, MOE ou MOA).") % {"role": role},
            "role_unknown",
        )
    return role


@chorus(
    tag=TAG,
    operation="rechercherFactureTravaux",
    request=s.RechercherTravauxIn,
    response=s.RechercherTravauxOut,
)
def rechercher(request, data):
    """Les pièces de travaux des structures du compte technique dans le rôle demandé
    (roleUtilisateur : FOURNISSEUR, MOE ou MOA), uniquementATraiter : celles qui attendent sa
    décision ; 20007 quand aucune ne répond aux critères."""
    role = _role(data.get("roleUtilisateur"))
    pieces = selectors.works_pieces(request.user, ROLES[role])
    if data.get("uniquementATraiter"):
        pieces = pieces.filter(status__in=AWAITING[role])
    filters = {
        "recipient_id": data.get("idDestinataire"),
        "service_id": data.get("idServiceExecutant"),
        "status_changed_at__gte": data.get("periodeDateHeureEtatCourantDu"),
        "status_changed_at__lte": data.get("periodeDateHeureEtatCourantAu"),
        "status__in": data.get("listeStatutCourant") or None,
        "number": (data.get("numeroFactureTravaux") or "").strip(),
        "works_contract__number": (data.get("numeroMarche") or "").strip(),
        "frame": (data.get("cadreFacturation") or "").split("_")[0].upper(),
    }
    pieces = pieces.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    kinds = data.get("listeTypeFactureTravaux")
    if kinds:
        frames = [f for kind in kinds if kind in WORKS_TYPES for f in WORKS_TYPES[kind][1]]
        pieces = pieces.filter(frame__in=frames)  # unknown kinds: nothing
    pieces = pieces.select_related("works_contract__moe", "works_contract__moa")
    items, returned = page_of(pieces, data.get("rechercheFactureTravaux"))
    if not items:
        raise BusinessError(
            gettext("Aucune facture de travaux ne répond aux critères."), "works_none"
        )
    return {"listeFacturesTravaux": [_row(i) for i in items], "parametresRetour": returned}


def _piece(request, pk: int) -> InvoiceRecord:
    for role in ROLES.values():
        found = selectors.works_pieces(request.user, role).filter(pk=pk).first()
        if found is not None:
            return found
    raise BusinessError(gettext("Facture de travaux introuvable pour ce compte."), "not_found")


@chorus(
    tag=TAG,
    operation="consulterFactureTravaux",
    request=s.ConsulterTravauxIn,
    response=s.ConsulterTravauxOut,
)
def consulter(request, data):
    """Une pièce de travaux, son circuit (maîtrise d'œuvre, maîtrise d'ouvrage, entreprise)
    et ce que le compte peut en faire maintenant."""
    invoice = _piece(request, data["idFactureTravaux"])
    can = invoice_abilities(request.user, invoice)
    actions = [name for name in ACTIONS if can[name]]
    return {
        "factureTravaux": _row(invoice),
        "etapes": [
            {
                "acteur": step.role.upper() if step.role != "supplier" else "FOURNISSEUR",
                "pieceEtablie": step.frame or None,
                "decision": step.decision,
                "dateDecision": present.moment(step.decided_at),
                "montantAdmis": step.amount,
                "motifRefus": step.reason_code or None,
                "commentaire": step.comment or None,
            }
            for step in invoice.works_steps.all()
        ],
        "actionsPossibles": [ACTIONS[a] for a in actions],
    }


@chorus(
    tag=TAG,
    operation="traiterFactureTravaux",
    request=s.TraiterTravauxIn,
    response=s.TraiterTravauxOut,
)
def traiter(request, data):
    """La décision de la maîtrise d'œuvre (roleUtilisateur MOE : VALIDATION établit l'état
    d'acompte ou le projet de décompte général au montantAdmis) ou de la maîtrise d'ouvrage
    (MOA : VALIDATION de l'état d'acompte, ou signature du décompte général) ; REFUS avec
    motifRefus (AUTRE, REF_FAC_TRAVAUX, MAUVAISE_MOE, MAUVAISE_MOA) ; DEMANDE_COMPLEMENT et
    DEMANDE_RECYCLAGE avec leur commentaire, comme les appels dédiés."""
    invoice = works_decide(
        user=request.user,
        invoice_id=data["idFactureTravaux"],
        role=_deciding(data["roleUtilisateur"]),
        action=(data.get("action") or "").strip().upper(),
        amount=data.get("montantAdmis"),
        reason_code=data.get("motifRefus") or "",
        comment=data.get("commentaire") or "",
    )
    return _status(invoice)


@chorus(
    tag=TAG,
    operation="signerDecompteGeneral",
    request=s.SignerDecompteIn,
    response=s.TraiterTravauxOut,
)
def signer(request, data):
    """L'entreprise signe (ACCEPTATION : le décompte général et définitif part au paiement) ou
    conteste (REFUS, avec ses motifs) le décompte général notifié par la maîtrise d'ouvrage."""
    action = (data.get("action") or "").strip().upper()
    if action not in ("ACCEPTATION", "REFUS"):
        raise BusinessError(
            gettext("Action inconnue : %(action)s (ACCEPTATION ou REFUS).") % {"action": action},
            "action_unknown",
        )
    invoice = works_sign(
        user=request.user,
        invoice_id=data["idFactureTravaux"],
        accept=action == "ACCEPTATION",
        reason=data.get("motif") or "",
    )
    return _status(invoice)


@chorus(
    tag=TAG,
    operation="engagerProcedureTacite",
    request=s.ProcedureTaciteIn,
    response=s.TraiterTravauxOut,
)
def procedure_tacite(request, data):
    """L'entreprise notifie son projet de décompte général (A22) quand la maîtrise d'ouvrage n'a
    pas notifié le décompte général 30 jours après le projet de décompte final ; sans réponse
    dans les 10 jours, il devient le décompte général et définitif (A23)."""
    invoice = works_tacit_start(
        user=request.user,
        invoice_id=data["idFactureTravaux"],
        amount=data.get("montant"),
        comment=data.get("commentaire") or "",
    )
    return _status(invoice)


def _asked(request, data, action: str):
    return works_ask(
        user=request.user,
        invoice_id=data["idFactureTravaux"],
        role=_deciding(data["roleUtilisateur"]),
        action=action,
        reason=data["commentaire"],
    )


@chorus(
    tag=TAG,
    operation="suspendreDemanderCompleterFactureTravaux",
    request=s.DemandeTravauxIn,
    response=s.TraiterTravauxOut,
)
def demander_complement(request, data):
    """La maîtrise d'œuvre ou d'ouvrage (roleUtilisateur) demande à l'entreprise de compléter
    la pièce, avec ce qui manque (commentaire) : le délai de paiement est suspendu jusqu'à sa
    réponse, puis la pièce lui revient."""
    invoice = _asked(request, data, "DEMANDE_COMPLEMENT")
    return _status(invoice)


@chorus(
    tag=TAG,
    operation="demanderRecyclagePiecePrecedente",
    request=s.DemandeTravauxIn,
    response=s.DemanderRecyclageOut,
)
def demander_recyclage(request, data):
    """La maîtrise d'œuvre ou d'ouvrage demande à l'entreprise de recycler la pièce qu'elle a
    déposée (mauvais marché, destinataire ou service) ; idPiecePrecedente : la pièce de
    l'entreprise, qui porte ici tout le dossier."""
    invoice = _asked(request, data, "DEMANDE_RECYCLAGE")
    return {**_status(invoice), "idPiecePrecedente": invoice.pk}


@chorus(
    tag=TAG,
    operation="completerFactureTravaux",
    request=s.CompleterTravauxIn,
    response=s.TraiterTravauxOut,
)
def completer(request, data):
    """L'entreprise répond à la demande de complément (commentaire) : la pièce revient à la
    maîtrise d'œuvre ou d'ouvrage qui l'a demandé, dont le délai repart."""
    invoice = works_complete(
        user=request.user, invoice_id=data["idFactureTravaux"], comment=data["commentaire"]
    )
    return _status(invoice)


@chorus(
    tag=TAG,
    operation="recyclerFactureTravaux",
    request=s.RecyclerTravauxIn,
    response=s.RecyclerTravauxOut,
)
def recycler(request, data):
    """L'entreprise corrige l'adressage d'une pièce « En attente de recyclage » : SIRET du
    destinataire, code service, numéro d'engagement et numéro de marché, vérifiés comme au
    dépôt ; la pièce part à la maîtrise d'œuvre du marché."""
    invoice = works_recycle(
        user=request.user,
        invoice_id=data["idFactureTravaux"],
        recipient_siret=data["identifiantDestinataire"],
        market_number=data["numeroMarche"],
        service_code=data.get("codeServiceExecutant") or "",
        engagement_number=data.get("numeroBonCommande") or "",
    )
    return {
        "dateDepotFactureTravaux": present.day(invoice.created_at),
        "idFactureTravaux": invoice.pk,
        "numeroFactureTravaux": invoice.number,
        "statutFactureTravaux": invoice.status,
    }
