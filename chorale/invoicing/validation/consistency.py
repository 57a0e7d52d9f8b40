"""Chorale's checks of amounts the EN 16931 rules leave unchecked, on top of whichever engine
judges those rules: warnings, never a rejection (the official rules accept such invoices, and
some of the CEN's own examples carry them), so that no inconsistent amount goes unsaid.

CHORALE-MONTANT-LIGNE: the line net amount (BT-131) is the invoiced quantity (BT-129) times the
item net price (BT-146) over its base quantity (BT-149), plus the line charges (BT-141), minus
the line allowances (BT-136) — the calculation EN 16931 describes and Peppol enforces
(PEPPOL-EN16931-R120), with the same slack of 0.02.
"""

from decimal import Decimal, InvalidOperation

from ..model import Invoice, Line
from .engine import WARNING, Finding

LINE_AMOUNT = "CHORALE-MONTANT-LIGNE"
SLACK = Decimal("0.02")
CENT = Decimal("0.01")


def consistency_findings(invoice: Invoice) -> list[Finding]:
    findings = []
    for index, line in enumerate(invoice.lines, start=1):
        expected = _line_amount(line)
        if expected is None or line.net_amount is None:
            continue
        if abs(line.net_amount - expected) > SLACK:
            findings.append(
                Finding(
                    LINE_AMOUNT,
                    WARNING,
                    f"Le montant net de la ligne (BT-131, {line.net_amount}) ne correspond pas "
                    f"à la quantité (BT-129) multipliée par le prix net (BT-146) divisé par la "
                    f"quantité de base (BT-149), plus les frais, moins les remises de la ligne "
                    f"({expected.quantize(CENT)}).",
                    "BT-131",
                    f"ligne {line.id or index}",
                )
            )
    return findings


def _line_amount(line: Line) -> Decimal | None:
    """BT-129 * BT-146 / BT-149 + sum(BT-141) - sum(BT-136), or None without a term it needs."""
    base = line.base_quantity if line.base_quantity is not None else Decimal(1)
    if line.quantity is None or line.net_price is None or not base:
        return None
    try:  # (each step only where it changes something: most lines have neither)
        amount = line.quantity * line.net_price
        if base != 1:
            amount /= base
        if line.charges:
            amount += sum((c.amount for c in line.charges), Decimal(0))
        if line.allowances:
            amount -= sum((a.amount for a in line.allowances), Decimal(0))
        return amount
    except (TypeError, InvalidOperation):  # an allowance or charge without its amount
        return None
