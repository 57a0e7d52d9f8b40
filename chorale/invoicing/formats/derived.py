"""Terms a syntax's schema makes mandatory where the semantic model allows them to be absent;
the writers then derive them from the rules of EN 16931, so that what they write always passes
the official XSD.

- UBL: a gross price (BT-148) travels in `Price/AllowanceCharge`, whose `Amount` (BT-147) is
  required: BT-147 = BT-148 - BT-146.
- CII: a price discount (BT-147) travels inside `GrossPriceProductTradePrice`, whose
  `ChargeAmount` (BT-148) is required: BT-148 = BT-146 + BT-147.
- UBL: the VAT breakdown (BG-23) travels in `TaxTotal`, whose `TaxAmount` (BT-110) is required:
  BT-110 = Σ BT-117 (BR-CO-14).
"""

from decimal import Decimal

from ..model import Invoice, Line


def price_discount(line: Line) -> Decimal | None:
    if line.price_discount is None and None not in (line.gross_price, line.net_price):
        return line.gross_price - line.net_price
    return line.price_discount


def gross_price(line: Line) -> Decimal | None:
    if line.gross_price is None and None not in (line.price_discount, line.net_price):
        return line.net_price + line.price_discount
    return line.gross_price


def vat_total(invoice: Invoice) -> Decimal | None:
    if invoice.totals.vat_total is None and invoice.vat_breakdown:
        return sum((v.tax_amount or Decimal(0) for v in invoice.vat_breakdown), Decimal(0))
    return invoice.totals.vat_total
