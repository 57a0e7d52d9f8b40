"""Read UBL 2.1 Invoice and CreditNote into the canonical invoice (EN 16931 UBL binding)."""

import re

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

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS = {"cac": CAC, "cbc": CBC}
SYNTAX = Syntax(NS, compact_dates=False, binding=binding.UBL)
UNDEFINED_MEANS = "1"  # written only to carry a credit note's due date (see ubl_writer)
CREDITOR_SCHEME = "SEPA"  # BT-90 travels as a party identifier with this scheme
NOTE_SUBJECT = re.compile(r"^#([A-Z]{3})#(.*)$", re.DOTALL)  # BT-21 as « #AAI#text »


def _Node(branch) -> Node:
    return node_of(branch, SYNTAX)


_ITEM = "cac:Item/"


def _address(node: _Node) -> Address | None:
    """The address, empty when the element is there without content; None when absent."""
    if not node:
        return None
    return Address(
        **binding.ADDRESS.read(node),
        country_given=bool(node.one("cac:Country/cbc:IdentificationCode")),
    )


def _party(node: _Node) -> tuple[Party, str]:
    """The party, and the SEPA creditor identifier (BT-90) when it carries one."""
    creditor = ""
    identifiers = []
    for item in node.all("cac:PartyIdentification/cbc:ID"):
        scheme = (item.element.get("schemeID") or "").strip()
        if scheme == CREDITOR_SCHEME:
            creditor = item.text()
        elif item.text():
            identifiers.append(Identifier(item.text(), scheme))
    vat_id = tax_registration = ""
    for scheme in node.all("cac:PartyTaxScheme"):
        if scheme.text("cac:TaxScheme/cbc:ID") == "VAT":
            vat_id = scheme.text("cbc:CompanyID")
        else:
            tax_registration = scheme.text("cbc:CompanyID")
    contact = Contact(
        name=node.text("cac:Contact/cbc:Name"),
        phone=node.text("cac:Contact/cbc:Telephone"),
        email=node.text("cac:Contact/cbc:ElectronicMail"),
    )
    party = Party(
        name=node.text("cac:PartyLegalEntity/cbc:RegistrationName"),
        trading_name=node.text("cac:PartyName/cbc:Name"),
        identifiers=identifiers,
        legal_id=node.identifier("cac:PartyLegalEntity/cbc:CompanyID"),
        vat_id=vat_id,
        tax_registration_id=tax_registration,
        legal_info=node.text("cac:PartyLegalEntity/cbc:CompanyLegalForm"),
        electronic_address=node.identifier("cbc:EndpointID"),
        address=_address(node.one("cac:PostalAddress")),
        contact=contact if contact != Contact() else None,
        given=bool(node),
    )
    return party, creditor


def _allowance_charge(node: _Node, where: str, with_vat: bool) -> AllowanceCharge:
    return AllowanceCharge(
        is_charge=node.text("cbc:ChargeIndicator").lower() == "true",
        **binding.ALLOWANCE.read(node, f"{where} "),
        **(binding.ALLOWANCE_VAT.read(node, f"{where} ") if with_vat else {}),
    )


def _period(node: _Node, term: str) -> Period | None:
    return Period(**binding.PERIOD.read(node, f"{term} ")) if node else None


def _line(node: _Node, quantity_tag: str) -> Line:
    where = f"Ligne {node.text('cbc:ID') or '?'}"
    allowances, charges = binding.split(
        [
            _allowance_charge(item, f"{where}, {binding.LINE_ALLOWANCE}", with_vat=False)
            for item in node.all("cac:AllowanceCharge")
        ]
    )
    object_id = None
    for reference in node.all("cac:DocumentReference"):
        if reference.text("cbc:DocumentTypeCode") == "130":
            object_id = reference.identifier("cbc:ID")
    return Line(
        **binding.LINE.read(node, f"{where} "),
        object_id=object_id,
        quantity=node.decimal(f"cbc:{quantity_tag}", f"{where} {binding.LINE.label('quantity')}"),
        unit=node.attr(f"cbc:{quantity_tag}", "unitCode"),
        period=_period(node.one("cac:InvoicePeriod"), f"{where} {binding.LINE_PERIOD}"),
        allowances=allowances,
        charges=charges,
        classifications=binding.listed(
            node.all(_ITEM + "cac:CommodityClassification/cbc:ItemClassificationCode"), "listID"
        ),
        attributes=[
            ItemAttribute(a.text("cbc:Name"), a.text("cbc:Value"))
            for a in node.all(_ITEM + "cac:AdditionalItemProperty")
        ],
    )


def _payment(doc: _Node, creditor: str) -> PaymentInstructions | None:
    means = doc.all("cac:PaymentMeans")
    if not (means or creditor):
        return None
    only_due_date = (
        len(means) == 1
        and not creditor
        and means[0].text("cbc:PaymentMeansCode") == UNDEFINED_MEANS
        and len(means[0].element) == 2
        and bool(means[0].text("cbc:PaymentDueDate"))
    )
    if only_due_date:
        return None
    first = means[0] if means else _Node(None)
    transfers, card, mandate, debited = [], None, "", ""
    for item in means:
        account = item.one("cac:PayeeFinancialAccount")
        if account:
            transfers.append(
                CreditTransfer(
                    account_id=account.text("cbc:ID"),
                    account_name=account.text("cbc:Name"),
                    provider_id=account.text("cac:FinancialInstitutionBranch/cbc:ID"),
                )
            )
        card_node = item.one("cac:CardAccount")
        if card_node:
            card = PaymentCard(
                card_node.text("cbc:PrimaryAccountNumberID"), card_node.text("cbc:HolderName")
            )
        mandate = mandate or item.text("cac:PaymentMandate/cbc:ID")
        debited = debited or item.text("cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID")
    return PaymentInstructions(
        means_code=first.text("cbc:PaymentMeansCode"),
        means_text=first.attr("cbc:PaymentMeansCode", "name"),
        remittance_information=first.text("cbc:PaymentID"),
        credit_transfers=transfers,
        card=card,
        direct_debit=DirectDebit(mandate, creditor, debited)
        if (mandate or creditor or debited)
        else None,
        uncoded=tuple(n for n, item in enumerate(means, 1) if not item.one("cbc:PaymentMeansCode")),
    )


def _lines(doc: _Node, credit_note: bool) -> list[Line]:
    """The lines; a credit note's cac:InvoiceLine is read too, as the official rules judge
    `cac:InvoiceLine | cac:CreditNoteLine` whatever the root."""
    lines = [_line(n, "InvoicedQuantity") for n in doc.all("cac:InvoiceLine")]
    if credit_note:
        lines += [_line(n, "CreditedQuantity") for n in doc.all("cac:CreditNoteLine")]
    return lines


def _vat_id(party: _Node) -> str:
    """The VAT identifier: the CompanyID of the PartyTaxScheme whose TaxScheme is VAT."""
    for scheme in party.all("cac:PartyTaxScheme"):
        if scheme.text("cac:TaxScheme/cbc:ID") == "VAT":
            return scheme.text("cbc:CompanyID")
    return ""


def _purchase_order(doc: _Node) -> str:
    """BT-13. UBL requires an order ID beside a sales order reference (BT-14); « NA » (the
    Peppol convention, which Chorale writes) or an empty one stands for no purchase order."""
    value = doc.text("cac:OrderReference/cbc:ID")
    return "" if value == "NA" and doc.text("cac:OrderReference/cbc:SalesOrderID") else value


def read_ubl(document: "etree._Element | Tree") -> Invoice:
    """The invoice a parsed document holds (its root element, or its `Tree` when the caller
    has already walked it)."""
    tree = document if isinstance(document, Tree) else Tree(document)
    root = tree.root.element
    doc = _Node(tree.root)
    credit_note = etree.QName(root).localname == "CreditNote"
    period = doc.one("cac:InvoicePeriod")
    seller, seller_creditor = _party(doc.one("cac:AccountingSupplierParty/cac:Party"))
    buyer, _ = _party(doc.one("cac:AccountingCustomerParty/cac:Party"))
    payee_node = doc.one("cac:PayeeParty")
    payee_creditor = ""
    for item in payee_node.all("cac:PartyIdentification/cbc:ID"):
        if (item.element.get("schemeID") or "").strip() == CREDITOR_SCHEME:
            payee_creditor = item.text()
    due_path = "cac:PaymentMeans/cbc:PaymentDueDate" if credit_note else "cbc:DueDate"
    notes = []
    for note in doc.all("cbc:Note"):
        match = NOTE_SUBJECT.match(note.text())
        notes.append(Note(match.group(2).strip(), match.group(1)) if match else Note(note.text()))
    invoice = Invoice(
        **binding.INVOICE.read(doc),
        type_code=doc.text("cbc:CreditNoteTypeCode" if credit_note else "cbc:InvoiceTypeCode"),
        vat_point_date_code=period.text("cbc:DescriptionCode"),
        due_date=doc.date(due_path, binding.INVOICE.label("due_date")),
        purchase_order_reference=_purchase_order(doc),
        notes=notes,
        preceding_invoices=[
            PrecedingInvoice(r.text("cbc:ID"), r.date("cbc:IssueDate", binding.PRECEDING_DATE))
            for r in (
                b.one("cac:InvoiceDocumentReference") for b in doc.all("cac:BillingReference")
            )
        ],
        seller=seller,
        buyer=buyer,
        invoicing_period=_period(period, binding.INVOICING_PERIOD),
        payment=_payment(doc, payee_creditor or seller_creditor),
        lines=_lines(doc, credit_note),
    )
    if payee_node:
        identifiers = [
            i for i in payee_node.all("cac:PartyIdentification/cbc:ID")
            if (i.element.get("schemeID") or "").strip() != CREDITOR_SCHEME
        ]  # fmt: skip
        invoice.payee = Payee(
            name=payee_node.text("cac:PartyName/cbc:Name"),
            identifier=Identifier(identifiers[0].text(), identifiers[0].element.get("schemeID", ""))
            if identifiers
            else None,
            legal_id=payee_node.identifier("cac:PartyLegalEntity/cbc:CompanyID"),
        )
    representative = doc.one("cac:TaxRepresentativeParty")
    if representative:
        invoice.tax_representative = TaxRepresentative(
            name=representative.text("cac:PartyName/cbc:Name"),
            vat_id=_vat_id(representative),
            address=_address(representative.one("cac:PostalAddress")),
        )
    delivery_node = doc.one("cac:Delivery")
    address_node = delivery_node.one("cac:DeliveryLocation/cac:Address")
    delivery = Delivery(
        party_name=delivery_node.text("cac:DeliveryParty/cac:PartyName/cbc:Name"),
        location_id=delivery_node.identifier("cac:DeliveryLocation/cbc:ID"),
        date=delivery_node.date("cbc:ActualDeliveryDate", binding.DELIVERY_DATE),
        address=_address(address_node),
    )
    invoice.delivery = delivery if delivery != Delivery() else None
    for reference in doc.all("cac:AdditionalDocumentReference"):
        code = reference.text("cbc:DocumentTypeCode")
        if code == "130":
            invoice.invoiced_object = reference.identifier("cbc:ID")
        elif code == "50" and credit_note:
            invoice.project_reference = reference.text("cbc:ID")
        else:
            invoice.attachments.append(Attachment(**binding.ATTACHMENT.read(reference)))
    invoice.allowances, invoice.charges = binding.split(
        [
            _allowance_charge(item, binding.DOCUMENT_ALLOWANCE, with_vat=True)
            for item in doc.all("cac:AllowanceCharge")
        ]
    )
    vat_totals, in_invoice_currency = {}, 0
    for total in doc.all("cac:TaxTotal"):
        amount = total.decimal("cbc:TaxAmount", binding.VAT_TOTAL)
        currency = total.attr("cbc:TaxAmount", "currencyID")
        in_invoice_currency += bool(total.one("cbc:TaxAmount")) and currency == invoice.currency
        vat_totals.setdefault(currency, amount)  # the first
        for subtotal in total.all("cac:TaxSubtotal"):
            invoice.vat_breakdown.append(VatBreakdown(**binding.VAT_BREAKDOWN.read(subtotal)))
    vat_total = vat_totals.get(invoice.currency)
    if vat_total is None and len(vat_totals) == 1 and not invoice.vat_accounting_currency:
        vat_total = next(iter(vat_totals.values()))
    monetary = doc.one("cac:LegalMonetaryTotal")
    invoice.totals = Totals(
        **binding.TOTALS.read(monetary),
        vat_total=vat_total,
        vat_total_accounting=vat_totals.get(invoice.vat_accounting_currency)
        if invoice.vat_accounting_currency and invoice.vat_accounting_currency != invoice.currency
        else None,
        given=bool(monetary),
        vat_total_count=in_invoice_currency,
    )
    invoice.source_syntax = "UBL"
    return invoice
