"""EN 16931 VAT-category rules (BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-AF for IGIC,
BR-AG for IPSI, BR-G, BR-O), generated
from one table: each family numbers its rules the same way (01 breakdown, 02-04 VAT
identifiers for lines, allowances and charges, 05-07 rates, 08 taxable amount, 09 VAT amount,
10 exemption reason)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..model import Invoice, VatBreakdown
from .engine import RuleSet
from .totals import _sum, xround

RULES = RuleSet()


@dataclass(frozen=True)
class Family:
    prefix: str  # BR-S, BR-Z…
    code: str  # UNCL 5305 category
    name: str
    exactly_one: bool  # 01: one breakdown of the category (else at least one)
    ids: str  # 02-04: "seller", "seller+buyer", "intra", "none"
    rate: str  # 05-07: "positive", "zero", "non-negative", "absent"
    computed_vat: bool  # 09: VAT = taxable * rate (else zero)
    exemption: str  # 10: "forbidden" or "required"
    per_rate: bool  # 08: taxable amount per rate (else per category)


FAMILIES = [
    Family("BR-S", "S", "taux normal", False, "seller", "positive", True, "forbidden", True),
    Family("BR-Z", "Z", "taux zéro", True, "seller", "zero", False, "forbidden", False),
    Family("BR-E", "E", "exonéré", True, "seller", "zero", False, "required", False),
    Family(
        "BR-AE", "AE", "autoliquidation", True, "seller+buyer", "zero", False, "required", False
    ),
    Family(
        "BR-IC",
        "K",
        "livraison intracommunautaire",
        True,
        "intra",
        "zero",
        False,
        "required",
        False,
    ),
    Family(
        "BR-AF", "L", "IGIC (Canaries)", False, "seller", "non-negative", True, "forbidden", True
    ),
    Family(
        "BR-AG",
        "M",
        "IPSI (Ceuta et Melilla)",
        False,
        "seller",
        "non-negative",
        True,
        "forbidden",
        True,
    ),
    Family(
        "BR-G", "G", "exportation hors UE", True, "seller-vat", "zero", False, "required", False
    ),
    Family("BR-O", "O", "hors champ de la TVA", True, "none", "absent", False, "required", False),
]


IDS_MESSAGES = {
    "seller": (
        "exige un numéro de TVA du vendeur (BT-31), un identifiant fiscal (BT-32) ou celui du "
        "représentant fiscal (BT-63)"
    ),
    "seller+buyer": (
        "exige l'identification TVA du vendeur (BT-31, BT-32 ou BT-63) et celle de l'acheteur "
        "(BT-48 ou BT-47)"
    ),
    "intra": "exige le numéro de TVA du vendeur (BT-31 ou BT-63) et celui de l'acheteur (BT-48)",
    "seller-vat": "exige le numéro de TVA du vendeur (BT-31) ou du représentant fiscal (BT-63)",
    "none": (
        "exclut tout numéro de TVA du vendeur (BT-31), du représentant fiscal (BT-63) et de "
        "l'acheteur (BT-48)"
    ),
}


def _ids_ok(invoice: Invoice, kind: str) -> bool:
    seller = invoice.seller
    representative = invoice.tax_representative
    seller_id = bool(
        seller.vat_id or seller.tax_registration_id or (representative and representative.vat_id)
    )
    if kind == "seller":
        return seller_id
    if kind == "seller+buyer":
        return seller_id and bool(invoice.buyer.vat_id or invoice.buyer.legal_id)
    if kind == "seller-vat":
        return bool(seller.vat_id or (representative and representative.vat_id))
    if kind == "intra":
        seller_vat = bool(seller.vat_id or (representative and representative.vat_id))
        return seller_vat and bool(invoice.buyer.vat_id)
    return not (seller.vat_id or (representative and representative.vat_id) or invoice.buyer.vat_id)


def _rate_ok(rate, kind: str) -> bool:
    if kind == "absent":
        return rate is None
    if rate is None:
        return False
    return {"positive": rate > 0, "zero": rate == 0, "non-negative": rate >= 0}[kind]


def _rate_kind(invoice: Invoice, family: Family) -> str:
    """The 05-07 rules' rate: the CII rules ask IGIC (L) for a rate above zero."""
    if family.code == "L" and invoice.source_syntax == "CII":
        return "positive"
    return family.rate


def _taxable_ok(invoice: Invoice, family: Family, breakdown) -> bool:
    """The 08 rule, as each syntax's rule set words it (a missing taxable amount breaks it)."""
    base, cii = breakdown.taxable_amount, invoice.source_syntax == "CII"
    if cii and family.code in ("L", "M"):
        return True  # the CII rules look for the rate one level too high: they never fire
    if family.per_rate and breakdown.rate is None:
        return True  # « every $rate in Percent satisfies… »: no rate, nothing to judge
    if base is None:
        return False
    code, rate, per_rate = family.code, breakdown.rate, family.per_rate
    # The lines, charges and allowances of the breakdown: its category (and its rate).
    lines, charges, allowances = [
        [x for x in items if x.vat_category == code and (not per_rate or x.vat_rate == rate)]
        for items in (invoice.lines, invoice.charges, invoice.allowances)
    ]

    def expected(rounded: bool) -> Decimal:
        sums = [
            _sum([x.net_amount for x in lines]),
            _sum([x.amount for x in charges]),
            _sum([x.amount for x in allowances]),
        ]
        if rounded:
            return xround(sums[0]) + xround(sums[1]) - xround(sums[2])
        return sums[0] + sums[1] - sums[2]

    if cii:
        if family.per_rate or family.code == "O":
            return base == expected(rounded=True)
        total = expected(rounded=True)  # within one unit, the upper bound included
        return total - 1 < base <= total + 1
    if family.code == "S":
        if not (lines or allowances or charges):
            return False
    elif not invoice.lines:
        return False
    if family.per_rate:  # UBL: within one unit of the BR-CO-17 kind
        return abs(base - expected(rounded=False)) < 1
    return base == expected(rounded=False)


def _vat_amount_ok(invoice: Invoice, family: Family, breakdown) -> bool:
    """The 09 rule: the VAT amount is zero, or the taxable amount times the rate within one
    unit; a missing amount breaks it. The CII rules for IGIC and IPSI always hold."""
    tax = breakdown.tax_amount
    if not family.computed_vat:
        return tax is not None and tax == 0
    if invoice.source_syntax == "CII" and family.code in ("L", "M"):
        return True
    if tax is None or breakdown.taxable_amount is None or breakdown.rate is None:
        return False
    expected = xround(abs(breakdown.taxable_amount) * breakdown.rate / 100)
    return abs(abs(tax) - expected) < 1


def _cii_breakdowns_held(invoice: Invoice, family: Family, count: int) -> bool:
    """The 01 rule as the CII rule set words it, from the number of breakdowns of the
    category, of lines and of document allowances and charges of that category."""
    code = family.code
    lines = [line.vat_category for line in invoice.lines].count(code)
    entries = [x.vat_category for x in [*invoice.allowances, *invoice.charges]].count(code)
    if not family.exactly_one:  # S, L, M: two lines of the category may stand without one
        return (lines + count >= 2 or not lines) and (entries + count >= 2 or not entries)
    used = lines > 0 or entries > 0
    if family.code == "O":  # a breakdown of O needs a use; a use of O needs no breakdown
        return count == 0 or (count == 1 and used)
    return (count == 0 and not used) or (count == 1 and used)


def _register(family: Family) -> None:
    code, label = family.code, f"catégorie « {family.code} » ({family.name})"

    def used(invoice: Invoice) -> bool:
        return code in [
            x.vat_category
            for items in (invoice.lines, invoice.allowances, invoice.charges)
            for x in items
        ]

    def breakdowns(invoice: Invoice) -> list[VatBreakdown]:
        return [v for v in invoice.vat_breakdown if v.category == code]

    @RULES.rule(
        f"{family.prefix}-01",
        "BT-118",
        f"Une facture utilisant la {label} doit en avoir "
        f"{'exactement une' if family.exactly_one else 'au moins une'} ventilation de TVA.",
        category=code,
    )
    def r01(invoice: Invoice) -> Iterable[str]:
        count = len(breakdowns(invoice))
        if invoice.source_syntax == "UBL":
            # The UBL rule set reads these as equivalences. For the « exactly one » families
            # any TaxCategory of the code counts as a use, the breakdown's own included; for
            # the others a breakdown needs a line, allowance or charge of the category.
            if family.exactly_one:
                return [""] if (used(invoice) or count) and count != 1 else []
            return [""] if used(invoice) != (count > 0) else []
        return [""] if not _cii_breakdowns_held(invoice, family, count) else []

    ids_message = IDS_MESSAGES[family.ids]
    for number, where, items in (
        ("02", "ligne", lambda i: i.lines),
        ("03", "remise", lambda i: i.allowances),
        ("04", "charge", lambda i: i.charges),
    ):
        RULES.rule(
            f"{family.prefix}-{number}",
            "BT-31",
            f"Une {where} de {label} {ids_message}.",
            category=code,
        )(
            lambda invoice, items=items: (
                [""]
                if code in [x.vat_category for x in items(invoice)]
                and not _ids_ok(invoice, family.ids)
                else []
            )
        )
    rate_message = {
        "positive": "un taux de TVA supérieur à zéro",
        "zero": "un taux de TVA égal à zéro",
        "non-negative": "un taux de TVA positif ou nul",
        "absent": "aucun taux de TVA",
    }[family.rate]
    for number, where, items, term in (
        ("05", "ligne", lambda i: i.lines, "BT-152"),
        ("06", "remise", lambda i: i.allowances, "BT-96"),
        ("07", "charge", lambda i: i.charges, "BT-103"),
    ):
        RULES.rule(
            f"{family.prefix}-{number}",
            term,
            f"Une {where} de {label} doit avoir {rate_message}.",
            category=code,
        )(
            lambda invoice, items=items: [
                f"{x.id}" if hasattr(x, "id") else ""
                for x in items(invoice)
                if x.vat_category == code and not _rate_ok(x.vat_rate, _rate_kind(invoice, family))
            ]
        )

    @RULES.rule(
        f"{family.prefix}-08",
        "BT-116",
        f"La base imposable de la {label} doit égaler la somme "
        "des montants nets des lignes, moins les remises, plus les charges de cette catégorie.",
        category=code,
    )
    def r08(invoice: Invoice) -> Iterable[str]:
        broken = []
        for breakdown in breakdowns(invoice):
            if not _taxable_ok(invoice, family, breakdown):
                broken.append(
                    f"{code} {breakdown.rate if breakdown.rate is not None else ''}".strip()
                )
        return broken

    @RULES.rule(
        f"{family.prefix}-09",
        "BT-117",
        f"Le montant de TVA de la {label} doit "
        + (
            "égaler la base imposable multipliée par le taux, arrondie au centime."
            if family.computed_vat
            else "être égal à zéro."
        ),
        category=code,
    )
    def r09(invoice: Invoice) -> Iterable[str]:
        return [
            f"{code} {breakdown.rate if breakdown.rate is not None else ''}".strip()
            for breakdown in breakdowns(invoice)
            if not _vat_amount_ok(invoice, family, breakdown)
        ]

    reason_message = (
        "ne doit pas avoir de motif d'exonération (BT-120, BT-121)"
        if family.exemption == "forbidden"
        else "doit avoir un motif d'exonération (BT-120) ou son code (BT-121)"
    )

    @RULES.rule(
        f"{family.prefix}-10",
        "BT-120",
        f"Une ventilation de {label} {reason_message}.",
        category=code,
    )
    def r10(invoice: Invoice) -> Iterable[str]:
        broken = []
        for breakdown in breakdowns(invoice):
            has_reason = bool(breakdown.exemption_reason or breakdown.exemption_code)
            if has_reason == (family.exemption == "forbidden"):
                broken.append(code)
        return broken


for _family in FAMILIES:
    _register(_family)


def _not_subject(invoice: Invoice) -> bool:
    return any(v.category == "O" for v in invoice.vat_breakdown)


def _other_than_o(invoice: Invoice, number: str) -> bool:
    """What BR-O-11 to 14 look at. The UBL rules each look at their own kind; the CII rules
    pair them: 11 and 12 every breakdown and line, 13 and 14 every document allowance and
    charge, a category left empty counting for none."""
    if invoice.source_syntax == "CII":
        if number in ("11", "12"):
            categories = [v.category for v in invoice.vat_breakdown]
            categories += [line.vat_category for line in invoice.lines]
        else:
            categories = [x.vat_category for x in [*invoice.allowances, *invoice.charges]]
        return any(category not in ("", "O") for category in categories)
    items = {
        "11": [v.category for v in invoice.vat_breakdown],
        "12": [line.vat_category for line in invoice.lines],
        "13": [a.vat_category for a in invoice.allowances],
        "14": [c.vat_category for c in invoice.charges],
    }[number]
    return any(category != "O" for category in items)


for _number, _message, _term in (
    ("11", "d'autre ventilation de TVA", "BT-118"),
    ("12", "de ligne d'une autre catégorie", "BT-151"),
    ("13", "de remise d'une autre catégorie", "BT-95"),
    ("14", "de charge d'une autre catégorie", "BT-102"),
):
    RULES.rule(
        f"BR-O-{_number}",
        _term,
        f"Une facture hors champ de la TVA (catégorie O) ne peut pas avoir {_message}.",
        category="O",  # (an O breakdown first of all)
    )(
        lambda invoice, number=_number: (
            [""] if _not_subject(invoice) and _other_than_o(invoice, number) else []
        )
    )


def _intra_community(invoice: Invoice) -> bool:
    return any(v.category == "K" for v in invoice.vat_breakdown)


@RULES.rule(
    "BR-IC-11",
    "BT-72",
    "Une livraison intracommunautaire exige la date de livraison (BT-72) ou la période de "
    "facturation (BG-14).",
    category="K",  # (a K breakdown first of all)
)
def br_ic_11(invoice: Invoice) -> Iterable[str]:
    delivered = invoice.delivery is not None and invoice.delivery.date is not None
    given = invoice.invoicing_period
    period = bool(given and (given.start or given.end)) or bool(invoice.vat_point_date_code)
    return [""] if _intra_community(invoice) and not (delivered or period) else []


@RULES.rule(
    "BR-IC-12",
    "BT-80",
    "Une livraison intracommunautaire exige le pays de livraison (BT-80).",
    category="K",
)
def br_ic_12(invoice: Invoice) -> Iterable[str]:
    delivery = invoice.delivery
    country = delivery is not None and delivery.address is not None and delivery.address.country
    return [""] if _intra_community(invoice) and not country else []
