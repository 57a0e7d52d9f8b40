"""Factures de travaux through the API (procurement.md §2.5): a company's, a maître d'œuvre's
or a maître d'ouvrage's technical account searches and reads the pieces of its role, the MOE
and MOA decide, the company answers the décompte général."""

from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle import selectors
from chorale.lifecycle.policies import WORKS_WAITING, invoice_abilities
from chorale.lifecycle.statuses import MOA, MOE, Status
from chorale.lifecycle.works import works_decide, works_sign, works_tacit_start

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
    "FOURNISSEUR": (Status.TO_SUPPLIER,),
    "MOE": WORKS_WAITING[MOE],
    "MOA": WORKS_WAITING[MOA],
}
ACTIONS = {"works_decide": "TRAITER", "works_sign": "SIGNER", "works_tacit": "PROCEDURE_TACITE"}
TYPES = {frame: code for code, (_, frames) in WORKS_TYPES.items() for frame in frames}


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
    motifRefus (AUTRE, REF_FAC_TRAVAUX, MAUVAISE_MOE, MAUVAISE_MOA)."""
    role = _role(data["roleUtilisateur"])
    if role == "FOURNISSEUR":
        raise BusinessError(
            gettext("Seules la maîtrise d'œuvre et la maîtrise d'ouvrage traitent une pièce."),
            "role_unknown",
        )
    invoice = works_decide(
        user=request.user,
        invoice_id=data["idFactureTravaux"],
        role=MOE if role == "MOE" else MOA,
        action=(data.get("action") or "").strip().upper(),
        amount=data.get("montantAdmis"),
        reason_code=data.get("motifRefus") or "",
        comment=data.get("commentaire") or "",
    )
    return {"idFactureTravaux": invoice.pk, "statutFactureTravaux": invoice.status}


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
    return {"idFactureTravaux": invoice.pk, "statutFactureTravaux": invoice.status}


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
    return {"idFactureTravaux": invoice.pk, "statutFactureTravaux": invoice.status}
