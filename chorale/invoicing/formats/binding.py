"""The EN 16931 syntax binding both readers share: for each model class, where each simple term
stands in CII and in UBL (side by side, relative to the class's element), and the label naming
a term whose value cannot be read. One piece of code reads them all (`Terms.read`); what is not
a plain look-up (lists, choices between elements, a credit note's tags) stays in the readers."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import compiled
from ..model import AllowanceCharge, Identifier
from .tree import Branch
from .values import Node, Syntax, date_or_none, decimal_or_none, tolerant

CII, UBL = 0, 1  # the column of each syntax in the tables below: `Syntax.binding`


TEXT, IDENTIFIER, DECIMAL, DATE, ATTR = range(5)  # the kinds of `Terms._plan` (as in _core.pyx)
# (name, kind, the child tags down to the value, the label or the attribute) of each term
Plan = tuple[tuple[str, int, tuple[str, ...], str], ...]


def read_terms(
    branch: Branch | None, plan: Plan, where: str, compact: bool, tolerant: Callable[..., Any]
) -> dict[str, Any]:
    """The values `plan` names below `branch` (None: an absent element), read as `Node` reads
    them: a text stripped, an identifier with its scheme, a decimal or a date judged by
    `tolerant` under `where` + its label, an attribute stripped."""
    values: dict[str, Any] = {}
    for name, kind, tags, extra in plan:
        found = branch
        for tag in tags:
            if found is None:
                break
            children = found.children.get(tag)
            found = children[0] if children else None
        if kind == ATTR:
            values[name] = (found.element.get(extra) or "").strip() if found is not None else ""
            continue
        text = found.element.text if found is not None else None
        text = text.strip() if text else ""
        if kind == TEXT:
            values[name] = text
        elif kind == IDENTIFIER:
            scheme = (found.element.get("schemeID") or "").strip() if found is not None else ""
            values[name] = Identifier(text, scheme) if text or scheme else None
        elif kind == DECIMAL:
            values[name] = tolerant(decimal_or_none, text, where + extra) if text else None
        else:
            values[name] = (
                tolerant(date_or_none, text, where + extra, compact=compact) if text else None
            )
    return values


@dataclass(frozen=True)
class Terms:
    """One model class's simple terms: name → (CII path, UBL path) for `texts` and
    `identifiers`, (label, CII path, UBL path) for the judged `decimals` and `dates`,
    (attribute, CII path, UBL path) for `attrs`. An empty path: not read in that syntax."""

    texts: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    identifiers: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    decimals: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    dates: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    attrs: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    _plans: dict[Syntax, Plan] = field(default_factory=dict, compare=False, repr=False)

    def read(self, node: Node, where: str = "") -> dict[str, Any]:
        """The terms as keyword arguments of the model class; `where` comes before a label
        (on the compiled core where it is built, else in Python: the same values)."""
        syntax = node.syntax
        plan = self._plans.get(syntax)
        if plan is None:
            plan = self._plans[syntax] = self._plan(syntax)
        core = compiled.CORE
        read = core.read_terms if core else read_terms
        return read(node.branch, plan, where, syntax.compact_dates, tolerant)

    def _plan(self, syntax: Syntax) -> Plan:
        """What `read_terms` reads in this syntax, in the order of the tables."""
        column, steps = syntax.binding, syntax.steps
        plan = [(n, TEXT, steps(p[column]), "") for n, p in self.texts.items() if p[column]]
        plan += [
            (n, IDENTIFIER, steps(p[column]), "") for n, p in self.identifiers.items() if p[column]
        ]
        for kind, table in ((DECIMAL, self.decimals), (DATE, self.dates), (ATTR, self.attrs)):
            plan += [
                (name, kind, steps(paths[column]), extra)
                for name, (extra, *paths) in table.items()
                if paths[column]
            ]
        return tuple(plan)

    def label(self, name: str) -> str:
        return (self.decimals.get(name) or self.dates[name])[0]


def listed(nodes: Iterable[Node], scheme: str) -> list[Identifier]:
    """Identifiers written one an element, their scheme in the attribute `scheme`."""
    return [Identifier(n.text(), n.element.get(scheme, "")) for n in nodes]


def split(
    entries: Iterable[AllowanceCharge],
) -> tuple[list[AllowanceCharge], list[AllowanceCharge]]:
    """Allowances and charges, which both syntaxes write in one list."""
    allowances: list[AllowanceCharge] = []
    charges: list[AllowanceCharge] = []
    for entry in entries:
        (charges if entry.is_charge else allowances).append(entry)
    return allowances, charges


VAT_TOTAL = "Total TVA (BT-110)"
PRECEDING_DATE = "Date de facture antérieure (BT-26)"
DELIVERY_DATE = "Date de livraison (BT-72)"
INVOICING_PERIOD = "Période de facturation (BG-14)"
DOCUMENT_ALLOWANCE = "Remise ou charge (BG-20/21)"
LINE_ALLOWANCE = "remise ou charge (BG-27/28)"  # after « Ligne n, »
LINE_PERIOD = "période (BG-26)"  # after « Ligne n »

_CII_CONTEXT = "rsm:ExchangedDocumentContext/"
_CII_AGREEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/"
_CII_DELIVERY = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/"
_CII_SETTLEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
_CII_LINE_DOCUMENT = "ram:AssociatedDocumentLineDocument/"
_CII_LINE_AGREEMENT = "ram:SpecifiedLineTradeAgreement/"
_CII_LINE_SETTLEMENT = "ram:SpecifiedLineTradeSettlement/"
_CII_PRODUCT = "ram:SpecifiedTradeProduct/"

ADDRESS = Terms(
    texts={
        "line1": ("ram:LineOne", "cbc:StreetName"),
        "line2": ("ram:LineTwo", "cbc:AdditionalStreetName"),
        "line3": ("ram:LineThree", "cac:AddressLine/cbc:Line"),
        "city": ("ram:CityName", "cbc:CityName"),
        "postal_code": ("ram:PostcodeCode", "cbc:PostalZone"),
        "subdivision": ("ram:CountrySubDivisionName", "cbc:CountrySubentity"),
        "country": ("ram:CountryID", "cac:Country/cbc:IdentificationCode"),
    },
)
ALLOWANCE = Terms(
    texts={
        "reason": ("ram:Reason", "cbc:AllowanceChargeReason"),
        "reason_code": ("ram:ReasonCode", "cbc:AllowanceChargeReasonCode"),
    },
    decimals={
        "amount": ("montant", "ram:ActualAmount", "cbc:Amount"),
        "base_amount": ("assiette", "ram:BasisAmount", "cbc:BaseAmount"),
        "percent": ("pourcentage", "ram:CalculationPercent", "cbc:MultiplierFactorNumeric"),
    },
)
ALLOWANCE_VAT = Terms(
    texts={
        "vat_category": ("ram:CategoryTradeTax/ram:CategoryCode", "cac:TaxCategory/cbc:ID"),
    },
    decimals={
        "vat_rate": (
            "taux",
            "ram:CategoryTradeTax/ram:RateApplicablePercent",
            "cac:TaxCategory/cbc:Percent",
        ),
    },
)
PERIOD = Terms(
    dates={
        "start": ("début", "ram:StartDateTime/udt:DateTimeString", "cbc:StartDate"),
        "end": ("fin", "ram:EndDateTime/udt:DateTimeString", "cbc:EndDate"),
    },
)
LINE = Terms(
    texts={
        "id": (_CII_LINE_DOCUMENT + "ram:LineID", "cbc:ID"),
        "note": (_CII_LINE_DOCUMENT + "ram:IncludedNote/ram:Content", "cbc:Note"),
        "order_line_reference": (
            _CII_LINE_AGREEMENT + "ram:BuyerOrderReferencedDocument/ram:LineID",
            "cac:OrderLineReference/cbc:LineID",
        ),
        "accounting_reference": (
            _CII_LINE_SETTLEMENT + "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID",
            "cbc:AccountingCost",
        ),
        "vat_category": (
            _CII_LINE_SETTLEMENT + "ram:ApplicableTradeTax/ram:CategoryCode",
            "cac:Item/cac:ClassifiedTaxCategory/cbc:ID",
        ),
        "item_name": (_CII_PRODUCT + "ram:Name", "cac:Item/cbc:Name"),
        "item_description": (_CII_PRODUCT + "ram:Description", "cac:Item/cbc:Description"),
        "seller_item_id": (
            _CII_PRODUCT + "ram:SellerAssignedID",
            "cac:Item/cac:SellersItemIdentification/cbc:ID",
        ),
        "buyer_item_id": (
            _CII_PRODUCT + "ram:BuyerAssignedID",
            "cac:Item/cac:BuyersItemIdentification/cbc:ID",
        ),
        "origin_country": (
            _CII_PRODUCT + "ram:OriginTradeCountry/ram:ID",
            "cac:Item/cac:OriginCountry/cbc:IdentificationCode",
        ),
    },
    identifiers={
        "standard_item_id": (
            _CII_PRODUCT + "ram:GlobalID",
            "cac:Item/cac:StandardItemIdentification/cbc:ID",
        ),
    },
    decimals={
        "quantity": ("quantité (BT-129)", "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", ""),
        "net_amount": (
            "montant net (BT-131)",
            _CII_LINE_SETTLEMENT
            + "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
            "cbc:LineExtensionAmount",
        ),
        "net_price": (
            "prix net (BT-146)",
            _CII_LINE_AGREEMENT + "ram:NetPriceProductTradePrice/ram:ChargeAmount",
            "cac:Price/cbc:PriceAmount",
        ),
        "price_discount": (
            "rabais sur prix (BT-147)",
            _CII_LINE_AGREEMENT
            + "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ActualAmount",
            "cac:Price/cac:AllowanceCharge/cbc:Amount",
        ),
        "gross_price": (
            "prix brut (BT-148)",
            _CII_LINE_AGREEMENT + "ram:GrossPriceProductTradePrice/ram:ChargeAmount",
            "cac:Price/cac:AllowanceCharge/cbc:BaseAmount",
        ),
        "vat_rate": (
            "taux de TVA (BT-152)",
            _CII_LINE_SETTLEMENT + "ram:ApplicableTradeTax/ram:RateApplicablePercent",
            "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent",
        ),
        "base_quantity": ("quantité de base (BT-149)", "", "cac:Price/cbc:BaseQuantity"),
    },
    attrs={
        "unit": ("unitCode", "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", ""),
        "base_quantity_unit": ("unitCode", "", "cac:Price/cbc:BaseQuantity"),
    },
)
INVOICE = Terms(
    texts={
        "number": ("rsm:ExchangedDocument/ram:ID", "cbc:ID"),
        "type_code": ("rsm:ExchangedDocument/ram:TypeCode", ""),
        "currency": (_CII_SETTLEMENT + "ram:InvoiceCurrencyCode", "cbc:DocumentCurrencyCode"),
        "vat_accounting_currency": (_CII_SETTLEMENT + "ram:TaxCurrencyCode", "cbc:TaxCurrencyCode"),
        "buyer_reference": (_CII_AGREEMENT + "ram:BuyerReference", "cbc:BuyerReference"),
        "project_reference": (
            _CII_AGREEMENT + "ram:SpecifiedProcuringProject/ram:ID",
            "cac:ProjectReference/cbc:ID",
        ),
        "contract_reference": (
            _CII_AGREEMENT + "ram:ContractReferencedDocument/ram:IssuerAssignedID",
            "cac:ContractDocumentReference/cbc:ID",
        ),
        "purchase_order_reference": (
            _CII_AGREEMENT + "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
            "",
        ),
        "sales_order_reference": (
            _CII_AGREEMENT + "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID",
            "cac:OrderReference/cbc:SalesOrderID",
        ),
        "receiving_advice_reference": (
            _CII_DELIVERY + "ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID",
            "cac:ReceiptDocumentReference/cbc:ID",
        ),
        "despatch_advice_reference": (
            _CII_DELIVERY + "ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID",
            "cac:DespatchDocumentReference/cbc:ID",
        ),
        "buyer_accounting_reference": (
            _CII_SETTLEMENT + "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID",
            "cbc:AccountingCost",
        ),
        "payment_terms": (
            _CII_SETTLEMENT + "ram:SpecifiedTradePaymentTerms/ram:Description",
            "cac:PaymentTerms/cbc:Note",
        ),
        "process_id": (
            _CII_CONTEXT + "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",
            "cbc:ProfileID",
        ),
        "specification_id": (
            _CII_CONTEXT + "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
            "cbc:CustomizationID",
        ),
        "tender_reference": ("", "cac:OriginatorDocumentReference/cbc:ID"),
    },
    dates={
        "issue_date": (
            "Date de facture (BT-2)",
            "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString",
            "cbc:IssueDate",
        ),
        "due_date": (
            "Date d'échéance (BT-9)",
            _CII_SETTLEMENT
            + "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString",
            "",
        ),
        "tax_point_date": ("Date d'exigibilité de la TVA (BT-7)", "", "cbc:TaxPointDate"),
    },
)
ATTACHMENT = Terms(
    texts={
        "reference": ("ram:IssuerAssignedID", "cbc:ID"),
        "description": ("ram:Name", "cbc:DocumentDescription"),
        "uri": ("ram:URIID", "cac:Attachment/cac:ExternalReference/cbc:URI"),
        "content": (
            "ram:AttachmentBinaryObject",
            "cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        ),
    },
    attrs={
        "mime_code": (
            "mimeCode",
            "ram:AttachmentBinaryObject",
            "cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        ),
        "filename": (
            "filename",
            "ram:AttachmentBinaryObject",
            "cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        ),
    },
)
VAT_BREAKDOWN = Terms(
    texts={
        "category": ("ram:CategoryCode", "cac:TaxCategory/cbc:ID"),
        "exemption_reason": ("ram:ExemptionReason", "cac:TaxCategory/cbc:TaxExemptionReason"),
        "exemption_code": ("ram:ExemptionReasonCode", "cac:TaxCategory/cbc:TaxExemptionReasonCode"),
    },
    decimals={
        "taxable_amount": ("Base imposable (BT-116)", "ram:BasisAmount", "cbc:TaxableAmount"),
        "tax_amount": ("Montant de TVA (BT-117)", "ram:CalculatedAmount", "cbc:TaxAmount"),
        "rate": (
            "Taux de TVA (BT-119)",
            "ram:RateApplicablePercent",
            "cac:TaxCategory/cbc:Percent",
        ),
    },
)
TOTALS = Terms(
    decimals={
        "line_total": (
            "Total des lignes (BT-106)",
            "ram:LineTotalAmount",
            "cbc:LineExtensionAmount",
        ),
        "allowance_total": (
            "Total des remises (BT-107)",
            "ram:AllowanceTotalAmount",
            "cbc:AllowanceTotalAmount",
        ),
        "charge_total": (
            "Total des charges (BT-108)",
            "ram:ChargeTotalAmount",
            "cbc:ChargeTotalAmount",
        ),
        "tax_exclusive": ("Total HT (BT-109)", "ram:TaxBasisTotalAmount", "cbc:TaxExclusiveAmount"),
        "tax_inclusive": ("Total TTC (BT-112)", "ram:GrandTotalAmount", "cbc:TaxInclusiveAmount"),
        "prepaid": ("Montant payé (BT-113)", "ram:TotalPrepaidAmount", "cbc:PrepaidAmount"),
        "rounding": ("Arrondi (BT-114)", "ram:RoundingAmount", "cbc:PayableRoundingAmount"),
        "payable": ("Montant à payer (BT-115)", "ram:DuePayableAmount", "cbc:PayableAmount"),
    },
)
