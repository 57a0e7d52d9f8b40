"""Factures à valider (cadres A9, A12) through the API: the validator searches, reads and
decides; the supplier corrects a wrong validator (procurement.md §1.4)."""

from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle import selectors
from chorale.lifecycle.policies import awaited_validator
from chorale.lifecycle.statuses import VALIDATION
from chorale.lifecycle.validation import (
    REFUSAL_REASONS,
    invoice_validate,
    invoice_validator_correct,
)
from chorale.structures.models import Structure

from .. import present
from ..references import REFUSAL_REASONS as REASON_IDS
from ..rest import page_of
from ..serializers import factures as f
from ..serializers import validation as s
from . import chorus
from .invoices import TAG, _detail

# The statuses in which a validator fetches invoices (recuperer/statutsFactureVisibles/valideur).
VISIBLE = [status for statuses in VALIDATION.values() for status in statuses]


def _row(invoice: InvoiceRecord, validators: dict[int, Structure]) -> dict:
    awaited = validators.get(invoice.pk)
    return {
        "idFacture": invoice.pk,
        "numeroFacture": invoice.number,
        "statut": invoice.status,
        "dateDepot": invoice.created_at.date(),
        "dateFacture": invoice.issue_date,
        "typeDemandePaiement": "FACTURE",
        "cadreFacturation": invoice.frame,
        "devise": invoice.currency,
        "montantHT": invoice.total_without_vat,
        "montantTTC": invoice.total_with_vat,
        "montantAPayer": invoice.amount_due,
        "idFournisseur": invoice.supplier_id,
        "identifiantFournisseur": invoice.supplier_identifier,
        "designationFournisseur": invoice.supplier_name,
        "idDestinataire": invoice.recipient_id,
        "identifiantDestinataire": invoice.recipient_identifier,
        "designationDestinataire": invoice.recipient_name,
        "idValideur": awaited.pk if awaited else None,
        "identifiantValideur": awaited.identifier if awaited else None,
        "typeIdentifiantValideur": "SIRET",
        "designationValideur": awaited.company_name if awaited else None,
    }


@chorus(
    tag=TAG,
    operation="rechercherFactureParValideur",
    request=s.RechercherValideurIn,
    response=s.RechercherValideurOut,
)
def rechercher_valideur(request, data):
    """Les factures à valider des structures du compte technique (cadres A9 et A12)."""
    invoices = selectors.invoices_to_validate(request.user)
    if data.get("numeroFacture"):
        invoices = invoices.filter(number=data["numeroFacture"])
    if data.get("statutCourant"):
        invoices = invoices.filter(status__in=data["statutCourant"])
    if data.get("cadreFacturation"):
        invoices = invoices.filter(frame=data["cadreFacturation"].split("_")[0].upper())
    if data.get("idFournisseur"):
        invoices = invoices.filter(supplier_id=data["idFournisseur"])
    if data.get("idStructureValideur"):
        invoices = invoices.filter(validations__structure_id=data["idStructureValideur"])
    items, returned = page_of(invoices.defer("structured_data"), data.get("pagination"))
    awaited = {i.pk: awaited_validator(i) for i in items}
    structures = Structure.objects.in_bulk([pk for pk in awaited.values() if pk])
    validators = {pk: structures[s_pk] for pk, s_pk in awaited.items() if s_pk}
    return {"listeFactures": [_row(i, validators) for i in items], "parametresRetour": returned}


def _to_validate(request, invoice_id) -> InvoiceRecord:
    invoice = selectors.invoices_to_validate(request.user).filter(pk=invoice_id).first()
    if invoice is None:
        raise BusinessError(gettext("Facture introuvable pour ce compte technique."), "not_found")
    return invoice


@chorus(
    tag=TAG,
    operation="consulterFactureParValideur",
    request=f.ConsulterIn,
    response=f.ConsulterOut,
)
def consulter_valideur(request, data):
    """Le détail d'une facture à valider, avec ses valideurs et leurs décisions."""
    invoice = _to_validate(request, data["identifiantFactureCPP"])
    detail = _detail(invoice)
    frame = detail["facture"].setdefault("cadreDeFacturation", {})
    frame["codeCadreFacturation"] = invoice.frame
    for validation in invoice.validations.select_related("structure"):
        n = validation.rank
        frame[f"idValideur{n}"] = validation.structure_id
        frame[f"codeValideur{n}"] = validation.structure.identifier
        frame[f"typeIdentifiantValideur{n}"] = "SIRET"
        frame[f"raisonSocialeValideur{n}"] = validation.structure.company_name
        frame[f"dateValidation{n}"] = (
            present.day(validation.decided_at) if validation.decided_at else None
        )
    return detail


def _reason(value: str) -> tuple[str, str]:
    """motifRefus as (code, text): a code (MAUVAIS_VALIDEUR) or an idMotif (117) of the list,
    or a reason in words (code AUTRE)."""
    value = (value or "").strip()
    if value.upper() in REFUSAL_REASONS:
        return value.upper(), ""
    if value.isdigit() and int(value) in REASON_IDS:
        return REASON_IDS[int(value)][0], ""
    return ("AUTRE", value) if value else ("", "")


@chorus(
    tag=TAG,
    operation="traiterFactureAValider",
    request=s.TraiterAValiderIn,
    response=s.TraiterAValiderOut,
)
def traiter_a_valider(request, data):
    """Le valideur valide (VALIDATION) ou refuse (REFUS, avec motifRefus) une facture."""
    code, reason = _reason(data.get("motifRefus") or "")
    invoice = invoice_validate(
        user=request.user,
        invoice_id=data["idFacture"],
        action=(data.get("action") or "").strip().upper(),
        reason_code=code,
        reason=reason,
        comment=data.get("complementInfo") or "",
    )
    return {
        "idFacture": invoice.pk,
        "numeroFacture": invoice.number,
        "dateTraitement": present.day(invoice.status_changed_at),
        "statutFacture": invoice.status,
    }


@chorus(
    tag=TAG,
    operation="corrigerValideurFacture",
    request=s.CorrigerValideurIn,
    response=s.CorrigerValideurOut,
)
def corriger_valideur(request, data):
    """Le fournisseur nomme un autre valideur après un refus « mauvais valideur »."""
    siret = data.get("identifiantStructure") or ""
    if not siret and data.get("idStructure"):
        found = Structure.objects.filter(pk=data["idStructure"]).first()
        siret = found.identifier if found else ""
    invoice = invoice_validator_correct(
        user=request.user, invoice_id=data["idFacture"], siret=siret
    )
    return {"idFacture": invoice.pk}


@chorus(
    tag=TAG,
    operation="recupererStatutsFactureVisiblesValideur",
    request=s.StatutsVisiblesIn,
    response=s.StatutsVisiblesOut,
)
def statuts_visibles_valideur(request, data):
    """Les statuts dans lesquels un valideur retrouve ses factures."""
    return {"listeStatutFacture": [{"codeStatutFacture": code} for code in VISIBLE]}
