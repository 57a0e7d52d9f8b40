"""Délai global de paiement (DGP) and intérêts moratoires of an invoice (Code de la commande
publique; the rules chosen and their sources: docs/payment-delays.md).

The delay starts the day the buyer is told the invoice is available (`available_at`, recorded
when the invoice becomes « Mise à disposition »: the notification leaves in that same
transaction). One suspension interrupts it; once the supplier completes the invoice a new delay
opens: 30 days, or what remained if that is longer. An invoice sent back to be readdressed
(« À recycler ») starts it again when the right buyer has it. From the day after the due date
to the day of payment (« Mise en paiement »), interest runs on the amount including VAT at the
ECB's main refinancing rate in force on the first day of the half-year in which it started,
plus 8 points, over 365 days; the fixed indemnity is 40 €."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .statuses import Status

MARGIN = Decimal("8")  # points over the ECB rate (CCP R2192-31)
INDEMNITY = Decimal("40.00")  # indemnité forfaitaire pour frais de recouvrement (D2192-35)
AFTER_COMPLETION = 30  # days of the new delay after a suspension (R2192-29)
SOON = 5  # days before the due date when an invoice is « bientôt en retard »

# A request to complete interrupts the delay (the recipient's « Suspendue », the MOE's or MOA's
# « À compléter »); a refusal ends it; an invoice sent back to be readdressed starts it again.
SUSPENDING = (Status.SUSPENDED, Status.TO_COMPLETE_WORKS)
REFUSALS = (Status.REJECTED, Status.REFUSED_MOE, Status.REFUSED_MOA)
MISADDRESSED = (Status.TO_RECYCLE, Status.TO_RECYCLE_WORKS)
# The status changes a delay is computed from: what starts it (statuses.delay_starts), what
# interrupts, ends or restarts it, the supplier's answers and the payment.
EVENTS = (
    Status.AVAILABLE, Status.TO_MOE, Status.WORKS_ACCEPTED, *SUSPENDING, *REFUSALS,
    *MISADDRESSED, Status.COMPLETED, Status.AVAILABLE_MOA, Status.PAID,
)  # fmt: skip

# The states a delay can be in, as the pages say them.
RUNNING, SOON_LATE, LATE, SUSPENDED, PAID, PAID_LATE, NOT_DUE = (
    "EN_COURS", "BIENTOT_EN_RETARD", "EN_RETARD", "INTERROMPU", "PAYEE", "PAYEE_EN_RETARD",
    "SANS_OBJET",
)  # fmt: skip


@dataclass(frozen=True)
class Delay:
    state: str
    legal_days: int
    start: datetime.date | None = None
    due: datetime.date | None = None
    paid_on: datetime.date | None = None
    elapsed_days: int = 0  # days counted so far (the suspension excluded)
    suspended_days: int = 0
    late_days: int = 0
    rate: Decimal | None = None  # percent a year
    interest: Decimal = Decimal("0.00")
    indemnity: Decimal = Decimal("0.00")

    @property
    def owed(self) -> Decimal:
        return self.interest + self.indemnity


def half_year_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 1 if day.month <= 6 else 7, 1)


def legal_rate(
    started: datetime.date, ecb_rates: Sequence[tuple[datetime.date, Decimal]]
) -> Decimal:
    """The rate of interest that started on `started`: the ECB's rate in force on the first
    day of that half-year (`ecb_rates`: (effective date, percent), any order), plus 8 points."""
    first = half_year_start(started)
    in_force = [rate for effective, rate in sorted(ecb_rates) if effective <= first]
    return (in_force[-1] if in_force else Decimal("0")) + MARGIN


def payment_delay(
    *,
    events: Iterable[tuple[datetime.date, str]],
    legal_days: int,
    amount: Decimal | None,
    today: datetime.date,
    ecb_rates: Sequence[tuple[datetime.date, Decimal]],
    starts: Sequence[str] = (Status.AVAILABLE,),
) -> Delay:
    """The delay of one invoice from its status changes (day, new status), oldest first;
    `starts`: the statuses that start it (statuses.delay_starts)."""
    start = suspended_on = paid_on = None
    elapsed_before = suspended_days = 0
    due: datetime.date | None = None
    suspended_once = False
    for day, status in events:
        if status in starts and start is None:
            start, due = day, day + datetime.timedelta(days=legal_days)
        elif start is None:
            continue
        elif status in REFUSALS:
            return Delay(NOT_DUE, legal_days, start=start)
        elif status in MISADDRESSED:  # runs again once the right buyer has it
            start = due = suspended_on = None
            elapsed_before = suspended_days = 0
            suspended_once = False
        elif status in SUSPENDING and not suspended_once:
            suspended_once, suspended_on = True, day
            elapsed_before = (day - start).days
        elif suspended_on is not None:  # the supplier's answer: completed
            suspended_days = (day - suspended_on).days
            remaining = max(AFTER_COMPLETION, legal_days - elapsed_before)
            due, suspended_on = day + datetime.timedelta(days=remaining), None
        elif status == Status.PAID:
            paid_on = day
    if start is None or due is None:
        return Delay(NOT_DUE, legal_days)
    if suspended_on is not None:  # interrupted, waiting for the supplier
        return Delay(
            SUSPENDED, legal_days, start=start, elapsed_days=elapsed_before,
            suspended_days=(today - suspended_on).days,
        )  # fmt: skip
    end = paid_on or today
    elapsed = (end - start).days - suspended_days
    late = max(0, (end - due).days)
    if not late:
        state = PAID if paid_on else SOON_LATE if (due - today).days <= SOON else RUNNING
        return Delay(
            state, legal_days, start=start, due=due, paid_on=paid_on, elapsed_days=elapsed,
            suspended_days=suspended_days,
        )  # fmt: skip
    rate = legal_rate(due + datetime.timedelta(days=1), ecb_rates)
    interest = (amount or Decimal("0")) * rate / 100 * late / 365
    return Delay(
        PAID_LATE if paid_on else LATE, legal_days, start=start, due=due, paid_on=paid_on,
        elapsed_days=elapsed, suspended_days=suspended_days, late_days=late, rate=rate,
        interest=interest.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), indemnity=INDEMNITY,
    )  # fmt: skip
