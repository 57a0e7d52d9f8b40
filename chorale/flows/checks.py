"""Chorus Pro's checks on top of the format, each with a stable id and a French message:
the supplier is the depositing structure, the recipient a known active public structure, the
service code and engagement number present when required (routing.recipient_resolve), a credit
note references an invoice.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from chorale.engagements.models import Engagement, WorksContract
from chorale.invoicing.model import Invoice
from chorale.invoicing.validation.engine import FATAL, WARNING, Finding
from chorale.lifecycle.statuses import DIRECT_WORKS_FRAMES, WORKS_FRAMES
from chorale.lifecycle.works import contract_resolve, frame_error
from chorale.routing.engagements import engagement_check
from chorale.routing.recipients import recipient_resolve
from chorale.structures.models import CheckRule, IdentifierType, Service, Structure

SIRET_SCHEME, SIREN_SCHEME = "0009", "0002"


def chorus_finding(rule: str, message: str, term: str = "", value: str = "") -> Finding:
    """A Chorus rule's finding: always fatal."""
    return Finding(rule, FATAL, message, term, value)


@dataclass
class Routing:
    supplier: Structure | None = None  # who sells: the depositor, or a supplier that mandated it
    recipient: Structure | None = None
    service: Service | None = None
    engagement: Engagement | None = None
    works_contract: WorksContract | None = None
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


def _plain(value: str) -> str:
    return "".join(value.split()).upper()


def seller_legal_identifier(party) -> str:
    """The seller's legal identifier as the deposit rule reads it: BT-30, or where BT-30 is
    absent the first BT-29 with scheme 0009 (SIRET); '' when the invoice gives neither."""
    if party.legal_id is not None and party.legal_id.value.strip():
        return _plain(party.legal_id.value)
    return next((_plain(i.value) for i in party.identifiers if i.scheme == SIRET_SCHEME), "")


def _sells(invoice: Invoice, supplier: Structure) -> bool:
    """The seller's legal identifier is this structure (its SIRET, or its SIREN: the same
    company; a foreign one may be named by its VAT number, BT-31)."""
    seller = seller_legal_identifier(invoice.seller)
    own = _plain(supplier.identifier)
    if supplier.identifier_type == IdentifierType.SIRET:
        return seller in (own, own[:9])
    legal = invoice.seller.legal_id
    french = legal is not None and legal.scheme in (SIRET_SCHEME, SIREN_SCHEME)
    return seller == own or (not french and _plain(invoice.seller.vat_id) == own)


def _seller_check(
    invoice: Invoice, supplier: Structure, mandated: list[Structure] | None = None
) -> tuple[Structure | None, Finding | None]:
    """A supplier is who it says it is: the seller is the depositing structure, or — for an
    EDI connection — one of the suppliers that gave it a deposit mandate; never another
    company. Returns the selling structure, or the finding that refuses the invoice."""
    if _sells(invoice, supplier):
        return supplier, None
    for candidate in mandated or []:
        if _sells(invoice, candidate):
            return candidate, None
    seller = seller_legal_identifier(invoice.seller)
    if mandated is not None:
        return None, chorus_finding(
            "CHORALE-FOURNISSEUR-SANS-MANDAT",
            gettext(
                "Le vendeur de la facture (%(seller)s) n'est ni la structure du raccordement "
                "(%(supplier)s) ni un fournisseur qui lui a donné mandat de dépôt : le "
                "fournisseur accorde ce mandat dans ses « Raccordements EDI »."
            )
            % {
                "seller": seller or gettext("sans identifiant légal"),
                "supplier": supplier.identifier,
            },
            "BT-30",
            seller,
        )
    return None, _not_allowed(seller, supplier)


def _not_allowed(seller: str, supplier: Structure) -> Finding:
    """The seller is another company than the depositing structure."""
    return chorus_finding(
        "CHORALE-FOURNISSEUR-NON-AUTORISE",
        gettext(
            "Le vendeur de la facture (%(seller)s) n'est pas la structure qui dépose "
            "(%(supplier)s) : l'identifiant légal du vendeur (BT-30, ou BT-29 de schéma 0009 en "
            "son absence) doit être celui d'une structure pour laquelle vous déposez."
        )
        % {"seller": seller or gettext("sans identifiant légal"), "supplier": supplier.identifier},
        "BT-30",
        seller,
    )


def _bank_account_check(invoice: Invoice, supplier: Structure, lookups: dict) -> list[Finding]:
    """The payee accounts (BT-84) must be among the supplier's declared bank details, when it
    has declared any: a rejection or a warning, as the structure's parameter says."""
    transfers = invoice.payment.credit_transfers if invoice.payment else []
    accounts = {_plain(t.account_id) for t in transfers if t.account_id.strip()}
    if not accounts:
        return []
    key = ("bank_accounts", supplier.pk)
    if key not in lookups:
        lookups[key] = {
            _plain(iban)
            for iban in supplier.bank_accounts.filter(is_active=True).values_list("iban", flat=True)
        }
    declared = lookups[key]
    unknown = sorted(accounts - declared)
    if not declared or not unknown:
        return []
    severity = FATAL if supplier.bank_account_rule == CheckRule.REJECT else WARNING
    return [
        Finding(
            "CHORALE-IBAN-NON-DECLARE",
            severity,
            gettext(
                "Le compte de paiement %(join)s (BT-84) ne figure pas parmi "
                "les coordonnées bancaires déclarées par %(company_name)s : "
                "déclarez-le dans « Activités du gestionnaire » ou corrigez "
                "la facture."
            )
            % {
                "join": ", ".join(unknown),
                "company_name": supplier.company_name,
            },
            "BT-84",
            ", ".join(unknown),
        )
    ]


def _engagement_findings(
    invoice: Invoice, routing: Routing, supplier: Structure, lookups: dict
) -> list[Finding]:
    """The engagement the invoice names, linked; its problems a rejection or a warning as
    the recipient's parameter says."""
    assert routing.recipient is not None
    check = engagement_check(
        routing.recipient,
        routing.service,
        supplier,
        invoice.purchase_order_reference,
        invoice.totals.tax_inclusive,
        invoice.is_credit_note,
        lookups,
    )
    routing.engagement = check.engagement
    severity = FATAL if routing.recipient.engagement_rule == CheckRule.REJECT else WARNING
    return [Finding(p.rule, severity, p.message, p.term, p.value) for p in check.problems]


def invoice_frame(invoice: Invoice) -> str:
    """The cadre de facturation (BT-23: « A4_PROJET_DECOMPTE… » or « A4 »), A1 by default."""
    return (invoice.process_id or "A1").split("_")[0].upper()[:3]


def _works_findings(invoice: Invoice, routing: Routing, supplier: Structure) -> list[Finding]:
    """A works piece names an open works contract of its recipient that its supplier is party
    to (BT-12); the pieces the MOE and MOA establish are not deposited by suppliers."""
    frame = invoice_frame(invoice)
    refused = frame_error(frame)
    if refused:
        return [chorus_finding("CHORALE-CADRE-TRAVAUX", refused, "BT-23", frame)]
    if frame not in WORKS_FRAMES and frame not in DIRECT_WORKS_FRAMES:
        return []
    assert routing.recipient is not None
    routing.works_contract, why = contract_resolve(
        frame, supplier, routing.recipient, invoice.contract_reference
    )
    if routing.works_contract is None:
        return [chorus_finding("CHORALE-MARCHE-TRAVAUX", why, "BT-12", invoice.contract_reference)]
    return []


def check_invoice(
    invoice: Invoice,
    supplier: Structure,
    lookups: dict | None = None,
    mandated: list[Structure] | None = None,
) -> Routing:
    """The Chorus checks of one invoice. `lookups` keeps the recipients and services found,
    for the next invoices of the same flow (a batch names the same few again and again).
    `mandated`, for an EDI connection's flow: the suppliers that gave it a deposit mandate."""
    lookups = {} if lookups is None else lookups
    routing = Routing()
    found = routing.findings
    routing.supplier, refusal = _seller_check(invoice, supplier, mandated)
    if refusal is not None:
        found.append(refusal)
    found.extend(_bank_account_check(invoice, routing.supplier or supplier, lookups))
    resolution = recipient_resolve(
        _sirets(invoice.buyer),
        invoice.buyer_reference,
        invoice.purchase_order_reference,
        lookups,
    )
    routing.recipient, routing.service = resolution.recipient, resolution.service
    found.extend(chorus_finding(p.rule, p.message, p.term, p.value) for p in resolution.problems)
    if routing.recipient is None:
        return routing
    found.extend(_engagement_findings(invoice, routing, routing.supplier or supplier, lookups))
    found.extend(_works_findings(invoice, routing, routing.supplier or supplier))
    if invoice.is_credit_note and not invoice.preceding_invoices:
        found.append(
            chorus_finding(
                "CHORALE-AVOIR-SANS-FACTURE",
                gettext("Un avoir doit référencer la facture qu'il corrige (BG-3, BT-25)."),
                "BT-25",
            )
        )
    return routing
