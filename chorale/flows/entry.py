"""« Saisir une facture » (saisie directe): the typed invoice becomes an EN 16931 invoice in the
canonical model — totals and VAT breakdown recomputed here, whatever the page showed — then a
Factur-X PDF deposited like any other file, through the same checks."""

import base64
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy
from stdnum.fr import siren as stdnum_siren

from chorale.core.errors import BusinessError
from chorale.invoicing.formats.facturx import write_facturx
from chorale.invoicing.model import (
    Address,
    AllowanceCharge,
    Attachment,
    CreditTransfer,
    Identifier,
    Invoice,
    Line,
    Note,
    Party,
    PaymentInstructions,
    PrecedingInvoice,
    Totals,
    VatBreakdown,
)
from chorale.structures.models import BankAccount, Structure

from .models import Channel, DepositMode, Flow, InvoiceDraft
from .services import flow_deposit

CENT = Decimal("0.01")
VAT_RATES = ["20", "10", "8.5", "5.5", "2.1", "0"]  # French rates (mainland and overseas)
TYPES = {"380": "Facture", "381": "Avoir", "386": "Facture d'acompte"}
FRAMES = {
    "A1": gettext_lazy("A1 — Facture fournisseur"),
    "A2": gettext_lazy("A2 — Facture déjà payée"),
    "A9": gettext_lazy("A9 — Facture de sous-traitant (validée par le titulaire)"),
    "A12": gettext_lazy("A12 — Facture de cotraitant (validée par le mandataire)"),
    # Works pieces: to the maître d'œuvre of the contract named (« Factures de travaux »).
    "A4": gettext_lazy("A4 — Projet de décompte mensuel (titulaire)"),
    "A5": gettext_lazy("A5 — État d'acompte (entreprise)"),
    "A6": gettext_lazy("A6 — État d'acompte validé (au service financier)"),
    "A10": gettext_lazy("A10 — Projet de décompte mensuel (sous-traitant)"),
    "A13": gettext_lazy("A13 — Projet de décompte mensuel (cotraitant)"),
    "A7": gettext_lazy("A7 — Projet de décompte final (titulaire)"),
    "A11": gettext_lazy("A11 — Projet de décompte final (sous-traitant)"),
    "A14": gettext_lazy("A14 — Projet de décompte final (cotraitant)"),
    "A8": gettext_lazy("A8 — Décompte général et définitif signé (au service financier)"),
}
UNITS = {
    "C62": gettext_lazy("Unité"),
    "HUR": gettext_lazy("Heure"),
    "DAY": gettext_lazy("Jour"),
    "KGM": gettext_lazy("Kilogramme"),
    "MTR": gettext_lazy("Mètre"),
}


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class EntryLine:
    designation: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount: Decimal  # an amount off the line: a line allowance (BG-27)
    vat_rate: Decimal
    exemption_reason: str = ""
    charge: Decimal = Decimal(0)  # an amount added to the line: a line charge (BG-28)
    discount_reason: str = ""
    charge_reason: str = ""

    @property
    def net(self) -> Decimal:
        """BT-131 as EN 16931 computes it: quantity by net price, less allowances, plus charges."""
        return _money(self.quantity * self.unit_price - self.discount + self.charge)

    def allowances_and_charges(self) -> tuple[list, list]:
        """The line's BG-27 and BG-28, each with the reason the rules require (BR-42, BR-44)."""
        return (
            _adjustment(self.discount, False, self.discount_reason or "Remise"),
            _adjustment(self.charge, True, self.charge_reason or "Frais"),
        )


def _adjustment(amount: Decimal, is_charge: bool, reason: str) -> list[AllowanceCharge]:
    if not amount:
        return []
    return [AllowanceCharge(is_charge=is_charge, amount=_money(amount), reason=reason)]


def invoice_from_entry(
    *,
    supplier: Structure,
    recipient: Structure,
    header: dict,
    lines: list[EntryLine],
    bank_account: BankAccount | None,
) -> Invoice:
    """The canonical invoice of a typed one; every amount computed from the lines."""
    groups: dict[tuple[str, Decimal], list[EntryLine]] = {}
    for line in lines:
        category = "S" if line.vat_rate > 0 else "E"
        groups.setdefault((category, line.vat_rate), []).append(line)
    breakdown = []
    for (category, rate), members in groups.items():
        taxable = sum((line.net for line in members), Decimal(0))
        reasons = sorted({line.exemption_reason for line in members if line.exemption_reason})
        breakdown.append(
            VatBreakdown(
                taxable_amount=taxable,
                tax_amount=_money(taxable * rate / 100),
                category=category,
                rate=rate,
                exemption_reason="; ".join(reasons) if category == "E" else "",
            )
        )
    net_total = sum((line.net for line in lines), Decimal(0))
    vat_total = sum((v.tax_amount for v in breakdown), Decimal(0))
    gross = net_total + vat_total
    paid = gross if header["cadre"] == "A2" else Decimal(0)
    siren = supplier.identifier[:9]
    return Invoice(
        number=header["number"],
        issue_date=header["issue_date"],
        type_code=header["type_code"],
        currency=header["currency"],
        due_date=header.get("due_date"),
        buyer_reference=header.get("service_code", ""),
        purchase_order_reference=header.get("engagement_number", ""),
        contract_reference=header.get("market_number", ""),
        payment_terms=header.get("payment_terms", ""),
        process_id=header["cadre"],
        specification_id="urn:cen.eu:en16931:2017",
        notes=[Note(header["comment"])] if header.get("comment") else [],
        preceding_invoices=[PrecedingInvoice(header["preceding"])]
        if header.get("preceding")
        else [],
        seller=Party(
            name=supplier.company_name,
            legal_id=Identifier(supplier.identifier, "0009"),
            vat_id=header.get("seller_vat") or "FR" + stdnum_siren.to_tva(siren),
            address=Address(
                line1=supplier.address,
                line2=supplier.address_complement,
                city=supplier.city,
                postal_code=supplier.postal_code,
                country="FR",
            ),
        ),
        buyer=Party(
            name=recipient.company_name,
            legal_id=Identifier(recipient.identifier, "0009"),
            address=Address(
                line1=recipient.address,
                city=recipient.city,
                postal_code=recipient.postal_code,
                country="FR",
            ),
        ),
        payment=PaymentInstructions(
            means_code="30",
            credit_transfers=[
                CreditTransfer(
                    account_id=bank_account.iban,
                    account_name=bank_account.holder,
                    provider_id=bank_account.bic,
                )
            ],
        )
        if bank_account
        else None,
        totals=Totals(
            line_total=net_total,
            tax_exclusive=net_total,
            vat_total=vat_total,
            tax_inclusive=gross,
            prepaid=paid or None,
            payable=gross - paid,
        ),
        vat_breakdown=breakdown,
        attachments=[
            Attachment(
                reference=name.rsplit(".", 1)[0][:50],
                description=name,
                content=base64.b64encode(content).decode("ascii"),
                mime_code=mime,
                filename=name,
            )
            for name, mime, content in header.get("attachments", [])
        ],
        lines=[
            Line(
                id=str(number),
                quantity=line.quantity,
                unit=line.unit,
                net_amount=line.net,
                net_price=line.unit_price,
                allowances=line.allowances_and_charges()[0],
                charges=line.allowances_and_charges()[1],
                vat_category="S" if line.vat_rate > 0 else "E",
                vat_rate=line.vat_rate,
                item_name=line.designation,
            )
            for number, line in enumerate(lines, start=1)
        ],
    )


@transaction.atomic
def invoice_enter(
    *,
    user,
    supplier: Structure,
    recipient: Structure,
    header: dict,
    lines,
    bank_account,
    mode: str = DepositMode.PORTAL_ENTRY,
) -> Flow:
    """« Valider et envoyer »: the typed invoice, as Factur-X, deposited through the engine
    (needs the structure's billing mandate); `mode` says how it was typed (portal or API, a
    PDF deposited or not)."""
    if not supplier.mandates.filter(revoked_at__isnull=True).exists():
        raise BusinessError(
            gettext("La saisie directe demande le mandat de facturation de la structure."),
            "no_mandate",
        )
    if not lines:
        raise BusinessError(gettext("Ajoutez au moins une ligne."), "no_lines")
    invoice = invoice_from_entry(
        supplier=supplier,
        recipient=recipient,
        header=header,
        lines=lines,
        bank_account=bank_account,
    )
    return flow_deposit(
        user=user,
        supplier=supplier,
        filename=f"{invoice.number}.pdf",
        content=write_facturx(invoice),
        channel=Channel.API if mode.endswith("_API") else Channel.PORTAL,
        mode=mode,
        validators=header.get("validators") or [],
    )


def draft_save(*, user, supplier: Structure, draft: InvoiceDraft | None, typed: dict):
    """« Enregistrer le brouillon »: the typed values kept as they are (nothing judged yet).
    The caller gives a supplier the user may type for and a draft of such a structure (the
    page reads both through the user's structures)."""
    draft = draft or InvoiceDraft(supplier=supplier, created_by=user)
    draft.supplier, draft.number, draft.data = supplier, str(typed.get("numero", ""))[:100], typed
    draft.save()
    return draft
