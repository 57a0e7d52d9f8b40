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
from .tree import Tree
from .values import Node, Syntax

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
SYNTAX = Syntax(NS, compact_dates=True)


def _Node(branch) -> Node:
    return Node(branch, SYNTAX)


def _address(node: _Node) -> Address | None:
    """The address, empty when the element is there without content; None when absent."""
    if not node:
        return None
    return Address(
        line1=node.text("ram:LineOne"),
        line2=node.text("ram:LineTwo"),
        line3=node.text("ram:LineThree"),
        city=node.text("ram:CityName"),
        postal_code=node.text("ram:PostcodeCode"),
        subdivision=node.text("ram:CountrySubDivisionName"),
        country=node.text("ram:CountryID"),
    )


def _party(node: _Node) -> Party:
    identifiers = [Identifier(n.text()) for n in node.all("ram:ID") if n.text()]
    identifiers += [
        Identifier(n.text(), n.element.get("schemeID", ""))
        for n in node.all("ram:GlobalID")
        if n.text()
    ]
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
        amount=node.decimal("ram:ActualAmount", f"{where} montant"),
        base_amount=node.decimal("ram:BasisAmount", f"{where} assiette"),
        percent=node.decimal("ram:CalculationPercent", f"{where} pourcentage"),
        vat_category=node.text("ram:CategoryTradeTax/ram:CategoryCode") if with_vat else "",
        vat_rate=node.decimal("ram:CategoryTradeTax/ram:RateApplicablePercent", f"{where} taux")
        if with_vat
        else None,
        reason=node.text("ram:Reason"),
        reason_code=node.text("ram:ReasonCode"),
    )


def _period(node: _Node, term: str) -> Period | None:
    if not node:
        return None
    return Period(
        start=node.date("ram:StartDateTime/udt:DateTimeString", f"{term} début"),
        end=node.date("ram:EndDateTime/udt:DateTimeString", f"{term} fin"),
    )


def _line(node: _Node) -> Line:
    document = node.one("ram:AssociatedDocumentLineDocument")
    product = node.one("ram:SpecifiedTradeProduct")
    agreement = node.one("ram:SpecifiedLineTradeAgreement")
    settlement = node.one("ram:SpecifiedLineTradeSettlement")
    gross = agreement.one("ram:GrossPriceProductTradePrice")
    net = agreement.one("ram:NetPriceProductTradePrice")
    basis = net.one("ram:BasisQuantity") or gross.one("ram:BasisQuantity")
    line_id = document.text("ram:LineID")
    where = f"Ligne {line_id or '?'}"
    allowances, charges = [], []
    for item in settlement.all("ram:SpecifiedTradeAllowanceCharge"):
        entry = _allowance_charge(item, f"{where}, remise ou charge (BG-27/28)", with_vat=False)
        (charges if entry.is_charge else allowances).append(entry)
    object_id = None
    for reference in settlement.all("ram:AdditionalReferencedDocument"):
        if reference.text("ram:TypeCode") == "130":
            object_id = Identifier(
                reference.text("ram:IssuerAssignedID"), reference.text("ram:ReferenceTypeCode")
            )
    return Line(
        id=line_id,
        note=document.text("ram:IncludedNote/ram:Content"),
        object_id=object_id,
        quantity=node.decimal(
            "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", f"{where} quantité (BT-129)"
        ),
        unit=node.attr("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", "unitCode"),
        net_amount=settlement.decimal(
            "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
            f"{where} montant net (BT-131)",
        ),
        order_line_reference=agreement.text("ram:BuyerOrderReferencedDocument/ram:LineID"),
        accounting_reference=settlement.text(
            "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"
        ),
        period=_period(settlement.one("ram:BillingSpecifiedPeriod"), f"{where} période (BG-26)"),
        allowances=allowances,
        charges=charges,
        net_price=net.decimal("ram:ChargeAmount", f"{where} prix net (BT-146)"),
        price_discount=gross.decimal(
            "ram:AppliedTradeAllowanceCharge/ram:ActualAmount", f"{where} rabais sur prix (BT-147)"
        ),
        gross_price=gross.decimal("ram:ChargeAmount", f"{where} prix brut (BT-148)"),
        base_quantity=basis.decimal("", f"{where} quantité de base (BT-149)") if basis else None,
        base_quantity_unit=(basis.element.get("unitCode") or "").strip() if basis else "",
        vat_category=settlement.text("ram:ApplicableTradeTax/ram:CategoryCode"),
        vat_rate=settlement.decimal(
            "ram:ApplicableTradeTax/ram:RateApplicablePercent", f"{where} taux de TVA (BT-152)"
        ),
        item_name=product.text("ram:Name"),
        item_description=product.text("ram:Description"),
        seller_item_id=product.text("ram:SellerAssignedID"),
        buyer_item_id=product.text("ram:BuyerAssignedID"),
        standard_item_id=product.identifier("ram:GlobalID"),
        classifications=[
            Identifier(c.text(), c.element.get("listID", ""))
            for c in product.all("ram:DesignatedProductClassification/ram:ClassCode")
        ],
        origin_country=product.text("ram:OriginTradeCountry/ram:ID"),
        attributes=[
            ItemAttribute(a.text("ram:Description"), a.text("ram:Value"))
            for a in product.all("ram:ApplicableProductCharacteristic")
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
        number=header.text("ram:ID"),
        issue_date=header.date("ram:IssueDateTime/udt:DateTimeString", "Date de facture (BT-2)"),
        type_code=header.text("ram:TypeCode"),
        currency=settlement.text("ram:InvoiceCurrencyCode"),
        vat_accounting_currency=settlement.text("ram:TaxCurrencyCode"),
        due_date=terms.date("ram:DueDateDateTime/udt:DateTimeString", "Date d'échéance (BT-9)"),
        buyer_reference=agreement.text("ram:BuyerReference"),
        project_reference=agreement.text("ram:SpecifiedProcuringProject/ram:ID"),
        contract_reference=agreement.text("ram:ContractReferencedDocument/ram:IssuerAssignedID"),
        purchase_order_reference=agreement.text(
            "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"
        ),
        sales_order_reference=agreement.text(
            "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID"
        ),
        receiving_advice_reference=delivery_node.text(
            "ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID"
        ),
        despatch_advice_reference=delivery_node.text(
            "ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID"
        ),
        buyer_accounting_reference=settlement.text(
            "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"
        ),
        payment_terms=terms.text("ram:Description"),
        notes=[
            Note(n.text("ram:Content"), n.text("ram:SubjectCode"))
            for n in header.all("ram:IncludedNote")
        ],
        process_id=doc.text(
            "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"
        ),
        specification_id=doc.text(
            "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
        ),
        preceding_invoices=[
            PrecedingInvoice(
                p.text("ram:IssuerAssignedID"),
                p.date(
                    "ram:FormattedIssueDateTime/qdt:DateTimeString",
                    "Date de facture antérieure (BT-26)",
                ),
            )
            for p in settlement.all("ram:InvoiceReferencedDocument")
        ],
        seller=_party(agreement.one("ram:SellerTradeParty")),
        buyer=_party(agreement.one("ram:BuyerTradeParty")),
        invoicing_period=_period(
            settlement.one("ram:BillingSpecifiedPeriod"), "Période de facturation (BG-14)"
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
        "Date de livraison (BT-72)",
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
            invoice.attachments.append(
                Attachment(
                    reference=reference.text("ram:IssuerAssignedID"),
                    description=reference.text("ram:Name"),
                    uri=reference.text("ram:URIID"),
                    content=reference.text("ram:AttachmentBinaryObject"),
                    mime_code=reference.attr("ram:AttachmentBinaryObject", "mimeCode"),
                    filename=reference.attr("ram:AttachmentBinaryObject", "filename"),
                )
            )
    for tax in settlement.all("ram:ApplicableTradeTax"):
        invoice.vat_breakdown.append(
            VatBreakdown(
                taxable_amount=tax.decimal("ram:BasisAmount", "Base imposable (BT-116)"),
                tax_amount=tax.decimal("ram:CalculatedAmount", "Montant de TVA (BT-117)"),
                category=tax.text("ram:CategoryCode"),
                rate=tax.decimal("ram:RateApplicablePercent", "Taux de TVA (BT-119)"),
                exemption_reason=tax.text("ram:ExemptionReason"),
                exemption_code=tax.text("ram:ExemptionReasonCode"),
            )
        )
        invoice.tax_point_date = invoice.tax_point_date or tax.date(
            "ram:TaxPointDate/udt:DateString", "Date d'exigibilité de la TVA (BT-7)"
        )
        invoice.vat_point_date_code = invoice.vat_point_date_code or tax.text("ram:DueDateTypeCode")
    for item in settlement.all("ram:SpecifiedTradeAllowanceCharge"):
        entry = _allowance_charge(item, "Remise ou charge (BG-20/21)", with_vat=True)
        (invoice.charges if entry.is_charge else invoice.allowances).append(entry)
    vat_totals, in_accounting_currency, in_invoice_currency = {}, None, 0
    for node in summation.all("ram:TaxTotalAmount"):
        currency = node.element.get("currencyID", "")
        amount = node.decimal("", "Total TVA (BT-110)")
        in_invoice_currency += currency == invoice.currency
        if currency not in vat_totals:
            vat_totals[currency] = amount
        elif currency == invoice.vat_accounting_currency:  # BT-6 written the same as BT-5
            in_accounting_currency = amount
    written_in = invoice.currency if invoice.currency in vat_totals else ""
    vat_total = vat_totals.get(written_in)  # currencyID is optional
    invoice.totals = Totals(
        line_total=summation.decimal("ram:LineTotalAmount", "Total des lignes (BT-106)"),
        allowance_total=summation.decimal("ram:AllowanceTotalAmount", "Total des remises (BT-107)"),
        charge_total=summation.decimal("ram:ChargeTotalAmount", "Total des charges (BT-108)"),
        tax_exclusive=summation.decimal("ram:TaxBasisTotalAmount", "Total HT (BT-109)"),
        vat_total=vat_total,
        vat_total_accounting=vat_totals.get(invoice.vat_accounting_currency)
        if invoice.vat_accounting_currency and invoice.vat_accounting_currency != invoice.currency
        else in_accounting_currency,
        tax_inclusive=summation.decimal("ram:GrandTotalAmount", "Total TTC (BT-112)"),
        prepaid=summation.decimal("ram:TotalPrepaidAmount", "Montant payé (BT-113)"),
        rounding=summation.decimal("ram:RoundingAmount", "Arrondi (BT-114)"),
        payable=summation.decimal("ram:DuePayableAmount", "Montant à payer (BT-115)"),
        given=bool(summation),
        vat_total_currency=written_in,
        vat_total_count=in_invoice_currency,
    )
    invoice.source_syntax = "CII"
    return invoice
