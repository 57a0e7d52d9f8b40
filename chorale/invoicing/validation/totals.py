"""EN 16931 calculation rules (BR-CO-10 to 17): totals that must add up. Amounts compare
exactly as written, like the official UBL rules; BR-CO-17 allows the official one-unit margin."""

from decimal import ROUND_HALF_UP, Decimal

from .engine import rule

CENT = Decimal("0.01")


def _whole(broken: bool) -> list[str]:
    return [""] if broken else []


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Calculations: amounts compare exactly as written, like the official rules.
@rule(
    "BR-CO-10",
    "BT-106",
    "La somme des montants nets des lignes (BT-106) doit égaler la somme des BT-131.",
)
def br_co_10(invoice):
    total = invoice.totals.line_total
    return _whole(total is not None and total != _sum(line.net_amount for line in invoice.lines))


@rule(
    "BR-CO-11",
    "BT-107",
    "Le total des remises (BT-107) doit égaler la somme des remises du document (BT-92).",
)
def br_co_11(invoice):
    total = invoice.totals.allowance_total
    return _whole(total is not None and total != _sum(a.amount for a in invoice.allowances))


@rule(
    "BR-CO-12",
    "BT-108",
    "Le total des charges (BT-108) doit égaler la somme des charges du document (BT-99).",
)
def br_co_12(invoice):
    total = invoice.totals.charge_total
    return _whole(total is not None and total != _sum(c.amount for c in invoice.charges))


@rule("BR-CO-13", "BT-109", "Le total HT (BT-109) doit égaler BT-106 - BT-107 + BT-108.")
def br_co_13(invoice):
    t = invoice.totals
    if t.tax_exclusive is None or t.line_total is None:
        return []
    expected = t.line_total - (t.allowance_total or 0) + (t.charge_total or 0)
    return _whole(t.tax_exclusive != expected)


@rule(
    "BR-CO-14",
    "BT-110",
    "Le total de TVA (BT-110) doit égaler la somme des montants de TVA par catégorie (BT-117).",
)
def br_co_14(invoice):
    total = invoice.totals.vat_total
    return _whole(total is not None and total != _sum(v.tax_amount for v in invoice.vat_breakdown))


@rule("BR-CO-15", "BT-112", "Le total TTC (BT-112) doit égaler BT-109 + BT-110.")
def br_co_15(invoice):
    t = invoice.totals
    if t.tax_inclusive is None or t.tax_exclusive is None:
        return []
    # Both rules ask for one VAT total in the invoice currency; the CII rule also accepts a
    # total with VAT equal to the total without.
    summed = t.vat_total is not None and t.tax_inclusive == t.tax_exclusive + t.vat_total
    if invoice.source_syntax == "CII":
        return _whole(not summed and t.tax_inclusive != t.tax_exclusive)
    return _whole(not summed)


@rule("BR-CO-16", "BT-115", "Le montant à payer (BT-115) doit égaler BT-112 - BT-113 + BT-114.")
def br_co_16(invoice):
    t = invoice.totals
    if t.payable is None or t.tax_inclusive is None:
        return []
    return _whole(t.payable != t.tax_inclusive - (t.prepaid or 0) + (t.rounding or 0))


@rule(
    "BR-CO-17",
    "BT-117",
    "Le montant de TVA d'une ventilation (BT-117) doit égaler sa base imposable (BT-116) "
    "multipliée par son taux (BT-119), à une unité près.",
)
def br_co_17(invoice):
    broken = []
    margin_included = invoice.source_syntax == "CII"  # the CII rule says ≤ 1, the UBL one < 1
    for vat in invoice.vat_breakdown:
        if None in (vat.tax_amount, vat.taxable_amount, vat.rate):
            continue
        expected = _round(abs(vat.taxable_amount) * vat.rate / 100)
        gap = abs(abs(vat.tax_amount) - expected)
        if gap > 1 or (gap == 1 and not margin_included):
            broken.append(f"ventilation {vat.category} {vat.rate}")
    return broken
