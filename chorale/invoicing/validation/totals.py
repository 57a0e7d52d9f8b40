"""EN 16931 calculation rules (BR-CO-10 to 17): totals that must add up, judged as the official
rules judge them. Those rules compare the amounts as written with sums rounded by XPath's
`round()`, and a missing amount makes the equality false: a total that is absent while the rule
needs it breaks the rule, beside the presence rule (BR-12…BR-15). The rules on the totals group
(BG-22) judge only a group the file has."""

from collections.abc import Iterable
from decimal import ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import overload

from ..model import AllowanceCharge, Invoice, VatBreakdown
from .engine import RuleSet, whole

RULES = RuleSet()

HALF = Decimal("0.5")
UNITS = {0: Decimal(1), 2: Decimal("0.01")}


ZERO = Decimal(0)


def _sum(values: Iterable[Decimal | None]) -> Decimal:  # (a list: no generator)
    return sum([v for v in values if v is not None], ZERO)


@overload
def xround(value: Decimal, places: int = 2) -> Decimal: ...
@overload
def xround(value: None, places: int = 2) -> None: ...
@overload
def xround(value: Decimal | None, places: int = 2) -> Decimal | None: ...
def xround(value: Decimal | None, places: int = 2) -> Decimal | None:
    """XPath's `round()` to `places` decimals (« round(x * 100) div 100 »): to the nearest,
    halves toward positive infinity (round(-2.5) is -2); None stays None."""
    if value is None:
        return None
    unit = UNITS[places]
    try:  # halves up above zero, toward zero below it: toward positive infinity either way
        return value.quantize(unit, rounding=ROUND_HALF_UP if value >= 0 else ROUND_HALF_DOWN)
    except InvalidOperation:  # more digits than the context holds: the long way
        return (value / unit + HALF).to_integral_value(rounding=ROUND_FLOOR) * unit


CEN_CII_CLAIMED = ("L", "M", "O")  # VAT breakdown categories with their own CEN CII rule


def _cii(invoice: Invoice) -> bool:
    return invoice.source_syntax == "CII"


@RULES.rule(
    "BR-CO-10",
    "BT-106",
    "La somme des montants nets des lignes (BT-106) doit égaler la somme des BT-131.",
)
def br_co_10(invoice: Invoice) -> Iterable[str]:
    t = invoice.totals
    expected = xround(_sum([line.net_amount for line in invoice.lines]))
    return whole(t.given and t.line_total != expected)


def _document_level(
    invoice: Invoice, total: Decimal | None, entries: list[AllowanceCharge], rounded: bool
) -> list[str]:
    """BR-CO-11 / BR-CO-12: the total equals the rounded sum of the document-level entries,
    and is absent only when there is none of them."""
    if not invoice.totals.given or (total is None and not entries):
        return []
    value = xround(total) if rounded else total
    return whole(value != xround(_sum([e.amount for e in entries])))


@RULES.rule(
    "BR-CO-11",
    "BT-107",
    "Le total des remises (BT-107) doit égaler la somme des remises du document (BT-92).",
)
def br_co_11(invoice: Invoice) -> Iterable[str]:
    return _document_level(invoice, invoice.totals.allowance_total, invoice.allowances, False)


@RULES.rule(
    "BR-CO-12",
    "BT-108",
    "Le total des charges (BT-108) doit égaler la somme des charges du document (BT-99).",
)
def br_co_12(invoice: Invoice) -> Iterable[str]:
    # The CII rule rounds the total itself too.
    return _document_level(invoice, invoice.totals.charge_total, invoice.charges, _cii(invoice))


@RULES.rule("BR-CO-13", "BT-109", "Le total HT (BT-109) doit égaler BT-106 - BT-107 + BT-108.")
def br_co_13(invoice: Invoice) -> Iterable[str]:
    t = invoice.totals
    if not t.given:
        return []
    if t.line_total is None:
        return whole(True)
    expected = t.line_total - (t.allowance_total or 0) + (t.charge_total or 0)
    plain = t.allowance_total is None and t.charge_total is None and not _cii(invoice)
    return whole(t.tax_exclusive != (expected if plain else xround(expected)))


@RULES.rule(
    "BR-CO-14",
    "BT-110",
    "Le total de TVA (BT-110) doit égaler la somme des montants de TVA par catégorie (BT-117).",
)
def br_co_14(invoice: Invoice) -> Iterable[str]:
    total, breakdown = invoice.totals.vat_total, invoice.vat_breakdown
    expected = xround(_sum([v.tax_amount for v in breakdown]))
    if _cii(invoice):  # each total in the invoice currency, when there is one
        totals = [total]
        if invoice.vat_accounting_currency == invoice.currency:  # BT-6 the same as BT-5
            totals.append(invoice.totals.vat_total_accounting)
        written_in = invoice.totals.vat_total_currency
        if written_in is not None and written_in != invoice.currency:
            totals = totals[1:]  # judged only with a currencyID naming BT-5
        held = all(t is None or t == expected for t in totals)
        return whole(invoice.currency != "" and not held)
    return whole(bool(breakdown) and total != expected)  # UBL: a VAT total with its breakdown


@RULES.rule("BR-CO-15", "BT-112", "Le total TTC (BT-112) doit égaler BT-109 + BT-110.")
def br_co_15(invoice: Invoice) -> Iterable[str]:
    t = invoice.totals
    # The Factur-X CII rule judges only a document with its totals group; the CEN CII one,
    # every document.
    if not invoice.currency or (_cii(invoice) and not t.given and not invoice.judged_by_cen_cii):
        return []
    # One VAT total in the invoice currency, added to BT-109; the CII rule also accepts a
    # total with VAT equal to the total without.
    summed = (
        t.tax_exclusive + t.vat_total
        if t.tax_exclusive is not None and t.vat_total is not None
        else None
    )
    held = t.vat_total_count == 1 and summed is not None and t.tax_inclusive == xround(summed)
    if _cii(invoice):
        held = held or (t.tax_inclusive is not None and t.tax_inclusive == t.tax_exclusive)
    return whole(not held)


@RULES.rule(
    "BR-CO-16", "BT-115", "Le montant à payer (BT-115) doit égaler BT-112 - BT-113 + BT-114."
)
def br_co_16(invoice: Invoice) -> Iterable[str]:
    t = invoice.totals
    if not t.given:
        return []
    if t.payable is None or t.tax_inclusive is None:
        return whole(True)
    if _cii(invoice):
        return whole(t.payable != t.tax_inclusive - (t.prepaid or 0) + (t.rounding or 0))
    # UBL: each side rounded when it is a difference.
    paid = t.payable if t.rounding is None else xround(t.payable - t.rounding)
    due = t.tax_inclusive if t.prepaid is None else xround(t.tax_inclusive - t.prepaid)
    return whole(paid != due)


@RULES.rule(
    "BR-CO-17",
    "BT-117",
    "Le montant de TVA d'une ventilation (BT-117) doit égaler sa base imposable (BT-116) "
    "multipliée par son taux (BT-119), à une unité près.",
)
def br_co_17(invoice: Invoice) -> Iterable[str]:
    margin_included = _cii(invoice)  # the CII rule says ≤ 1, the UBL one < 1
    # The CEN CII rule set judges a breakdown of category L, M or O by that category's rules
    # alone (one pattern: the first rule matching a node judges it).
    claimed = CEN_CII_CLAIMED if invoice.judged_by_cen_cii else ()
    return [
        f"ventilation {vat.category} {vat.rate}"
        for vat in invoice.vat_breakdown
        if vat.category not in claimed and not _vat_amount_holds(vat, margin_included)
    ]


def _vat_amount_holds(vat: VatBreakdown, margin_included: bool) -> bool:
    tax, base, rate = vat.tax_amount, vat.taxable_amount, vat.rate
    if tax is None:
        return False
    if rate is None or xround(rate, 0) == 0:  # no rate, or one that rounds to 0: no VAT
        return xround(tax, 0) == 0
    if base is None:
        return False
    expected = xround(abs(base) * (rate / 100))
    gap = abs(abs(tax) - expected)
    return gap < 1 or (gap == 1 and margin_included)
