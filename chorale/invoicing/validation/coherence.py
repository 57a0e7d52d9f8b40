"""EN 16931-1 rules tying terms and groups together (the BR-CO rules that are not
calculations — those are in totals.py), the reason rules the standard states twice
(BR-CO-21…24) and the address groups (BR-08, BR-10, BR-19). Judged after en16931.py's rules,
in the official order (rulebook)."""

from collections.abc import Iterable

from ..model import Invoice
from .engine import RuleSet, on_lines, whole

RULES = RuleSet()


@RULES.rule(
    "BR-CO-03", "BT-7", "La date d'exigibilité de la TVA (BT-7) et son code (BT-8) s'excluent."
)
def br_co_03(invoice: Invoice) -> Iterable[str]:
    return whole(invoice.tax_point_date is not None and bool(invoice.vat_point_date_code))


@RULES.rule(
    "BR-CO-18", "BG-23", "La facture doit comporter au moins une ventilation de TVA (BG-23)."
)
def br_co_18(invoice: Invoice) -> Iterable[str]:
    return whole(not invoice.vat_breakdown)


@RULES.rule(
    "BR-CO-25",
    "BT-9",
    "Un montant à payer positif (BT-115) exige une date d'échéance (BT-9) ou des conditions "
    "de paiement (BT-20).",
)
def br_co_25(invoice: Invoice) -> Iterable[str]:
    # The UBL rule judges invoices only (the CEN credit-note example has neither term:
    # ubl-tc434-creditnote1.xml); the CII rule (EXTENDED) judges credit notes too.
    payable = invoice.totals.payable
    judged = invoice.source_syntax == "CII" or not invoice.is_credit_note
    positive = payable is not None and payable > 0 and judged
    return whole(positive and not (invoice.due_date or invoice.payment_terms))


@RULES.rule("BR-CO-26", "BT-29", "Le vendeur doit être identifié par BT-29, BT-30 ou BT-31.")
def br_co_26(invoice: Invoice) -> Iterable[str]:
    seller = invoice.seller  # judged when the file has the seller's group
    return whole(seller.given and not (seller.identifiers or seller.legal_id or seller.vat_id))


@RULES.rule(
    "BR-CO-19",
    "BT-73",
    "Une période de facturation (BG-14) doit avoir une date de début (BT-73) ou de fin (BT-74).",
)
def br_co_19(invoice: Invoice) -> Iterable[str]:
    period = invoice.invoicing_period
    dated = period is None or period.start or period.end
    return whole(not dated and not invoice.vat_point_date_code)  # BT-8 may stand alone


@RULES.rule(
    "BR-CO-20",
    "BT-134",
    "Une période de ligne (BG-26) doit avoir une date de début (BT-134) ou de fin (BT-135).",
)
def br_co_20(invoice: Invoice) -> Iterable[str]:
    return on_lines(
        invoice,
        lambda line: (
            line.period is not None and line.period.start is None and line.period.end is None
        ),
    )


# The standard states the reason rule twice for allowances and charges (BR-33/38/42/44 and
# BR-CO-21 to 24); the official rules report both ids, so do we.
def _reasonless(entries) -> bool:
    # (no generator for a line with none: most lines)
    return bool(entries) and any(not (e.reason or e.reason_code) for e in entries)


REASON_ALIASES = [
    (
        "BR-CO-21",
        "BT-97",
        "Chaque remise du document doit avoir un motif (BT-97), un code motif (BT-98) ou les deux.",
        lambda i: whole(_reasonless(i.allowances)),
    ),
    (
        "BR-CO-22",
        "BT-104",
        "Chaque charge du document doit avoir un motif (BT-104), un code motif (BT-105) "
        "ou les deux.",
        lambda i: whole(_reasonless(i.charges)),
    ),
    (
        "BR-CO-23",
        "BT-139",
        "Chaque remise de ligne doit avoir un motif (BT-139), un code motif (BT-140) ou les deux.",
        lambda i: on_lines(i, lambda line: _reasonless(line.allowances)),
    ),
    (
        "BR-CO-24",
        "BT-144",
        "Chaque charge de ligne doit avoir un motif (BT-144), un code motif (BT-145) ou les deux.",
        lambda i: on_lines(i, lambda line: _reasonless(line.charges)),
    ),
]
for _id, _term, _message, _check in REASON_ALIASES:
    RULES.rule(_id, _term, _message)(_check)


def _no_address(address) -> bool:
    return address is None  # the group given, even empty, satisfies the rule


@RULES.rule("BR-08", "BG-5", "La facture doit indiquer l'adresse postale du vendeur (BG-5).")
def br_08(invoice: Invoice) -> Iterable[str]:
    return whole(_no_address(invoice.seller.address))


@RULES.rule("BR-10", "BG-8", "La facture doit indiquer l'adresse postale de l'acheteur (BG-8).")
def br_10(invoice: Invoice) -> Iterable[str]:
    return whole(_no_address(invoice.buyer.address))


@RULES.rule("BR-19", "BG-12", "L'adresse postale du représentant fiscal (BG-12) est obligatoire.")
def br_19(invoice: Invoice) -> Iterable[str]:
    representative = invoice.tax_representative
    return whole(representative is not None and _no_address(representative.address))
