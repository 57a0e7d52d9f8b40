"""Read UN/CEFACT CII D16B (and the Factur-X / ZUGFeRD 2 profiles) into the canonical invoice."""

from lxml import etree

from ..model import (
    Address,
    AllowanceCharge,
    Attachment,
    Contact,
    CreditTransfer,
    Delivery,
    DirectDebit,
    Identifier,
    Invoice,
    ItemAttribute,
    Line,
    Note,
    Party,
    Payee,
    PaymentCard,
    PaymentInstructions,
    Period,
    PrecedingInvoice,
    TaxRepresentative,
    Totals,
    VatBreakdown,
)
from . import binding
from .tree import Tree
from .values import Node, Syntax, node_of

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
SYNTAX = Syntax(NS, compact_dates=True, binding=binding.CII)


def _Node(branch) -> Node:
    return node_of(branch, SYNTAX)


_DOCUMENT = "ram:AssociatedDocumentLineDocument/"
_PRODUCT = "ram:SpecifiedTradeProduct/"


def _address(node: _Node) -> Address | None:
    """The address, empty when the element is there without content; None when absent."""
    if not node:
        return None
    return Address(**binding.ADDRESS.read(node), country_given=bool(node.one("ram:CountryID")))


def _party(node: _Node) -> Party:
    identifiers = [Identifier(n.text()) for n in node.all("ram:ID") if n.text()]
    identifiers += [i for i in binding.listed(node.all("ram:GlobalID"), "schemeID") if i.value]
    contact_node = node.one("ram:DefinedTradeContact")
    contact = Contact(
        name=contact_node.text("ram:PersonName") or contact_node.text("ram:DepartmentName"),
        phone=contact_node.text("ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
        email=contact_node.text("ram:EmailURIUniversalCommunication/ram:URIID"),
    )
    registrations = {
        n.element.get("schemeID", ""): n.text()
        for n in node.all("ram:SpecifiedTaxRegistration/ram:ID")
    }
    return Party(
        name=node.text("ram:Name"),
        trading_name=node.text("ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
        identifiers=identifiers,
        legal_id=node.identifier("ram:SpecifiedLegalOrganization/ram:ID"),
        vat_id=registrations.get("VA", ""),
        tax_registration_id=registrations.get("FC", ""),
        legal_info=node.text("ram:Description"),
        electronic_address=node.identifier("ram:URIUniversalCommunication/ram:URIID"),
        address=_address(node.one("ram:PostalTradeAddress")),
        contact=contact if contact != Contact() else None,
        given=bool(node),
    )


def _allowance_charge(node: _Node, where: str, with_vat: bool) -> AllowanceCharge:
    return AllowanceCharge(
        is_charge=node.text("ram:ChargeIndicator/udt:Indicator").lower() == "true",
        **binding.ALLOWANCE.read(node, f"{where} "),
        **(binding.ALLOWANCE_VAT.read(node, f"{where} ") if with_vat else {}),
    )


def _period(node: _Node, term: str) -> Period | None:
    return Period(**binding.PERIOD.read(node, f"{term} ")) if node else None


def _line(node: _Node) -> Line:
    agreement = node.one("ram:SpecifiedLineTradeAgreement")
    settlement = node.one("ram:SpecifiedLineTradeSettlement")
    basis = agreement.one("ram:NetPriceProductTradePrice/ram:BasisQuantity") or agreement.one(
        "ram:GrossPriceProductTradePrice/ram:BasisQuantity"
    )
    where = f"Ligne {node.text(_DOCUMENT + 'ram:LineID') or '?'}"
    allowances, charges = binding.split(
        [
            _allowance_charge(item, f"{where}, {binding.LINE_ALLOWANCE}", with_vat=False)
            for item in settlement.all("ram:SpecifiedTradeAllowanceCharge")
        ]
    )
    object_id = None
    for reference in settlement.all("ram:AdditionalReferencedDocument"):
        if reference.text("ram:TypeCode") == "130":
            object_id = Identifier(
                reference.text("ram:IssuerAssignedID"), reference.text("ram:ReferenceTypeCode")
            )
    return Line(
        **binding.LINE.read(node, f"{where} "),
        object_id=object_id,
        period=_period(
            settlement.one("ram:BillingSpecifiedPeriod"), f"{where} {binding.LINE_PERIOD}"
        ),
        allowances=allowances,
        charges=charges,
        base_quantity=basis.decimal("", f"{where} {binding.LINE.label('base_quantity')}")
        if basis
        else None,
        base_quantity_unit=(basis.element.get("unitCode") or "").strip() if basis else "",
        classifications=binding.listed(
            node.all(_PRODUCT + "ram:DesignatedProductClassification/ram:ClassCode"), "listID"
        ),
        attributes=[
            ItemAttribute(a.text("ram:Description"), a.text("ram:Value"))
            for a in node.all(_PRODUCT + "ram:ApplicableProductCharacteristic")
        ],
    )


def _payment(settlement: _Node, terms: _Node) -> PaymentInstructions | None:
    means = settlement.all("ram:SpecifiedTradeSettlementPaymentMeans")
    remittance = settlement.text("ram:PaymentReference")
    mandate = terms.text("ram:DirectDebitMandateID")
    creditor = settlement.text("ram:CreditorReferenceID")
    if not (means or remittance or mandate or creditor):
        return None
    first = means[0] if means else _Node(None)
    transfers, card, debited = [], None, ""
    for item in means:
        account = item.one("ram:PayeePartyCreditorFinancialAccount")
        if account:
            transfers.append(
                CreditTransfer(
                    account_id=account.text("ram:IBANID") or account.text("ram:ProprietaryID"),
                    account_name=account.text("ram:AccountName"),
                    provider_id=item.text(
                        "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"
                    ),
                )
            )
        card_node = item.one("ram:ApplicableTradeSettlementFinancialCard")
        if card_node:
            card = PaymentCard(card_node.text("ram:ID"), card_node.text("ram:CardholderName"))
        debited = debited or item.text("ram:PayerPartyDebtorFinancialAccount/ram:IBANID")
    direct_debit = None
    if mandate or creditor or debited:
        direct_debit = DirectDebit(mandate, creditor, debited)
    return PaymentInstructions(
        means_code=first.text("ram:TypeCode"),
        means_text=first.text("ram:Information"),
        remittance_information=remittance,
        credit_transfers=transfers,
        card=card,
        direct_debit=direct_debit,
        uncoded=tuple(n for n, item in enumerate(means, 1) if not item.one("ram:TypeCode")),
    )


def read_cii(document: "etree._Element | Tree") -> Invoice:
    """The invoice a parsed document holds (its root element, or its `Tree` when the caller
    has already walked it)."""
    tree = document if isinstance(document, Tree) else Tree(document)
    doc = _Node(tree.root)
    header = doc.one("rsm:ExchangedDocument")
    transaction = doc.one("rsm:SupplyChainTradeTransaction")
    agreement = transaction.one("ram:ApplicableHeaderTradeAgreement")
    delivery_node = transaction.one("ram:ApplicableHeaderTradeDelivery")
    settlement = transaction.one("ram:ApplicableHeaderTradeSettlement")
    terms = settlement.one("ram:SpecifiedTradePaymentTerms")
    summation = settlement.one("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    invoice = Invoice(
        **binding.INVOICE.read(doc),
        notes=[
            Note(n.text("ram:Content"), n.text("ram:SubjectCode"))
            for n in header.all("ram:IncludedNote")
        ],
        preceding_invoices=[
            PrecedingInvoice(
                p.text("ram:IssuerAssignedID"),
                p.date("ram:FormattedIssueDateTime/qdt:DateTimeString", binding.PRECEDING_DATE),
            )
            for p in settlement.all("ram:InvoiceReferencedDocument")
        ],
        seller=_party(agreement.one("ram:SellerTradeParty")),
        buyer=_party(agreement.one("ram:BuyerTradeParty")),
        invoicing_period=_period(
            settlement.one("ram:BillingSpecifiedPeriod"), binding.INVOICING_PERIOD
        ),
        payment=_payment(settlement, terms),
        lines=[_line(n) for n in transaction.all("ram:IncludedSupplyChainTradeLineItem")],
    )
    payee = settlement.one("ram:PayeeTradeParty")
    if payee:
        invoice.payee = Payee(
            name=payee.text("ram:Name"),
            identifier=payee.identifier("ram:GlobalID") or payee.identifier("ram:ID"),
            legal_id=payee.identifier("ram:SpecifiedLegalOrganization/ram:ID"),
        )
    representative = agreement.one("ram:SellerTaxRepresentativeTradeParty")
    if representative:
        invoice.tax_representative = TaxRepresentative(
            name=representative.text("ram:Name"),
            vat_id=representative.text("ram:SpecifiedTaxRegistration/ram:ID"),
            address=_address(representative.one("ram:PostalTradeAddress")),
        )
    ship_to = delivery_node.one("ram:ShipToTradeParty")
    delivered = delivery_node.date(
        "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString",
        binding.DELIVERY_DATE,
    )
    address = ship_to.one("ram:PostalTradeAddress")
    delivery = Delivery(
        party_name=ship_to.text("ram:Name"),
        location_id=ship_to.identifier("ram:GlobalID") or ship_to.identifier("ram:ID"),
        date=delivered,
        address=_address(address),
    )
    invoice.delivery = delivery if delivery != Delivery() else None
    for reference in agreement.all("ram:AdditionalReferencedDocument"):
        code = reference.text("ram:TypeCode")
        if code == "50":
            invoice.tender_reference = reference.text("ram:IssuerAssignedID")
        elif code == "130":
            invoice.invoiced_object = Identifier(
                reference.text("ram:IssuerAssignedID"), reference.text("ram:ReferenceTypeCode")
            )
        else:
            invoice.attachments.append(Attachment(**binding.ATTACHMENT.read(reference)))
    for tax in settlement.all("ram:ApplicableTradeTax"):
        invoice.vat_breakdown.append(VatBreakdown(**binding.VAT_BREAKDOWN.read(tax)))
        invoice.tax_point_date = invoice.tax_point_date or tax.date(
            "ram:TaxPointDate/udt:DateString", binding.INVOICE.label("tax_point_date")
        )
        invoice.vat_point_date_code = invoice.vat_point_date_code or tax.text("ram:DueDateTypeCode")
    invoice.allowances, invoice.charges = binding.split(
        [
            _allowance_charge(item, binding.DOCUMENT_ALLOWANCE, with_vat=True)
            for item in settlement.all("ram:SpecifiedTradeAllowanceCharge")
        ]
    )
    vat_totals, in_accounting_currency, in_invoice_currency = {}, None, 0
    for node in summation.all("ram:TaxTotalAmount"):
        currency = node.element.get("currencyID", "")
        amount = node.decimal("", binding.VAT_TOTAL)
        in_invoice_currency += currency == invoice.currency
        if currency not in vat_totals:
            vat_totals[currency] = amount
        elif currency == invoice.vat_accounting_currency:  # BT-6 written the same as BT-5
            in_accounting_currency = amount
    written_in = invoice.currency if invoice.currency in vat_totals else ""
    vat_total = vat_totals.get(written_in)  # currencyID is optional
    invoice.totals = Totals(
        **binding.TOTALS.read(summation),
        vat_total=vat_total,
        vat_total_accounting=vat_totals.get(invoice.vat_accounting_currency)
        if invoice.vat_accounting_currency and invoice.vat_accounting_currency != invoice.currency
        else in_accounting_currency,
        given=bool(summation),
        vat_total_currency=written_in,
        vat_total_count=in_invoice_currency,
    )
    invoice.source_syntax = "CII"
    return invoice
