"""Chorale's objects in the words and formats of the Chorus Pro API (chorus-api.md §1.5)."""

import datetime

from django.utils import timezone

from chorale.flows.models import DEFAULT_MODES, Channel, DepositMode
from chorale.invoicing.models import InvoiceRecord

# BT-3 codes and typeFacture.
INVOICE_TYPES = {"380": "FACTURE", "381": "AVOIR", "386": "ACOMPTE"}
TYPE_CODES = {name: code for code, name in INVOICE_TYPES.items()}


def moment(value: datetime.datetime | None) -> str | None:
    """ISO 8601 with milliseconds and offset (dateHeureEtatCourant)."""
    return timezone.localtime(value).isoformat(timespec="milliseconds") if value else None


def minute(value: datetime.datetime | None) -> str | None:
    """« YYYY-MM-DD HH:MM » (histoStatutDatePassage)."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None


def day(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value).date() if value else None


def invoice_type(invoice: InvoiceRecord) -> str:
    return INVOICE_TYPES.get(invoice.type_code, "FACTURE")


def _flow(invoice: InvoiceRecord):
    item = getattr(invoice, "flow_item", None)
    return item.flow if item else None


def deposit_mode(invoice: InvoiceRecord) -> str:
    """Chorus Pro's `modeDepot`: as the flow recorded it (SAISIE_API for `soumettre`…)."""
    flow = _flow(invoice)
    if flow is None:
        return DepositMode.PORTAL
    return flow.mode or DEFAULT_MODES[Channel(flow.channel)]


def _common(invoice: InvoiceRecord) -> dict:
    service = invoice.service
    return {
        "numeroFacture": invoice.number,
        "typeDemandePaiement": "FACTURE_TRAVAUX" if invoice.works_contract_id else "FACTURE",
        "typeFacture": invoice_type(invoice),
        "statut": invoice.status,
        "dateFacture": invoice.issue_date,
        "dateDepot": day(invoice.created_at),
        "dateHeureEtatCourant": moment(invoice.status_changed_at),
        "commentaireEtatCourant": getattr(invoice, "last_reason", None) or None,
        "codeFournisseur": invoice.supplier_identifier,
        "typeIdentifiantFournisseur": invoice.supplier.identifier_type,
        "designationFournisseur": invoice.supplier_name,
        "idDestinataire": invoice.recipient_id,
        "codeDestinataire": invoice.recipient_identifier,
        "designationDestinataire": invoice.recipient_name,
        "idServiceExecutant": invoice.service_id,
        "codeServiceExecutant": service.code if service else invoice.service_code or None,
        "nomServiceExecutant": service.label if service else None,
        "montantHT": invoice.total_without_vat,
        "montantTTC": invoice.total_with_vat,
        "montantAPayer": invoice.amount_due,
        "devise": invoice.currency,
        "numeroBonCommande": invoice.engagement_number or None,
    }


def invoice_sent_row(invoice: InvoiceRecord) -> dict:
    flow = _flow(invoice)
    creator = invoice.deposited_by
    return {
        **_common(invoice),
        "identifiantFactureCPP": invoice.pk,
        "numeroFluxDepot": flow.number if flow else None,
        "modeDepot": deposit_mode(invoice),
        "nomPrenomUtilisateurCreateur": f"{creator.last_name} {creator.first_name}".strip()
        if creator
        else None,
        "taille": flow.size if flow else None,
        "rejetTraite": invoice.rejection_acknowledged_at is not None,
        "numeroFactureOrigine": None,
    }


def invoice_received_row(invoice: InvoiceRecord) -> dict:
    return {
        **_common(invoice),
        "idFacture": invoice.pk,
        "idFournisseur": invoice.supplier_id,
        "factureTelechargeeParDestinataire": invoice.recipient_downloaded_at is not None,
    }


def _address(address) -> dict:
    address = address or None
    return {
        "adresse": address.line1 if address else None,
        "complementAdresse1": address.line2 if address else None,
        "codePostal": address.postal_code if address else None,
        "ville": address.city if address else None,
        "pays": address.country if address else None,
    }


def invoice_detail(invoice: InvoiceRecord) -> dict:
    """consulter/fournisseur|recipiendaire: the record and its structured data, read again."""
    from chorale.invoicing.formats import read_invoice

    model = read_invoice(bytes(invoice.structured_data))[1]
    service = invoice.service
    transfers = model.payment.credit_transfers if model.payment else []
    return {
        "identifiantFactureCPP": invoice.pk,
        "numeroFacture": invoice.number,
        "statutFacture": invoice.status,
        "modeDepot": deposit_mode(invoice),
        "commentaire": "\n".join(note.text for note in model.notes) or None,
        "numeroFluxDepot": flow.number if (flow := _flow(invoice)) else None,
        "cadreDeFacturation": {"codeCadreFacturation": model.process_id or "A1"},
        "destinataire": {
            "idDestinataire": invoice.recipient_id,
            "codeDestinataire": invoice.recipient_identifier,
            "libelleDestinataire": invoice.recipient_name,
            "idServiceExecutant": invoice.service_id,
            "codeServiceExecutant": service.code if service else invoice.service_code or None,
            "libelleServiceExecutant": service.label if service else None,
            **{f"{k}Destinataire": v for k, v in _address(model.buyer.address).items()},
        },
        "fournisseur": {
            "idFournisseur": invoice.supplier_id,
            "codeFournisseur": invoice.supplier_identifier,
            "typeIdentifiantFournisseur": invoice.supplier.identifier_type,
            "designationFournisseur": invoice.supplier_name,
            "numeroTvaFournisseur": model.seller.vat_id or None,
            "coordBancairesFournisseurIban": transfers[0].account_id if transfers else None,
            "coordBancairesFournisseurBic": transfers[0].provider_id if transfers else None,
            **{f"{k}Fournisseur": v for k, v in _address(model.seller.address).items()},
        },
        "references": {
            "typeFacture": invoice_type(invoice),
            "codeDeviseFacture": invoice.currency,
            "dateFacture": invoice.issue_date,
            "dateDepot": day(invoice.created_at),
            "dateEcheancePaiement": model.due_date,
            "numeroBonCommande": invoice.engagement_number or None,
            "numeroMarche": model.contract_reference or None,
            "numeroFactureOrigine": model.preceding_invoices[0].number
            if model.preceding_invoices
            else None,
            "conditionsPaiement": model.payment_terms or None,
        },
        "montantTotal": {
            "montantHtTotal": model.totals.tax_exclusive,
            "montantTVA": model.totals.vat_total,
            "montantTtcTotal": model.totals.tax_inclusive,
            "montantDejaPaye": model.totals.prepaid,
            "montantAPayer": model.totals.payable,
        },
        "lignesDePoste": {
            "lignePoste": [
                {
                    "lignePosteNumero": number,
                    "lignePosteReference": line.seller_item_id or None,
                    "lignePosteDenomination": line.item_name,
                    "lignePosteQuantite": line.quantity,
                    "lignePosteUnite": line.unit or None,
                    "lignePosteMontantUnitaireHT": line.net_price,
                    "lignePosteMontantRemiseHT": sum(
                        (a.amount or 0 for a in line.allowances), start=0
                    ),
                    "lignePosteMontantHtApresRemise": line.net_amount,
                    "lignePosteTauxTva": vat_code(line.vat_rate),
                    "lignePosteTauxTvaManuel": line.vat_rate,
                }
                for number, line in enumerate(model.lines, start=1)
            ]
        },
        "recapitulatifDeTva": {
            "ligneTva": [
                {
                    "ligneTvaTauxRefCode": vat_code(vat.rate),
                    "ligneTvaTauxRefValeur": vat.rate,
                    "ligneTvaCategorie": vat.category,
                    "ligneTvaMontantBaseHtParTaux": vat.taxable_amount,
                    "ligneTvaMontantTvaParTaux": vat.tax_amount,
                }
                for vat in model.vat_breakdown
            ]
        },
        "listeDesPiecesJointes": {
            "pieceJointe": [
                {
                    "pieceJointeId": number,
                    "pieceJointeDesignation": item.filename or item.description or item.reference,
                    "pieceJointeExtension": (
                        item.filename.rsplit(".", 1)[-1].upper() if "." in item.filename else None
                    ),
                    "pieceJointeTypeCode": "FACTURE" if number == 1 else "PJ_COMPLEMENTAIRE",
                }
                for number, item in enumerate(model.attachments, start=1)
            ]
        },
    }


def vat_code(rate) -> str | None:
    """A VAT rate as the code of recuperer/tauxtva (TVA20, TVA5.5…)."""
    if rate is None:
        return None
    return f"TVA{rate.normalize():f}"
