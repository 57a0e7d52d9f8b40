"""Write the canonical invoice as UBL 2.1 Invoice or CreditNote (by BT-3), in schema order."""

from lxml import etree

from ..model import (
    Address,
    AllowanceCharge,
    Identifier,
    Invoice,
    Line,
    Party,
    PaymentInstructions,
    Period,
)
from .derived import price_discount, vat_total
from .ubl_reader import CAC, CBC, CREDITOR_SCHEME, UNDEFINED_MEANS
from .xmlwrite import add as _add
from .xmlwrite import group as _group
from .xmlwrite import prune as _prune

A, B = f"{{{CAC}}}", f"{{{CBC}}}"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"


def _date(parent, tag: str, value) -> None:
    if value is not None:
        _add(parent, tag, value.isoformat())


def _amount(parent, tag: str, value, currency: str) -> None:
    _add(parent, tag, value, currencyID=currency if value is not None else "")


def _identifier(parent, tag: str, identifier: Identifier | None) -> None:
    if identifier is not None:
        _add(parent, tag, identifier.value, keep_empty=True, schemeID=identifier.scheme)


def _address(parent, tag: str, address: Address | None) -> None:
    if address is None:
        return
    node = _group(parent, tag)
    _add(node, B + "StreetName", address.line1)
    _add(node, B + "AdditionalStreetName", address.line2)
    _add(node, B + "CityName", address.city)
    _add(node, B + "PostalZone", address.postal_code)
    _add(node, B + "CountrySubentity", address.subdivision)
    _add(_group(node, A + "AddressLine"), B + "Line", address.line3)
    _add(_group(node, A + "Country"), B + "IdentificationCode", address.country)


def _tax_scheme(parent, tag: str, category: str, rate, reason_code="", reason="") -> None:
    node = _group(parent, tag)
    _add(node, B + "ID", category)
    _add(node, B + "Percent", rate)
    _add(node, B + "TaxExemptionReasonCode", reason_code)
    _add(node, B + "TaxExemptionReason", reason)
    _add(_group(node, A + "TaxScheme"), B + "ID", "VAT")


def _party(parent, tag: str, party: Party, creditor: str = "") -> None:
    node = _group(_group(parent, tag), A + "Party")
    _identifier(node, B + "EndpointID", party.electronic_address)
    for identifier in party.identifiers:
        _identifier(_group(node, A + "PartyIdentification"), B + "ID", identifier)
    if creditor:
        _add(_group(node, A + "PartyIdentification"), B + "ID", creditor, schemeID=CREDITOR_SCHEME)
    _add(_group(node, A + "PartyName"), B + "Name", party.trading_name)
    _address(node, A + "PostalAddress", party.address)
    for company_id, scheme in ((party.vat_id, "VAT"), (party.tax_registration_id, "TAX")):
        if company_id:
            tax = _group(node, A + "PartyTaxScheme")
            _add(tax, B + "CompanyID", company_id)
            _add(_group(tax, A + "TaxScheme"), B + "ID", scheme)
    legal = _group(node, A + "PartyLegalEntity")
    _add(legal, B + "RegistrationName", party.name)
    _identifier(legal, B + "CompanyID", party.legal_id)
    _add(legal, B + "CompanyLegalForm", party.legal_info)
    if party.contact is not None:
        contact = _group(node, A + "Contact")
        _add(contact, B + "Name", party.contact.name)
        _add(contact, B + "Telephone", party.contact.phone)
        _add(contact, B + "ElectronicMail", party.contact.email)


def _period(parent, period: Period | None, description_code: str = "") -> None:
    if period is not None or description_code:
        node = _group(parent, A + "InvoicePeriod")
        _date(node, B + "StartDate", period.start if period else None)
        _date(node, B + "EndDate", period.end if period else None)
        _add(node, B + "DescriptionCode", description_code)


def _allowance_charge(parent, entry: AllowanceCharge, currency: str, with_vat: bool) -> None:
    node = _group(parent, A + "AllowanceCharge")
    _add(node, B + "ChargeIndicator", "true" if entry.is_charge else "false")
    _add(node, B + "AllowanceChargeReasonCode", entry.reason_code)
    _add(node, B + "AllowanceChargeReason", entry.reason)
    _add(node, B + "MultiplierFactorNumeric", entry.percent)
    _amount(node, B + "Amount", entry.amount, currency)
    _amount(node, B + "BaseAmount", entry.base_amount, currency)
    if with_vat:
        _tax_scheme(node, A + "TaxCategory", entry.vat_category, entry.vat_rate)


def _line(parent, line: Line, currency: str, credit_note: bool) -> None:
    node = _group(parent, A + ("CreditNoteLine" if credit_note else "InvoiceLine"))
    _add(node, B + "ID", line.id)
    _add(node, B + "Note", line.note)
    quantity = "CreditedQuantity" if credit_note else "InvoicedQuantity"
    _add(node, B + quantity, line.quantity, unitCode=line.unit if line.quantity is not None else "")
    _amount(node, B + "LineExtensionAmount", line.net_amount, currency)
    _add(node, B + "AccountingCost", line.accounting_reference)
    _period(node, line.period)
    _add(_group(node, A + "OrderLineReference"), B + "LineID", line.order_line_reference)
    if line.object_id is not None:
        reference = _group(node, A + "DocumentReference")
        _identifier(reference, B + "ID", line.object_id)
        _add(reference, B + "DocumentTypeCode", "130")
    for entry in [*line.allowances, *line.charges]:
        _allowance_charge(node, entry, currency, with_vat=False)
    item = _group(node, A + "Item")
    _add(item, B + "Description", line.item_description)
    _add(item, B + "Name", line.item_name)
    _add(_group(item, A + "BuyersItemIdentification"), B + "ID", line.buyer_item_id)
    _add(_group(item, A + "SellersItemIdentification"), B + "ID", line.seller_item_id)
    _identifier(_group(item, A + "StandardItemIdentification"), B + "ID", line.standard_item_id)
    _add(_group(item, A + "OriginCountry"), B + "IdentificationCode", line.origin_country)
    for classification in line.classifications:
        _add(
            _group(item, A + "CommodityClassification"),
            B + "ItemClassificationCode",
            classification.value,
            listID=classification.scheme,
        )
    _tax_scheme(item, A + "ClassifiedTaxCategory", line.vat_category, line.vat_rate)
    for attribute in line.attributes:
        property_node = _group(item, A + "AdditionalItemProperty")
        _add(property_node, B + "Name", attribute.name)
        _add(property_node, B + "Value", attribute.value)
    price = _group(node, A + "Price")
    _amount(price, B + "PriceAmount", line.net_price, currency)
    _add(
        price,
        B + "BaseQuantity",
        line.base_quantity,
        unitCode=line.base_quantity_unit if line.base_quantity is not None else "",
    )
    if line.price_discount is not None or line.gross_price is not None:
        discount = _group(price, A + "AllowanceCharge")
        _add(discount, B + "ChargeIndicator", "false")
        _amount(discount, B + "Amount", price_discount(line), currency)
        _amount(discount, B + "BaseAmount", line.gross_price, currency)


def write_ubl(invoice: Invoice) -> bytes:
    credit_note = invoice.is_credit_note
    nsmap = {None: CREDIT_NOTE_NS if credit_note else INVOICE_NS, "cac": CAC, "cbc": CBC}
    root = etree.Element(
        f"{{{nsmap[None]}}}{'CreditNote' if credit_note else 'Invoice'}", nsmap=nsmap
    )
    currency = invoice.currency
    _add(root, B + "CustomizationID", invoice.specification_id)
    _add(root, B + "ProfileID", invoice.process_id)
    _add(root, B + "ID", invoice.number)
    _date(root, B + "IssueDate", invoice.issue_date)
    if credit_note:
        _date(root, B + "TaxPointDate", invoice.tax_point_date)
        _add(root, B + "CreditNoteTypeCode", invoice.type_code)
    else:
        _date(root, B + "DueDate", invoice.due_date)
        _add(root, B + "InvoiceTypeCode", invoice.type_code)
    for note in invoice.notes:
        _add(
            root,
            B + "Note",
            f"#{note.subject_code}#{note.text}" if note.subject_code else note.text,
        )
    if not credit_note:
        _date(root, B + "TaxPointDate", invoice.tax_point_date)
    _add(root, B + "DocumentCurrencyCode", currency)
    _add(root, B + "TaxCurrencyCode", invoice.vat_accounting_currency)
    _add(root, B + "AccountingCost", invoice.buyer_accounting_reference)
    _add(root, B + "BuyerReference", invoice.buyer_reference)
    _period(root, invoice.invoicing_period, invoice.vat_point_date_code)
    if invoice.purchase_order_reference or invoice.sales_order_reference:
        order = _group(root, A + "OrderReference")
        _add(order, B + "ID", invoice.purchase_order_reference or "NA")
        _add(order, B + "SalesOrderID", invoice.sales_order_reference)
    for preceding in invoice.preceding_invoices:
        reference = _group(_group(root, A + "BillingReference"), A + "InvoiceDocumentReference")
        _add(reference, B + "ID", preceding.number)
        _date(reference, B + "IssueDate", preceding.issue_date)
    _add(_group(root, A + "DespatchDocumentReference"), B + "ID", invoice.despatch_advice_reference)
    _add(_group(root, A + "ReceiptDocumentReference"), B + "ID", invoice.receiving_advice_reference)
    if not credit_note:
        _add(_group(root, A + "OriginatorDocumentReference"), B + "ID", invoice.tender_reference)
    _add(_group(root, A + "ContractDocumentReference"), B + "ID", invoice.contract_reference)
    if invoice.invoiced_object is not None:
        reference = _group(root, A + "AdditionalDocumentReference")
        _identifier(reference, B + "ID", invoice.invoiced_object)
        _add(reference, B + "DocumentTypeCode", "130")
    if credit_note and invoice.project_reference:
        reference = _group(root, A + "AdditionalDocumentReference")
        _add(reference, B + "ID", invoice.project_reference)
        _add(reference, B + "DocumentTypeCode", "50")
    for attachment in invoice.attachments:
        reference = _group(root, A + "AdditionalDocumentReference")
        _add(reference, B + "ID", attachment.reference)
        _add(reference, B + "DocumentDescription", attachment.description)
        embedded = _group(reference, A + "Attachment")
        _add(
            embedded,
            B + "EmbeddedDocumentBinaryObject",
            attachment.content,
            mimeCode=attachment.mime_code,
            filename=attachment.filename,
            keep_empty=True,
        )
        _add(_group(embedded, A + "ExternalReference"), B + "URI", attachment.uri)
    if credit_note:
        _add(_group(root, A + "OriginatorDocumentReference"), B + "ID", invoice.tender_reference)
    elif invoice.project_reference:
        _add(_group(root, A + "ProjectReference"), B + "ID", invoice.project_reference)
    debit = invoice.payment.direct_debit if invoice.payment else None
    creditor = debit.creditor_id if debit else ""
    _party(
        root,
        A + "AccountingSupplierParty",
        invoice.seller,
        creditor if invoice.payee is None else "",
    )
    _party(root, A + "AccountingCustomerParty", invoice.buyer)
    if invoice.payee is not None:
        payee = _group(root, A + "PayeeParty")
        _identifier(_group(payee, A + "PartyIdentification"), B + "ID", invoice.payee.identifier)
        if creditor:
            _add(
                _group(payee, A + "PartyIdentification"),
                B + "ID",
                creditor,
                schemeID=CREDITOR_SCHEME,
            )
        _add(_group(payee, A + "PartyName"), B + "Name", invoice.payee.name)
        _identifier(_group(payee, A + "PartyLegalEntity"), B + "CompanyID", invoice.payee.legal_id)
    if invoice.tax_representative is not None:
        representative = _group(root, A + "TaxRepresentativeParty")
        _add(_group(representative, A + "PartyName"), B + "Name", invoice.tax_representative.name)
        _address(representative, A + "PostalAddress", invoice.tax_representative.address)
        tax = _group(representative, A + "PartyTaxScheme")
        _add(tax, B + "CompanyID", invoice.tax_representative.vat_id)
        _add(_group(tax, A + "TaxScheme"), B + "ID", "VAT")
    if invoice.delivery is not None:
        delivery = _group(root, A + "Delivery")
        _date(delivery, B + "ActualDeliveryDate", invoice.delivery.date)
        location = _group(delivery, A + "DeliveryLocation")
        _identifier(location, B + "ID", invoice.delivery.location_id)
        _address(location, A + "Address", invoice.delivery.address)
        _add(
            _group(_group(delivery, A + "DeliveryParty"), A + "PartyName"),
            B + "Name",
            invoice.delivery.party_name,
        )
    _payment_means(root, invoice, credit_note)
    _add(_group(root, A + "PaymentTerms"), B + "Note", invoice.payment_terms)
    for entry in [*invoice.allowances, *invoice.charges]:
        _allowance_charge(root, entry, currency, with_vat=True)
    tax_total = _group(root, A + "TaxTotal")
    _amount(tax_total, B + "TaxAmount", vat_total(invoice), currency)
    for vat in invoice.vat_breakdown:
        subtotal = _group(tax_total, A + "TaxSubtotal")
        _amount(subtotal, B + "TaxableAmount", vat.taxable_amount, currency)
        _amount(subtotal, B + "TaxAmount", vat.tax_amount, currency)
        _tax_scheme(
            subtotal,
            A + "TaxCategory",
            vat.category,
            vat.rate,
            vat.exemption_code,
            vat.exemption_reason,
        )
    if invoice.totals.vat_total_accounting is not None:
        _amount(
            _group(root, A + "TaxTotal"),
            B + "TaxAmount",
            invoice.totals.vat_total_accounting,
            invoice.vat_accounting_currency,
        )
    totals = invoice.totals
    monetary = _group(root, A + "LegalMonetaryTotal")
    for tag, value in (
        ("LineExtensionAmount", totals.line_total),
        ("TaxExclusiveAmount", totals.tax_exclusive),
        ("TaxInclusiveAmount", totals.tax_inclusive),
        ("AllowanceTotalAmount", totals.allowance_total),
        ("ChargeTotalAmount", totals.charge_total),
        ("PrepaidAmount", totals.prepaid),
        ("PayableRoundingAmount", totals.rounding),
        ("PayableAmount", totals.payable),
    ):
        _amount(monetary, B + tag, value, currency)
    for line in invoice.lines:
        _line(root, line, currency, credit_note)
    _prune(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _payment_means(root, invoice: Invoice, credit_note: bool) -> None:
    """BG-16; on a credit note it also carries the due date (BT-9), which UBL's CreditNote has
    no other place for: with no payment instructions, the means code is then « 1 » (not
    defined), which the reader undoes."""
    due_date = invoice.due_date if credit_note else None
    payment = invoice.payment
    if payment is None:
        if due_date is None:
            return
        payment = PaymentInstructions(means_code=UNDEFINED_MEANS)
    debit = payment.direct_debit
    for index, transfer in enumerate(payment.credit_transfers or [None]):
        means = _group(root, A + "PaymentMeans")
        _add(means, B + "PaymentMeansCode", payment.means_code, name=payment.means_text)
        if index == 0:
            _date(means, B + "PaymentDueDate", due_date)
        _add(means, B + "PaymentID", payment.remittance_information)
        if index == 0 and payment.card is not None:
            card = _group(means, A + "CardAccount")
            _add(card, B + "PrimaryAccountNumberID", payment.card.primary_account)
            _add(card, B + "NetworkID", "NA")
            _add(card, B + "HolderName", payment.card.holder)
        if transfer is not None:
            account = _group(means, A + "PayeeFinancialAccount")
            _add(account, B + "ID", transfer.account_id)
            _add(account, B + "Name", transfer.account_name)
            _add(_group(account, A + "FinancialInstitutionBranch"), B + "ID", transfer.provider_id)
        if index == 0 and debit is not None and (debit.mandate_reference or debit.debited_account):
            mandate = _group(means, A + "PaymentMandate")
            _add(mandate, B + "ID", debit.mandate_reference)
            _add(_group(mandate, A + "PayerFinancialAccount"), B + "ID", debit.debited_account)
