"""Write the canonical invoice as UN/CEFACT CII D16B, elements in the schema's order."""

from lxml import etree

from ..model import Address, AllowanceCharge, Identifier, Invoice, Line, Party, Period
from .cii_reader import NS
from .derived import gross_price
from .xmlwrite import add as _add
from .xmlwrite import group as _group
from .xmlwrite import prune as _prune

RSM, RAM, UDT, QDT = (f"{{{NS[p]}}}" for p in ("rsm", "ram", "udt", "qdt"))
# The groups the CII schema requires, kept even when the invoice gives them nothing.
REQUIRED = frozenset(
    [
        RSM + "ExchangedDocument",
        RSM + "SupplyChainTradeTransaction",
        RAM + "ApplicableHeaderTradeAgreement",
        RAM + "ApplicableHeaderTradeDelivery",
        RAM + "ApplicableHeaderTradeSettlement",
    ]
)


def _date(parent, tag: str, value, inner=UDT + "DateTimeString") -> None:
    if value is not None:
        _add(_group(parent, tag), inner, value.strftime("%Y%m%d"), format="102")


def _identifier(parent, tag: str, identifier: Identifier | None) -> None:
    if identifier is not None:
        _add(parent, tag, identifier.value, keep_empty=True, schemeID=identifier.scheme)


def _address(parent, address: Address | None) -> None:
    if address is None:
        return
    node = _group(parent, RAM + "PostalTradeAddress")
    _add(node, RAM + "PostcodeCode", address.postal_code)
    _add(node, RAM + "LineOne", address.line1)
    _add(node, RAM + "LineTwo", address.line2)
    _add(node, RAM + "LineThree", address.line3)
    _add(node, RAM + "CityName", address.city)
    _add(node, RAM + "CountryID", address.country)
    _add(node, RAM + "CountrySubDivisionName", address.subdivision)


def _trade_party_ids(node, identifiers) -> None:
    """A trade party's identifiers: bare ones as ram:ID, then those with a scheme as
    ram:GlobalID (the schema's order)."""
    present = [i for i in identifiers if i is not None]
    for identifier in sorted(present, key=lambda i: bool(i.scheme)):
        _identifier(node, RAM + ("GlobalID" if identifier.scheme else "ID"), identifier)


def _party(parent, tag: str, party: Party) -> None:
    node = _group(parent, tag)
    _trade_party_ids(node, party.identifiers)
    _add(node, RAM + "Name", party.name)
    _add(node, RAM + "Description", party.legal_info)
    legal = _group(node, RAM + "SpecifiedLegalOrganization")
    _identifier(legal, RAM + "ID", party.legal_id)
    _add(legal, RAM + "TradingBusinessName", party.trading_name)
    if party.contact is not None:
        contact = _group(node, RAM + "DefinedTradeContact")
        _add(contact, RAM + "PersonName", party.contact.name)
        _add(
            _group(contact, RAM + "TelephoneUniversalCommunication"),
            RAM + "CompleteNumber",
            party.contact.phone,
        )
        _add(
            _group(contact, RAM + "EmailURIUniversalCommunication"),
            RAM + "URIID",
            party.contact.email,
        )
    _address(node, party.address)
    if party.electronic_address is not None:
        _identifier(
            _group(node, RAM + "URIUniversalCommunication"), RAM + "URIID", party.electronic_address
        )
    _add(_group(node, RAM + "SpecifiedTaxRegistration"), RAM + "ID", party.vat_id, schemeID="VA")
    _add(
        _group(node, RAM + "SpecifiedTaxRegistration"),
        RAM + "ID",
        party.tax_registration_id,
        schemeID="FC",
    )


def _period(parent, period: Period | None) -> None:
    if period is not None:
        node = _group(parent, RAM + "BillingSpecifiedPeriod")
        _date(node, RAM + "StartDateTime", period.start)
        _date(node, RAM + "EndDateTime", period.end)


def _allowance_charge(parent, entry: AllowanceCharge, with_vat: bool) -> None:
    node = _group(parent, RAM + "SpecifiedTradeAllowanceCharge")
    _add(
        _group(node, RAM + "ChargeIndicator"),
        UDT + "Indicator",
        "true" if entry.is_charge else "false",
    )
    _add(node, RAM + "CalculationPercent", entry.percent)
    _add(node, RAM + "BasisAmount", entry.base_amount)
    _add(node, RAM + "ActualAmount", entry.amount)
    _add(node, RAM + "ReasonCode", entry.reason_code)
    _add(node, RAM + "Reason", entry.reason)
    if with_vat:
        tax = _group(node, RAM + "CategoryTradeTax")
        _add(tax, RAM + "TypeCode", "VAT")
        _add(tax, RAM + "CategoryCode", entry.vat_category)
        _add(tax, RAM + "RateApplicablePercent", entry.vat_rate)


def _line(parent, line: Line) -> None:
    node = _group(parent, RAM + "IncludedSupplyChainTradeLineItem")
    document = _group(node, RAM + "AssociatedDocumentLineDocument")
    _add(document, RAM + "LineID", line.id)
    _add(_group(document, RAM + "IncludedNote"), RAM + "Content", line.note)
    product = _group(node, RAM + "SpecifiedTradeProduct")
    _identifier(product, RAM + "GlobalID", line.standard_item_id)
    _add(product, RAM + "SellerAssignedID", line.seller_item_id)
    _add(product, RAM + "BuyerAssignedID", line.buyer_item_id)
    _add(product, RAM + "Name", line.item_name)
    _add(product, RAM + "Description", line.item_description)
    for attribute in line.attributes:
        characteristic = _group(product, RAM + "ApplicableProductCharacteristic")
        _add(characteristic, RAM + "Description", attribute.name)
        _add(characteristic, RAM + "Value", attribute.value)
    for classification in line.classifications:
        _add(
            _group(product, RAM + "DesignatedProductClassification"),
            RAM + "ClassCode",
            classification.value,
            listID=classification.scheme,
        )
    _add(_group(product, RAM + "OriginTradeCountry"), RAM + "ID", line.origin_country)
    agreement = _group(node, RAM + "SpecifiedLineTradeAgreement")
    _add(
        _group(agreement, RAM + "BuyerOrderReferencedDocument"),
        RAM + "LineID",
        line.order_line_reference,
    )
    if line.gross_price is not None or line.price_discount is not None:
        gross = _group(agreement, RAM + "GrossPriceProductTradePrice")
        _add(gross, RAM + "ChargeAmount", gross_price(line))
        if line.price_discount is not None:
            discount = _group(gross, RAM + "AppliedTradeAllowanceCharge")
            _add(_group(discount, RAM + "ChargeIndicator"), UDT + "Indicator", "false")
            _add(discount, RAM + "ActualAmount", line.price_discount)
    net = _group(agreement, RAM + "NetPriceProductTradePrice")
    _add(net, RAM + "ChargeAmount", line.net_price)
    _add(net, RAM + "BasisQuantity", line.base_quantity, unitCode=line.base_quantity_unit)
    _add(
        _group(node, RAM + "SpecifiedLineTradeDelivery"),
        RAM + "BilledQuantity",
        line.quantity,
        unitCode=line.unit,
    )
    settlement = _group(node, RAM + "SpecifiedLineTradeSettlement")
    tax = _group(settlement, RAM + "ApplicableTradeTax")
    _add(tax, RAM + "TypeCode", "VAT")
    _add(tax, RAM + "CategoryCode", line.vat_category)
    _add(tax, RAM + "RateApplicablePercent", line.vat_rate)
    _period(settlement, line.period)
    for entry in [*line.allowances, *line.charges]:
        _allowance_charge(settlement, entry, with_vat=False)
    _add(
        _group(settlement, RAM + "SpecifiedTradeSettlementLineMonetarySummation"),
        RAM + "LineTotalAmount",
        line.net_amount,
    )
    if line.object_id is not None:
        reference = _group(settlement, RAM + "AdditionalReferencedDocument")
        _add(reference, RAM + "IssuerAssignedID", line.object_id.value)
        _add(reference, RAM + "TypeCode", "130")
        _add(reference, RAM + "ReferenceTypeCode", line.object_id.scheme)
    _add(
        _group(settlement, RAM + "ReceivableSpecifiedTradeAccountingAccount"),
        RAM + "ID",
        line.accounting_reference,
    )


def write_cii(invoice: Invoice) -> bytes:
    root = etree.Element(RSM + "CrossIndustryInvoice", nsmap=dict(NS))
    context = _group(root, RSM + "ExchangedDocumentContext")
    _add(
        _group(context, RAM + "BusinessProcessSpecifiedDocumentContextParameter"),
        RAM + "ID",
        invoice.process_id,
    )
    _add(
        _group(context, RAM + "GuidelineSpecifiedDocumentContextParameter"),
        RAM + "ID",
        invoice.specification_id,
    )
    header = _group(root, RSM + "ExchangedDocument")
    _add(header, RAM + "ID", invoice.number)
    _add(header, RAM + "TypeCode", invoice.type_code)
    _date(header, RAM + "IssueDateTime", invoice.issue_date)
    for note in invoice.notes:
        included = _group(header, RAM + "IncludedNote")
        _add(included, RAM + "Content", note.text)
        _add(included, RAM + "SubjectCode", note.subject_code)
    transaction = _group(root, RSM + "SupplyChainTradeTransaction")
    for line in invoice.lines:
        _line(transaction, line)

    agreement = _group(transaction, RAM + "ApplicableHeaderTradeAgreement")
    _add(agreement, RAM + "BuyerReference", invoice.buyer_reference)
    _party(agreement, RAM + "SellerTradeParty", invoice.seller)
    _party(agreement, RAM + "BuyerTradeParty", invoice.buyer)
    if invoice.tax_representative is not None:
        representative = _group(agreement, RAM + "SellerTaxRepresentativeTradeParty")
        _add(representative, RAM + "Name", invoice.tax_representative.name)
        _address(representative, invoice.tax_representative.address)
        _add(
            _group(representative, RAM + "SpecifiedTaxRegistration"),
            RAM + "ID",
            invoice.tax_representative.vat_id,
            schemeID="VA",
        )
    _add(
        _group(agreement, RAM + "SellerOrderReferencedDocument"),
        RAM + "IssuerAssignedID",
        invoice.sales_order_reference,
    )
    _add(
        _group(agreement, RAM + "BuyerOrderReferencedDocument"),
        RAM + "IssuerAssignedID",
        invoice.purchase_order_reference,
    )
    _add(
        _group(agreement, RAM + "ContractReferencedDocument"),
        RAM + "IssuerAssignedID",
        invoice.contract_reference,
    )
    for attachment in invoice.attachments:
        reference = _group(agreement, RAM + "AdditionalReferencedDocument")
        _add(reference, RAM + "IssuerAssignedID", attachment.reference)
        _add(reference, RAM + "URIID", attachment.uri)
        _add(reference, RAM + "TypeCode", "916")
        _add(reference, RAM + "Name", attachment.description)
        _add(
            reference,
            RAM + "AttachmentBinaryObject",
            attachment.content,
            mimeCode=attachment.mime_code,
            filename=attachment.filename,
            keep_empty=True,
        )
    if invoice.tender_reference:
        reference = _group(agreement, RAM + "AdditionalReferencedDocument")
        _add(reference, RAM + "IssuerAssignedID", invoice.tender_reference)
        _add(reference, RAM + "TypeCode", "50")
    if invoice.invoiced_object is not None:
        reference = _group(agreement, RAM + "AdditionalReferencedDocument")
        _add(reference, RAM + "IssuerAssignedID", invoice.invoiced_object.value)
        _add(reference, RAM + "TypeCode", "130")
        _add(reference, RAM + "ReferenceTypeCode", invoice.invoiced_object.scheme)
    if invoice.project_reference:
        project = _group(agreement, RAM + "SpecifiedProcuringProject")
        _add(project, RAM + "ID", invoice.project_reference)
        _add(project, RAM + "Name", "Project reference")

    delivery = _group(transaction, RAM + "ApplicableHeaderTradeDelivery")
    if invoice.delivery is not None:
        if invoice.delivery.party_name or invoice.delivery.location_id or invoice.delivery.address:
            ship_to = _group(delivery, RAM + "ShipToTradeParty")
            _trade_party_ids(ship_to, [invoice.delivery.location_id])
            _add(ship_to, RAM + "Name", invoice.delivery.party_name)
            _address(ship_to, invoice.delivery.address)
        if invoice.delivery.date is not None:
            _date(
                _group(delivery, RAM + "ActualDeliverySupplyChainEvent"),
                RAM + "OccurrenceDateTime",
                invoice.delivery.date,
            )
    _add(
        _group(delivery, RAM + "DespatchAdviceReferencedDocument"),
        RAM + "IssuerAssignedID",
        invoice.despatch_advice_reference,
    )
    _add(
        _group(delivery, RAM + "ReceivingAdviceReferencedDocument"),
        RAM + "IssuerAssignedID",
        invoice.receiving_advice_reference,
    )

    _settlement(transaction, invoice)
    _prune(root, REQUIRED)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _settlement(transaction, invoice: Invoice) -> None:
    settlement = _group(transaction, RAM + "ApplicableHeaderTradeSettlement")
    payment = invoice.payment
    debit = payment.direct_debit if payment else None
    _add(settlement, RAM + "CreditorReferenceID", debit.creditor_id if debit else "")
    _add(settlement, RAM + "PaymentReference", payment.remittance_information if payment else "")
    _add(settlement, RAM + "TaxCurrencyCode", invoice.vat_accounting_currency)
    _add(settlement, RAM + "InvoiceCurrencyCode", invoice.currency)
    if invoice.payee is not None:
        payee = _group(settlement, RAM + "PayeeTradeParty")
        _trade_party_ids(payee, [invoice.payee.identifier])
        _add(payee, RAM + "Name", invoice.payee.name)
        _identifier(
            _group(payee, RAM + "SpecifiedLegalOrganization"), RAM + "ID", invoice.payee.legal_id
        )
    if payment is not None and (
        payment.means_code or payment.credit_transfers or payment.card or debit
    ):
        accounts = payment.credit_transfers or [None]
        for index, transfer in enumerate(accounts):
            means = _group(settlement, RAM + "SpecifiedTradeSettlementPaymentMeans")
            _add(means, RAM + "TypeCode", payment.means_code)
            _add(means, RAM + "Information", payment.means_text)
            if index == 0 and payment.card is not None:
                card = _group(means, RAM + "ApplicableTradeSettlementFinancialCard")
                _add(card, RAM + "ID", payment.card.primary_account)
                _add(card, RAM + "CardholderName", payment.card.holder)
            if index == 0 and debit is not None:
                _add(
                    _group(means, RAM + "PayerPartyDebtorFinancialAccount"),
                    RAM + "IBANID",
                    debit.debited_account,
                )
            if transfer is not None:
                account = _group(means, RAM + "PayeePartyCreditorFinancialAccount")
                _add(account, RAM + "IBANID", transfer.account_id)
                _add(account, RAM + "AccountName", transfer.account_name)
                _add(
                    _group(means, RAM + "PayeeSpecifiedCreditorFinancialInstitution"),
                    RAM + "BICID",
                    transfer.provider_id,
                )
    for index, vat in enumerate(invoice.vat_breakdown):
        tax = _group(settlement, RAM + "ApplicableTradeTax")
        _add(tax, RAM + "CalculatedAmount", vat.tax_amount)
        _add(tax, RAM + "TypeCode", "VAT")
        _add(tax, RAM + "ExemptionReason", vat.exemption_reason)
        _add(tax, RAM + "BasisAmount", vat.taxable_amount)
        _add(tax, RAM + "CategoryCode", vat.category)
        _add(tax, RAM + "ExemptionReasonCode", vat.exemption_code)
        if index == 0 and invoice.tax_point_date is not None:
            _date(tax, RAM + "TaxPointDate", invoice.tax_point_date, inner=UDT + "DateString")
        if index == 0:
            _add(tax, RAM + "DueDateTypeCode", invoice.vat_point_date_code)
        _add(tax, RAM + "RateApplicablePercent", vat.rate)
    _period(settlement, invoice.invoicing_period)
    for entry in [*invoice.allowances, *invoice.charges]:
        _allowance_charge(settlement, entry, with_vat=True)
    terms = _group(settlement, RAM + "SpecifiedTradePaymentTerms")
    _add(terms, RAM + "Description", invoice.payment_terms)
    _date(terms, RAM + "DueDateDateTime", invoice.due_date)
    _add(terms, RAM + "DirectDebitMandateID", debit.mandate_reference if debit else "")
    totals = invoice.totals
    summation = _group(settlement, RAM + "SpecifiedTradeSettlementHeaderMonetarySummation")
    _add(summation, RAM + "LineTotalAmount", totals.line_total)
    _add(summation, RAM + "ChargeTotalAmount", totals.charge_total)
    _add(summation, RAM + "AllowanceTotalAmount", totals.allowance_total)
    _add(summation, RAM + "TaxBasisTotalAmount", totals.tax_exclusive)
    _add(summation, RAM + "TaxTotalAmount", totals.vat_total, currencyID=invoice.currency)
    _add(
        summation,
        RAM + "TaxTotalAmount",
        totals.vat_total_accounting,
        currencyID=invoice.vat_accounting_currency,
    )
    _add(summation, RAM + "RoundingAmount", totals.rounding)
    _add(summation, RAM + "GrandTotalAmount", totals.tax_inclusive)
    _add(summation, RAM + "TotalPrepaidAmount", totals.prepaid)
    _add(summation, RAM + "DuePayableAmount", totals.payable)
    for preceding in invoice.preceding_invoices:
        reference = _group(settlement, RAM + "InvoiceReferencedDocument")
        _add(reference, RAM + "IssuerAssignedID", preceding.number)
        _date(
            reference,
            RAM + "FormattedIssueDateTime",
            preceding.issue_date,
            inner=QDT + "DateTimeString",
        )
    _add(
        _group(settlement, RAM + "ReceivableSpecifiedTradeAccountingAccount"),
        RAM + "ID",
        invoice.buyer_accounting_reference,
    )
