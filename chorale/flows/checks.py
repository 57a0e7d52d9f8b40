"""Chorus Pro's checks on top of the format, each with a stable id and a French message:
the supplier is the depositing structure, the recipient a known active public structure, the
service code and engagement number present when required, a credit note references an invoice.
"""

from dataclasses import dataclass, field

from chorale.invoicing.model import Invoice
from chorale.invoicing.validation.engine import FATAL, Finding
from chorale.structures.models import IdentifierType, Service, Structure

SIRET_SCHEME = "0009"


def chorus_finding(rule: str, message: str, term: str = "", value: str = "") -> Finding:
    """A Chorus rule's finding: always fatal."""
    return Finding(rule, FATAL, message, term, value)


@dataclass
class Routing:
    recipient: Structure | None = None
    service: Service | None = None
    findings: list[Finding] = field(default_factory=list)


def _sirets(party) -> list[str]:
    """The SIRETs a party carries: legal id or identifiers with scheme 0009 (or bare 14 digits)."""
    candidates = [*party.identifiers, *([party.legal_id] if party.legal_id else [])]
    return [
        i.value.replace(" ", "")
        for i in candidates
        if i.scheme == SIRET_SCHEME
        or (
            not i.scheme
            and i.value.replace(" ", "").isdigit()
            and len(i.value.replace(" ", "")) == 14
        )
    ]


def check_invoice(invoice: Invoice, supplier: Structure, lookups: dict | None = None) -> Routing:
    """The Chorus checks of one invoice. `lookups` keeps the recipients and services found,
    for the next invoices of the same flow (a batch names the same few again and again)."""
    lookups = {} if lookups is None else lookups
    routing = Routing()
    found = routing.findings
    seller_sirets = _sirets(invoice.seller)
    if (
        supplier.identifier_type == IdentifierType.SIRET
        and supplier.identifier not in seller_sirets
    ):
        found.append(
            chorus_finding(
                "CHORALE-FOURNISSEUR",
                "Le vendeur de la facture n'est pas la structure qui dépose "
                f"({supplier.identifier}) : son SIRET doit figurer en BT-30 (schéma 0009).",
                "BT-30",
                ", ".join(seller_sirets),
            )
        )
    buyer_sirets = _sirets(invoice.buyer)
    key = ("recipient", *buyer_sirets)
    if key not in lookups:
        lookups[key] = Structure.objects.filter(
            identifier_type=IdentifierType.SIRET,
            identifier__in=buyer_sirets,
            validated_at__isnull=False,
        ).first()
    recipient = lookups[key]
    if recipient is None:
        found.append(
            chorus_finding(
                "CHORALE-DESTINATAIRE-INCONNU",
                "Destinataire introuvable : le SIRET de l'acheteur (BT-46 ou BT-47, schéma "
                "0009) ne désigne aucune structure publique de la plateforme.",
                "BT-47",
                ", ".join(buyer_sirets),
            )
        )
        return routing
    if not recipient.is_active or recipient.is_private:
        found.append(
            chorus_finding(
                "CHORALE-DESTINATAIRE-INACTIF",
                f"La structure {recipient.company_name} n'est pas un destinataire public actif.",
                "BT-47",
                recipient.identifier,
            )
        )
    routing.recipient = recipient
    code = invoice.buyer_reference.strip()
    if code:
        key = ("service", recipient.pk, code.upper())
        if key not in lookups:
            lookups[key] = recipient.services.filter(code=code.upper(), is_active=True).first()
        routing.service = lookups[key]
        if routing.service is None:
            found.append(
                chorus_finding(
                    "CHORALE-SERVICE-INCONNU",
                    f"Le code service « {code} » ne désigne aucun service actif de "
                    f"{recipient.company_name}.",
                    "BT-10",
                    code,
                )
            )
    engagement = invoice.purchase_order_reference.strip()
    if recipient.requires_service_code and not code:
        found.append(
            chorus_finding(
                "CHORALE-SERVICE-OBLIGATOIRE",
                f"{recipient.company_name} exige un code service (BT-10).",
                "BT-10",
            )
        )
    needs_engagement = recipient.requires_engagement or (
        routing.service and routing.service.requires_engagement
    )
    if needs_engagement and not engagement:
        found.append(
            chorus_finding(
                "CHORALE-ENGAGEMENT-OBLIGATOIRE",
                "Le destinataire exige un numéro d'engagement (BT-13).",
                "BT-13",
            )
        )
    if recipient.requires_service_or_engagement and not (code or engagement):
        found.append(
            chorus_finding(
                "CHORALE-SERVICE-OU-ENGAGEMENT",
                f"{recipient.company_name} exige un code service (BT-10) ou un numéro "
                "d'engagement (BT-13).",
                "BT-10",
            )
        )
    if invoice.is_credit_note and not invoice.preceding_invoices:
        found.append(
            chorus_finding(
                "CHORALE-AVOIR-SANS-FACTURE",
                "Un avoir doit référencer la facture qu'il corrige (BG-3, BT-25).",
                "BT-25",
            )
        )
    return routing
