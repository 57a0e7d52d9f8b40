"""Engagements juridiques through the API (procurement.md §3): a public structure's technical
account searches and reads its own; a supplier's, those addressed to its structures."""

from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.engagements.models import Engagement, EngagementState, supplier_names
from chorale.engagements.services import engagements_visible
from chorale.routing.engagements import with_invoiced
from chorale.structures.models import Structure

from ..rest import OK_TRANSVERSES, page_of
from ..serializers import engagements as s
from . import chorus

TAG = "Engagements juridiques"
SORTS = {"DateCreationEJ": "created_at", "DateNotificationEJ": "notified_on", "Numero": "number"}


def _row(engagement: Engagement, suppliers: dict[str, int]) -> dict:
    service = engagement.service
    return {
        "idEngagementJuridique": engagement.pk,
        "numeroEngagementJuridique": engagement.number,
        "libelleTypeEngagementJuridique": engagement.get_kind_display(),
        "typeEngagementJuridique": engagement.kind,
        "structureReceptrice": suppliers.get(engagement.supplier_identifier),
        "identifiantStructureReceptrice": engagement.supplier_identifier,
        "libelleStructureReceptrice": engagement.supplier_name,
        "idStructureEmettrice": engagement.structure_id,
        "identifiantStructureEmettrice": engagement.structure.identifier,
        "libelleStructureEmettrice": engagement.structure.company_name,
        "codeServiceExecutant": service.code if service else None,
        "libelleServiceExecutant": service.label if service else None,
        "numeroMarche": engagement.market_number,
        "dateNotificationEJ": engagement.notified_on,
        "etatCourantEJ": engagement.state,
        "libelleEtatCourantEJ": engagement.get_state_display(),
        "montantTotalTtc": engagement.amount,
        "montantFacture": engagement.invoiced,
        "deviseEngagement": engagement.currency,
        "taillePJ": 0,
    }


def _suppliers(engagements: list[Engagement]) -> dict[str, int]:
    """The platform's structures the engagements name (structureReceptrice), by identifier."""
    identifiers = {e.supplier_identifier for e in engagements}
    return dict(
        Structure.objects.filter(identifier__in=identifiers).values_list("identifier", "pk")
    )


@chorus(
    tag=TAG,
    operation="rechercherEngagementJuridique",
    request=s.RechercherEJIn,
    response=s.RechercherEJOut,
    libelle=OK_TRANSVERSES,
)
def rechercher(request, data):
    """Les engagements juridiques visibles du compte technique : ceux de ses structures
    publiques, et ceux passés avec ses structures (structureReceptriceEngagementJuridique :
    l'idStructureCPP du fournisseur)."""
    found = with_invoiced(engagements_visible(request.user))
    receiver = (data.get("structureReceptriceEngagementJuridique") or "").strip()
    if receiver:
        by_id = receiver.isdigit() and len(receiver) < 15  # an idStructureCPP, not a SIRET
        supplier = Structure.objects.filter(pk=int(receiver)).first() if by_id else None
        named = supplier.identifier if supplier else receiver
        found = found.filter(supplier_identifier__in=supplier_names(named))
    number = data.get("numeroEngagementJuridique") or data.get("codeEngagementJuridique")
    if number:
        found = found.filter(number=number.strip())
    state = (data.get("etatCourantEngagementJuridique") or "").strip().upper()
    if state:
        if state not in EngagementState.values:
            raise BusinessError(
                gettext("État d'engagement inconnu : %(state)s (%(states)s).")
                % {"state": state, "states": ", ".join(EngagementState.values)},
                "engagement_state_unknown",
            )
        found = found.filter(state=state)
    filters = {
        "structure_id": data.get("idStructureEmettrice"),
        "market_number": data.get("numeroMarcheEngagementJuridique"),
        "notified_on__gte": data.get("periodeDateNotificationEJDu"),
        "notified_on__lte": data.get("periodeDateNotificationEJAu"),
        "amount__gte": data.get("montantTTCMin"),
        "amount__lte": data.get("montantTTCMax"),
    }
    found = found.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    paging = data.get("parametresRecherche") or {}
    column = SORTS.get(paging.get("triColonne") or "", "created_at")
    descending = (paging.get("triSens") or "").lower().startswith("desc")
    found = found.order_by(f"-{column}" if descending else column, "pk")
    items, returned = page_of(found, paging)
    suppliers = _suppliers(items)
    return {
        "listeEngagementJuridique": [_row(e, suppliers) for e in items],
        "parametresRetour": returned,
    }


def _party(structure: Structure | None, identifier: str, name: str) -> dict:
    party = {
        "idStructure": structure.pk if structure else None,
        "identifiant": identifier,
        "typeIdentifiant": structure.identifier_type if structure else "SIRET",
        "designation": structure.company_name if structure else name,
    }
    if structure is not None:
        party.update(
            adresse=structure.address,
            codePostal=structure.postal_code,
            ville=structure.city,
            codePays=str(structure.country),
        )
    return party


@chorus(
    tag=TAG,
    operation="consulterEngagementJuridique",
    request=s.ConsulterEJIn,
    response=s.ConsulterEJOut,
    libelle=OK_TRANSVERSES,
)
def consulter(request, data):
    """Le détail d'un engagement : émetteur, récepteur, postes et demandes de paiement qui le
    citent (par idEngagementJuridique, ou numeroEngagementJuridique et au besoin
    idStructureEmettrice)."""
    found = with_invoiced(engagements_visible(request.user))
    if data.get("idEngagementJuridique"):
        found = found.filter(pk=data["idEngagementJuridique"])
    elif data.get("numeroEngagementJuridique"):
        found = found.filter(number=data["numeroEngagementJuridique"].strip())
        if data.get("idStructureEmettrice"):
            found = found.filter(structure_id=data["idStructureEmettrice"])
    else:
        found = found.none()
    engagement = found.first() if found.count() == 1 else None
    if engagement is None:
        raise BusinessError(
            gettext("Engagement juridique introuvable pour ce compte technique."), "not_found"
        )
    supplier = Structure.objects.filter(identifier=engagement.supplier_identifier).first()
    emitter = _party(engagement.structure, engagement.structure.identifier, "")
    service = engagement.service
    emitter.update(
        codeServiceExecutant=service.code if service else None,
        libelleServiceExecutant=service.label if service else None,
    )
    invoices = engagement.invoices.order_by("created_at")
    own = engagements_visible(request.user).filter(
        pk=engagement.pk, structure__memberships__user=request.user
    )
    if not own.exists():  # a supplier sees its own invoices on it, not its competitors'
        invoices = invoices.filter(supplier__memberships__user=request.user)
    return {
        "idEngagement": engagement.pk,
        "numeroEngagementJuridique": engagement.number,
        "typeEngagement": engagement.kind,
        "objet": engagement.label,
        "numeroMarche": engagement.market_number,
        "etatCourantEngagement": engagement.state,
        "dateNotification": engagement.notified_on,
        "dateFin": engagement.ends_on,
        "montantTotalTtc": engagement.amount,
        "montantFacture": engagement.invoiced,
        "montantRestant": engagement.amount - engagement.invoiced,
        "devise": engagement.currency,
        "emetteur": emitter,
        "recepteur": _party(supplier, engagement.supplier_identifier, engagement.supplier_name),
        "lignePoste": [
            {
                "numeroDePoste": line.position,
                "libellePoste": line.label,
                "montantTtcPoste": line.amount,
                "statutPoste": engagement.state,
            }
            for line in engagement.lines.all()
        ],
        "demandePaiement": [
            {
                "idDemandePaiement": invoice.pk,
                "numeroDemandePaiement": invoice.number,
                "typeDemandePaiement": "FACTURE",
                "sousType": invoice.frame,
                "dateFournisseur": invoice.issue_date,
                "montantTtcDemandePaiement": invoice.total_with_vat,
                "etatCourantDemandePaiement": invoice.status,
            }
            for invoice in invoices.distinct()[:1000]
        ],
    }
