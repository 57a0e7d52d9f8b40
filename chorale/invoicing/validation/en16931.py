"""EN 16931-1 business rules over the canonical model: presence and structure (BR-01…BR-65);
the rules tying terms together are in coherence.py, the calculations in totals.py, the
VAT-category families in vat_categories.py, the code lists in codelists.py."""

from collections.abc import Callable, Iterable

from ..model import AllowanceCharge, Invoice, Line
from .engine import WARNING, RuleSet, on_lines, whole

RULES = RuleSet()


def _missing(value) -> bool:
    # (not « value == "" »: an amount compared with a text asks the numbers ABCs, slowly)
    return value is None or (isinstance(value, str) and not value)


# Presence of the mandatory business terms.
PRESENCE = [
    (
        "BR-01",
        "BT-24",
        "L'identifiant de spécification (BT-24) est obligatoire.",
        lambda i: i.specification_id,
    ),
    ("BR-02", "BT-1", "Le numéro de facture (BT-1) est obligatoire.", lambda i: i.number),
    ("BR-03", "BT-2", "La date de facture (BT-2) est obligatoire.", lambda i: i.issue_date),
    ("BR-04", "BT-3", "Le code de type de facture (BT-3) est obligatoire.", lambda i: i.type_code),
    (
        "BR-05",
        "BT-5",
        "Le code de devise de la facture (BT-5) est obligatoire.",
        lambda i: i.currency,
    ),
    (
        "BR-06",
        "BT-27",
        "La raison sociale du vendeur (BT-27) est obligatoire.",
        lambda i: i.seller.name,
    ),
    (
        "BR-07",
        "BT-44",
        "La raison sociale de l'acheteur (BT-44) est obligatoire.",
        lambda i: i.buyer.name,
    ),
]
# The totals: judged when the file has the totals group (BG-22), as the official rules do.
TOTALS_PRESENCE = [
    (
        "BR-12",
        "BT-106",
        "La somme des montants nets des lignes (BT-106) est obligatoire.",
        lambda i: i.totals.line_total,
    ),
    (
        "BR-13",
        "BT-109",
        "Le montant total hors TVA (BT-109) est obligatoire.",
        lambda i: i.totals.tax_exclusive,
    ),
    (
        "BR-14",
        "BT-112",
        "Le montant total TTC (BT-112) est obligatoire.",
        lambda i: i.totals.tax_inclusive,
    ),
    ("BR-15", "BT-115", "Le montant à payer (BT-115) est obligatoire.", lambda i: i.totals.payable),
]


def _unreadable(invoice: Invoice, term: str) -> bool:
    """Present in the file but unreadable: reported as such, not as missing."""
    return any(problem.term == term for problem in invoice.reading_problems)


for _id, _term, _message, _get in PRESENCE:
    RULES.rule(_id, _term, _message)(
        lambda invoice, get=_get, term=_term: whole(
            _missing(get(invoice)) and not _unreadable(invoice, term)
        )
    )
for _id, _term, _message, _get in TOTALS_PRESENCE:
    RULES.rule(_id, _term, _message)(
        lambda invoice, get=_get, term=_term: whole(
            invoice.totals.given and _missing(get(invoice)) and not _unreadable(invoice, term)
        )
    )


def _country_missing(invoice: Invoice, party) -> list[str]:
    """The CII rule asks for the country whether the address is there or not; the UBL rule
    judges an address that is there (BR-08 and BR-10 ask for the address)."""
    if party.address is None:
        return whole(invoice.source_syntax != "UBL")
    return whole(not party.address.country.strip())


@RULES.rule("BR-09", "BT-40", "Le code pays du vendeur (BT-40) est obligatoire.")
def br_09(invoice: Invoice) -> Iterable[str]:
    return _country_missing(invoice, invoice.seller)


@RULES.rule("BR-11", "BT-55", "Le code pays de l'acheteur (BT-55) est obligatoire.")
def br_11(invoice: Invoice) -> Iterable[str]:
    return _country_missing(invoice, invoice.buyer)


@RULES.rule("BR-16", "BG-25", "La facture doit comporter au moins une ligne (BG-25).")
def br_16(invoice: Invoice) -> Iterable[str]:
    return whole(not invoice.lines)


@RULES.rule(
    "BR-17", "BT-59", "Le nom du bénéficiaire (BT-59) est obligatoire s'il diffère du vendeur."
)
def br_17(invoice: Invoice) -> Iterable[str]:
    return whole(invoice.payee is not None and not invoice.payee.name)


@RULES.rule("BR-18", "BT-62", "Le nom du représentant fiscal (BT-62) est obligatoire.")
def br_18(invoice: Invoice) -> Iterable[str]:
    return whole(invoice.tax_representative is not None and not invoice.tax_representative.name)


@RULES.rule("BR-20", "BT-69", "Le code pays du représentant fiscal (BT-69) est obligatoire.")
def br_20(invoice: Invoice) -> Iterable[str]:
    representative = invoice.tax_representative
    address = representative.address if representative is not None else None
    return whole(representative is not None and not (address and address.country))


@RULES.rule("BR-56", "BT-63", "Le numéro de TVA du représentant fiscal (BT-63) est obligatoire.")
def br_56(invoice: Invoice) -> Iterable[str]:
    return whole(invoice.tax_representative is not None and not invoice.tax_representative.vat_id)


LINE_PRESENCE = [
    ("BR-21", "BT-126", "Chaque ligne doit avoir un identifiant (BT-126).", lambda line: line.id),
    (
        "BR-22",
        "BT-129",
        "Chaque ligne doit avoir une quantité facturée (BT-129).",
        lambda line: line.quantity,
    ),
    (
        "BR-23",
        "BT-130",
        "Chaque ligne doit avoir une unité de mesure (BT-130).",
        lambda line: line.unit,
    ),
    (
        "BR-24",
        "BT-131",
        "Chaque ligne doit avoir un montant net (BT-131).",
        lambda line: line.net_amount,
    ),
    (
        "BR-25",
        "BT-153",
        "Chaque ligne doit nommer l'article (BT-153).",
        lambda line: line.item_name,
    ),
    (
        "BR-26",
        "BT-146",
        "Chaque ligne doit avoir un prix net (BT-146).",
        lambda line: line.net_price,
    ),
    (
        "BR-CO-04",
        "BT-151",
        "Chaque ligne doit avoir une catégorie de TVA (BT-151).",
        lambda line: line.vat_category,
    ),
]


def _lines_missing(get: Callable[[Line], object]) -> Callable[[Invoice], list[str]]:
    """The check of a term every line needs, `get` reading it (one function a line)."""

    def missing(line: Line) -> bool:
        value = get(line)
        return value is None or (isinstance(value, str) and not value)  # (as _missing)

    return lambda invoice: on_lines(invoice, missing)


for _id, _term, _message, _get in LINE_PRESENCE:
    RULES.rule(_id, _term, _message)(_lines_missing(_get))


@RULES.rule("BR-27", "BT-146", "Le prix net d'un article (BT-146) ne peut pas être négatif.")
def br_27(invoice: Invoice) -> Iterable[str]:
    # « price >= 0 » is false without a price: the official rule fires beside BR-26.
    return on_lines(invoice, lambda line: line.net_price is None or line.net_price < 0)


@RULES.rule("BR-28", "BT-148", "Le prix brut d'un article (BT-148) ne peut pas être négatif.")
def br_28(invoice: Invoice) -> Iterable[str]:
    return on_lines(invoice, lambda line: line.gross_price is not None and line.gross_price < 0)


@RULES.rule(
    "BR-29", "BT-74", "La fin de la période de facturation (BT-74) précède son début (BT-73)."
)
def br_29(invoice: Invoice) -> Iterable[str]:
    period = invoice.invoicing_period
    return whole(bool(period and period.start and period.end and period.end < period.start))


@RULES.rule(
    "BR-30", "BT-135", "La fin de la période de la ligne (BT-135) précède son début (BT-134)."
)
def br_30(invoice: Invoice) -> Iterable[str]:
    return on_lines(
        invoice,
        lambda line: bool(
            line.period
            and line.period.start
            and line.period.end
            and line.period.end < line.period.start
        ),
    )


def _document_entries(invoice: Invoice, charges: bool) -> list[tuple[int, AllowanceCharge]]:
    return list(enumerate(invoice.charges if charges else invoice.allowances, start=1))


DOCUMENT_ALLOWANCE_CHARGE = [
    (
        "BR-31",
        False,
        "BT-92",
        "Chaque remise au niveau du document doit avoir un montant (BT-92).",
        lambda e: e.amount is None,
    ),
    (
        "BR-32",
        False,
        "BT-95",
        "Chaque remise au niveau du document doit avoir une catégorie de TVA (BT-95).",
        lambda e: not e.vat_category,
    ),
    (
        "BR-33",
        False,
        "BT-97",
        "Chaque remise au niveau du document doit avoir un motif (BT-97) ou un code motif (BT-98).",
        lambda e: not (e.reason or e.reason_code),
    ),
    (
        "BR-36",
        True,
        "BT-99",
        "Chaque charge au niveau du document doit avoir un montant (BT-99).",
        lambda e: e.amount is None,
    ),
    (
        "BR-37",
        True,
        "BT-102",
        "Chaque charge au niveau du document doit avoir une catégorie de TVA (BT-102).",
        lambda e: not e.vat_category,
    ),
    (
        "BR-38",
        True,
        "BT-104",
        "Chaque charge au niveau du document doit avoir un motif (BT-104) ou un code motif "
        "(BT-105).",
        lambda e: not (e.reason or e.reason_code),
    ),
]
for _id, _charges, _term, _message, _broken in DOCUMENT_ALLOWANCE_CHARGE:
    RULES.rule(_id, _term, _message)(
        lambda invoice, charges=_charges, broken=_broken: [
            f"{'charge' if charges else 'remise'} {n}"
            for n, entry in _document_entries(invoice, charges)
            if broken(entry)
        ]
    )

LINE_ALLOWANCE_CHARGE = [
    (
        "BR-41",
        False,
        "BT-136",
        "Chaque remise de ligne doit avoir un montant (BT-136).",
        lambda e: e.amount is None,
    ),
    (
        "BR-42",
        False,
        "BT-139",
        "Chaque remise de ligne doit avoir un motif (BT-139) ou un code motif (BT-140).",
        lambda e: not (e.reason or e.reason_code),
    ),
    (
        "BR-43",
        True,
        "BT-141",
        "Chaque charge de ligne doit avoir un montant (BT-141).",
        lambda e: e.amount is None,
    ),
    (
        "BR-44",
        True,
        "BT-144",
        "Chaque charge de ligne doit avoir un motif (BT-144) ou un code motif (BT-145).",
        lambda e: not (e.reason or e.reason_code),
    ),
]
for _id, _charges, _term, _message, _broken in LINE_ALLOWANCE_CHARGE:
    RULES.rule(_id, _term, _message)(
        lambda invoice, charges=_charges, broken=_broken: on_lines(
            invoice,
            lambda line: (
                bool(entries := line.charges if charges else line.allowances)
                and any(broken(e) for e in entries)
            ),  # (no generator for a line with none)
        )
    )

VAT_BREAKDOWN = [
    (
        "BR-45",
        "BT-116",
        "Chaque ventilation de TVA doit avoir une base imposable (BT-116).",
        lambda v: v.taxable_amount is None,
    ),
    (
        "BR-46",
        "BT-117",
        "Chaque ventilation de TVA doit avoir un montant de TVA (BT-117).",
        lambda v: v.tax_amount is None,
    ),
    (
        "BR-47",
        "BT-118",
        "Chaque ventilation de TVA doit avoir une catégorie de TVA (BT-118).",
        lambda v: not v.category,
    ),
    (
        "BR-48",
        "BT-119",
        "Chaque ventilation de TVA doit avoir un taux (BT-119), sauf la catégorie O.",
        lambda v: v.rate is None and v.category != "O",
    ),
]
for _id, _term, _message, _broken in VAT_BREAKDOWN:
    RULES.rule(_id, _term, _message)(
        lambda invoice, broken=_broken: [
            f"ventilation {v.category or '?'} {v.rate if v.rate is not None else ''}".strip()
            for v in invoice.vat_breakdown
            if broken(v)
        ]
    )


@RULES.rule(
    "BR-49", "BT-81", "Les instructions de paiement doivent indiquer le moyen de paiement (BT-81)."
)
def br_49(invoice: Invoice) -> Iterable[str]:
    payment = invoice.payment
    if payment is not None and payment.uncoded is not None:  # each group of the file, as read
        return [f"moyen de paiement {n}" for n in payment.uncoded]
    if payment is None or payment.means_code:
        return []
    debit = payment.direct_debit
    # A creditor identifier (BT-90) alone travels outside the payment means in both syntaxes.
    creditor_only = (
        debit is not None
        and debit.creditor_id
        and not (debit.mandate_reference or debit.debited_account)
        and not (payment.credit_transfers or payment.card)
        and not (payment.means_text or payment.remittance_information)
    )
    return whole(not creditor_only)


@RULES.rule("BR-50", "BT-84", "Chaque virement doit indiquer le compte du bénéficiaire (BT-84).")
def br_50(invoice: Invoice) -> Iterable[str]:
    payment = invoice.payment
    transfers = payment.credit_transfers if payment else []
    return [f"virement {n}" for n, t in enumerate(transfers, start=1) if not t.account_id]


@RULES.rule(
    "BR-51",
    "BT-87",
    "Le numéro de carte de paiement (BT-87) ne doit pas dépasser 10 caractères : seuls les 4 à 6 "
    "derniers chiffres sont à transmettre.",
    severity=WARNING,
)
def br_51(invoice: Invoice) -> Iterable[str]:
    card = invoice.payment.card if invoice.payment else None
    return whole(card is not None and len(card.primary_account.strip()) > 10)


@RULES.rule("BR-52", "BT-122", "Chaque pièce justificative doit avoir une référence (BT-122).")
def br_52(invoice: Invoice) -> Iterable[str]:
    return [f"pièce {n}" for n, a in enumerate(invoice.attachments, start=1) if not a.reference]


@RULES.rule(
    "BR-53",
    "BT-111",
    "Le total de TVA en devise de comptabilisation (BT-111) est obligatoire quand cette "
    "devise (BT-6) est indiquée.",
)
def br_53(invoice: Invoice) -> Iterable[str]:
    accounting, totals = invoice.vat_accounting_currency, invoice.totals
    if not accounting:
        return []
    if invoice.source_syntax == "CII":  # a total in BT-6, a currency other than BT-5
        held = accounting != invoice.currency and totals.vat_total_accounting is not None
        return whole(totals.given and not held)
    # UBL: some VAT total in BT-6, the invoice's own when BT-6 is BT-5
    same = accounting == invoice.currency
    return whole((totals.vat_total if same else totals.vat_total_accounting) is None)


@RULES.rule(
    "BR-54",
    "BT-160",
    "Chaque attribut d'article doit avoir un nom (BT-160) et une valeur (BT-161).",
)
def br_54(invoice: Invoice) -> Iterable[str]:
    return on_lines(invoice, lambda line: any([not (a.name and a.value) for a in line.attributes]))


@RULES.rule("BR-55", "BT-25", "Chaque facture antérieure référencée doit avoir un numéro (BT-25).")
def br_55(invoice: Invoice) -> Iterable[str]:
    return whole(any(not p.number for p in invoice.preceding_invoices))


@RULES.rule("BR-57", "BT-80", "L'adresse de livraison doit indiquer un code pays (BT-80).")
def br_57(invoice: Invoice) -> Iterable[str]:
    delivery = invoice.delivery
    return whole(bool(delivery and delivery.address and not delivery.address.country))


@RULES.rule(
    "BR-61",
    "BT-84",
    "Un paiement par virement (codes 30 et 58) exige le compte du bénéficiaire (BT-84).",
)
def br_61(invoice: Invoice) -> Iterable[str]:
    payment = invoice.payment
    if payment is None or payment.means_code not in ("30", "58"):
        return []
    if invoice.source_syntax == "CII":  # each account given without its identifier
        return [
            f"compte {n + 1}" for n, t in enumerate(payment.credit_transfers) if not t.account_id
        ]
    return whole(not any(t.account_id for t in payment.credit_transfers))


@RULES.rule(
    "BR-62",
    "BT-34",
    "L'adresse électronique du vendeur (BT-34) doit avoir un schéma d'identification.",
)
def br_62(invoice: Invoice) -> Iterable[str]:
    address = invoice.seller.electronic_address
    return whole(address is not None and not address.scheme)


@RULES.rule(
    "BR-63",
    "BT-49",
    "L'adresse électronique de l'acheteur (BT-49) doit avoir un schéma d'identification.",
)
def br_63(invoice: Invoice) -> Iterable[str]:
    address = invoice.buyer.electronic_address
    return whole(address is not None and not address.scheme)


@RULES.rule("BR-64", "BT-157", "L'identifiant standard d'un article (BT-157) doit avoir un schéma.")
def br_64(invoice: Invoice) -> Iterable[str]:
    return on_lines(
        invoice, lambda line: line.standard_item_id is not None and not line.standard_item_id.scheme
    )


@RULES.rule(
    "BR-65", "BT-158", "Le code de classification d'un article (BT-158) doit avoir un schéma."
)
def br_65(invoice: Invoice) -> Iterable[str]:
    return on_lines(invoice, lambda line: any([not c.scheme for c in line.classifications]))
