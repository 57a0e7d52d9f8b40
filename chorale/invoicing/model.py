"""The canonical invoice: the EN 16931 semantic model (business groups BG-*, terms BT-*).

Every syntax is read into these plain classes and written from them. Amounts and quantities are
Decimals as written in the file (no rounding), dates are `datetime.date`, codes stay as given.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(slots=True)
class Identifier:
    value: str
    scheme: str = ""  # scheme identifier (ISO 6523 ICD, EAS, …)


@dataclass(slots=True)
class Address:  # BG-5 seller, BG-8 buyer, BG-12 tax representative, BG-15 deliver to
    line1: str = ""  # BT-35
    line2: str = ""  # BT-36
    line3: str = ""  # BT-162
    city: str = ""  # BT-37
    postal_code: str = ""  # BT-38
    subdivision: str = ""  # BT-39
    country: str = ""  # BT-40 (ISO 3166-1 alpha-2)
    # Whether a read file writes the country element, even empty (BR-CL-14 then judges it, as
    # the official rules do). False for an address built in Chorale, whose writer omits it.
    country_given: bool = field(default=False, compare=False, repr=False)


@dataclass(slots=True)
class Contact:  # BG-6 seller, BG-9 buyer
    name: str = ""  # BT-41 / BT-56
    phone: str = ""  # BT-42 / BT-57
    email: str = ""  # BT-43 / BT-58


@dataclass(slots=True)
class Party:  # BG-4 seller, BG-7 buyer
    name: str = ""  # BT-27 / BT-44
    trading_name: str = ""  # BT-28 / BT-45
    identifiers: list[Identifier] = field(default_factory=list)  # BT-29 / BT-46
    legal_id: Identifier | None = None  # BT-30 / BT-47
    vat_id: str = ""  # BT-31 / BT-48
    tax_registration_id: str = ""  # BT-32 (seller only)
    legal_info: str = ""  # BT-33 (seller only)
    electronic_address: Identifier | None = None  # BT-34 / BT-49
    address: Address | None = field(default_factory=Address)  # BG-5 / BG-8; None: not given
    contact: Contact | None = None
    # Whether the file has the party's group at all (BR-CO-26 judges only a seller that is
    # there). True for an invoice built in Chorale.
    given: bool = field(default=True, compare=False, repr=False)


@dataclass(slots=True)
class Payee:  # BG-10
    name: str = ""  # BT-59
    identifier: Identifier | None = None  # BT-60
    legal_id: Identifier | None = None  # BT-61


@dataclass(slots=True)
class TaxRepresentative:  # BG-11
    name: str = ""  # BT-62
    vat_id: str = ""  # BT-63
    address: Address | None = field(default_factory=Address)  # BG-12; None: not given


@dataclass(slots=True)
class Delivery:  # BG-13
    party_name: str = ""  # BT-70
    location_id: Identifier | None = None  # BT-71
    date: datetime.date | None = None  # BT-72
    address: Address | None = None  # BG-15


@dataclass(slots=True)
class Period:  # BG-14 invoicing period, BG-26 line period
    start: datetime.date | None = None  # BT-73 / BT-134
    end: datetime.date | None = None  # BT-74 / BT-135


@dataclass(slots=True)
class CreditTransfer:  # BG-17
    account_id: str = ""  # BT-84
    account_name: str = ""  # BT-85
    provider_id: str = ""  # BT-86


@dataclass(slots=True)
class PaymentCard:  # BG-18
    primary_account: str = ""  # BT-87
    holder: str = ""  # BT-88


@dataclass(slots=True)
class DirectDebit:  # BG-19
    mandate_reference: str = ""  # BT-89
    creditor_id: str = ""  # BT-90
    debited_account: str = ""  # BT-91


@dataclass(slots=True)
class PaymentInstructions:  # BG-16
    means_code: str = ""  # BT-81
    means_text: str = ""  # BT-82
    remittance_information: str = ""  # BT-83
    credit_transfers: list[CreditTransfer] = field(default_factory=list)
    card: PaymentCard | None = None
    direct_debit: DirectDebit | None = None
    # Read from a file: the payment means groups (by position) without a BT-81 element, each
    # of which breaks BR-49 (None: built in memory, judged by what the writers would write).
    uncoded: tuple[int, ...] | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class AllowanceCharge:  # BG-20 / BG-21 document level, BG-27 / BG-28 line level
    is_charge: bool
    amount: Decimal | None = None  # BT-92 / BT-99 / BT-136 / BT-141
    base_amount: Decimal | None = None  # BT-93 / BT-100 / BT-137 / BT-142
    percent: Decimal | None = None  # BT-94 / BT-101 / BT-138 / BT-143
    vat_category: str = ""  # BT-95 / BT-102 (document level)
    vat_rate: Decimal | None = None  # BT-96 / BT-103 (document level)
    reason: str = ""  # BT-97 / BT-104 / BT-139 / BT-144
    reason_code: str = ""  # BT-98 / BT-105 / BT-140 / BT-145


@dataclass(slots=True)
class Totals:  # BG-22
    line_total: Decimal | None = None  # BT-106
    allowance_total: Decimal | None = None  # BT-107
    charge_total: Decimal | None = None  # BT-108
    tax_exclusive: Decimal | None = None  # BT-109
    vat_total: Decimal | None = None  # BT-110
    vat_total_accounting: Decimal | None = None  # BT-111
    tax_inclusive: Decimal | None = None  # BT-112
    prepaid: Decimal | None = None  # BT-113
    rounding: Decimal | None = None  # BT-114
    payable: Decimal | None = None  # BT-115
    # Whether the file has the group at all (an empty one included): the official rules on the
    # totals judge only a group that is there. True for an invoice built in Chorale.
    given: bool = field(default=True, compare=False, repr=False)
    # The currencyID BT-110 is written with in a CII file (None: BT-5, as Chorale writes it),
    # and how many VAT totals the file gives in BT-5 (BR-CO-15 asks for exactly one).
    vat_total_currency: str | None = field(default=None, compare=False, repr=False)
    vat_total_count: int = field(default=1, compare=False, repr=False)


@dataclass(slots=True)
class VatBreakdown:  # BG-23
    taxable_amount: Decimal | None = None  # BT-116
    tax_amount: Decimal | None = None  # BT-117
    category: str = ""  # BT-118
    rate: Decimal | None = None  # BT-119
    exemption_reason: str = ""  # BT-120
    exemption_code: str = ""  # BT-121


@dataclass(slots=True)
class Attachment:  # BG-24
    reference: str = ""  # BT-122
    description: str = ""  # BT-123
    uri: str = ""  # BT-124
    content: str = ""  # BT-125, base64 as written
    mime_code: str = ""  # BT-125-1
    filename: str = ""  # BT-125-2


@dataclass(slots=True)
class ItemAttribute:  # BG-32
    name: str  # BT-160
    value: str  # BT-161


@dataclass(slots=True)
class Line:  # BG-25
    id: str = ""  # BT-126
    note: str = ""  # BT-127
    object_id: Identifier | None = None  # BT-128
    quantity: Decimal | None = None  # BT-129
    unit: str = ""  # BT-130
    net_amount: Decimal | None = None  # BT-131
    order_line_reference: str = ""  # BT-132
    accounting_reference: str = ""  # BT-133
    period: Period | None = None  # BG-26
    allowances: list[AllowanceCharge] = field(default_factory=list)  # BG-27
    charges: list[AllowanceCharge] = field(default_factory=list)  # BG-28
    net_price: Decimal | None = None  # BT-146
    price_discount: Decimal | None = None  # BT-147
    gross_price: Decimal | None = None  # BT-148
    base_quantity: Decimal | None = None  # BT-149
    base_quantity_unit: str = ""  # BT-150
    vat_category: str = ""  # BT-151
    vat_rate: Decimal | None = None  # BT-152
    item_name: str = ""  # BT-153
    item_description: str = ""  # BT-154
    seller_item_id: str = ""  # BT-155
    buyer_item_id: str = ""  # BT-156
    standard_item_id: Identifier | None = None  # BT-157
    classifications: list[Identifier] = field(default_factory=list)  # BT-158 (scheme = list id)
    origin_country: str = ""  # BT-159
    attributes: list[ItemAttribute] = field(default_factory=list)  # BG-32


@dataclass(slots=True)
class Note:  # BG-1
    text: str  # BT-22
    subject_code: str = ""  # BT-21


@dataclass(slots=True)
class PrecedingInvoice:  # BG-3
    number: str  # BT-25
    issue_date: datetime.date | None = None  # BT-26


@dataclass(slots=True)
class Invoice:
    number: str = ""  # BT-1
    issue_date: datetime.date | None = None  # BT-2
    type_code: str = ""  # BT-3
    currency: str = ""  # BT-5
    vat_accounting_currency: str = ""  # BT-6
    tax_point_date: datetime.date | None = None  # BT-7
    vat_point_date_code: str = ""  # BT-8
    due_date: datetime.date | None = None  # BT-9
    buyer_reference: str = ""  # BT-10
    project_reference: str = ""  # BT-11
    contract_reference: str = ""  # BT-12
    purchase_order_reference: str = ""  # BT-13
    sales_order_reference: str = ""  # BT-14
    receiving_advice_reference: str = ""  # BT-15
    despatch_advice_reference: str = ""  # BT-16
    tender_reference: str = ""  # BT-17
    invoiced_object: Identifier | None = None  # BT-18
    buyer_accounting_reference: str = ""  # BT-19
    payment_terms: str = ""  # BT-20
    notes: list[Note] = field(default_factory=list)  # BG-1
    process_id: str = ""  # BT-23
    specification_id: str = ""  # BT-24
    preceding_invoices: list[PrecedingInvoice] = field(default_factory=list)  # BG-3
    seller: Party = field(default_factory=Party)  # BG-4
    buyer: Party = field(default_factory=Party)  # BG-7
    payee: Payee | None = None  # BG-10
    tax_representative: TaxRepresentative | None = None  # BG-11
    delivery: Delivery | None = None  # BG-13
    invoicing_period: Period | None = None  # BG-14
    payment: PaymentInstructions | None = None  # BG-16
    allowances: list[AllowanceCharge] = field(default_factory=list)  # BG-20
    charges: list[AllowanceCharge] = field(default_factory=list)  # BG-21
    totals: Totals = field(default_factory=Totals)  # BG-22
    vat_breakdown: list[VatBreakdown] = field(default_factory=list)  # BG-23
    attachments: list[Attachment] = field(default_factory=list)  # BG-24
    lines: list[Line] = field(default_factory=list)  # BG-25
    # Values present in the file but unreadable (not a number, not a date): (term, code, message).
    reading_problems: list[Any] = field(default_factory=list, compare=False, repr=False)
    # The syntax it was read from ("CII", "UBL"), where the official rules differ by syntax.
    source_syntax: str = field(default="", compare=False, repr=False)
    # Whether the CEN CII rule set judges it (a CII invoice foreign to Factur-X), where a few
    # rules have another context than in the Factur-X rule sets (set by the native engine).
    judged_by_cen_cii: bool = field(default=False, compare=False, repr=False)

    @property
    def is_credit_note(self) -> bool:
        return self.type_code in CREDIT_NOTE_TYPES


# UNTDID 1001 codes of credit notes in EN 16931 (381 credit note, 396 factored, 532, 261, 262…).
CREDIT_NOTE_TYPES = {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
