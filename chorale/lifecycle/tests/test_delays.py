"""The délai global de paiement and the intérêts moratoires, day by day, on the rules of the
Code de la commande publique (R2192-10 to R2192-36)."""

import datetime
from decimal import Decimal

from chorale.lifecycle import delays
from chorale.lifecycle.statuses import Status

D = datetime.date
ECB = [(D(2023, 9, 20), Decimal("4.50")), (D(2024, 6, 12), Decimal("4.25")),
       (D(2025, 6, 11), Decimal("2.15"))]  # fmt: skip


def delay(events, today, legal_days=30, amount=Decimal("1200.00")):
    return delays.payment_delay(
        events=events, legal_days=legal_days, amount=amount, today=today, ecb_rates=ECB
    )


def test_the_delay_starts_when_the_buyer_is_told_and_runs_its_legal_days():
    events = [(D(2026, 3, 1), Status.DEPOSITED), (D(2026, 3, 2), Status.AVAILABLE)]
    running = delay(events, today=D(2026, 3, 10))
    assert (running.state, running.start, running.due) == (
        delays.RUNNING,
        D(2026, 3, 2),
        D(2026, 4, 1),
    )
    assert running.elapsed_days == 8 and running.owed == 0
    assert delay(events, today=D(2026, 3, 28)).state == delays.SOON_LATE
    hospital = delay(events, today=D(2026, 3, 10), legal_days=50)
    assert hospital.due == D(2026, 4, 21)


def test_late_interest_runs_from_the_day_after_the_due_date_at_ecb_plus_8_points():
    events = [(D(2026, 3, 2), Status.AVAILABLE)]
    late = delay(events, today=D(2026, 4, 11))  # due 1 April: 10 days late
    assert (late.state, late.late_days) == (delays.LATE, 10)
    assert late.rate == Decimal("10.15")  # 2.15 in force on 1 January 2026, + 8
    assert late.interest == Decimal("3.34")  # 1200 x 10.15 % x 10 / 365
    assert late.indemnity == Decimal("40.00") and late.owed == Decimal("43.34")


def test_the_rate_is_the_one_of_the_half_year_in_which_interest_started():
    assert delays.legal_rate(D(2024, 7, 2), ECB) == Decimal("12.25")  # 4.25 on 1 July 2024
    assert delays.legal_rate(D(2024, 6, 30), ECB) == Decimal("12.50")  # 4.50 on 1 January 2024
    assert delays.legal_rate(D(2025, 6, 30), ECB) == Decimal("12.25")  # not yet 2.15 on 1 Jan


def test_payment_stops_the_clock_and_a_late_payment_keeps_its_interest():
    on_time = [(D(2026, 3, 2), Status.AVAILABLE), (D(2026, 3, 20), Status.PAID)]
    paid = delay(on_time, today=D(2026, 6, 1))
    assert (paid.state, paid.paid_on, paid.owed) == (delays.PAID, D(2026, 3, 20), 0)
    late = [(D(2026, 3, 2), Status.AVAILABLE), (D(2026, 4, 6), Status.PAID)]
    paid_late = delay(late, today=D(2026, 6, 1))
    assert (paid_late.state, paid_late.late_days) == (delays.PAID_LATE, 5)


def test_one_suspension_interrupts_then_a_new_delay_opens_on_completion():
    events = [
        (D(2026, 3, 2), Status.AVAILABLE),
        (D(2026, 3, 12), Status.SUSPENDED),  # 10 days counted
        (D(2026, 3, 30), Status.COMPLETED),
    ]
    waiting = delay(events[:2], today=D(2026, 3, 20))
    assert (waiting.state, waiting.elapsed_days, waiting.due) == (delays.SUSPENDED, 10, None)
    reopened = delay(events, today=D(2026, 4, 5))
    assert reopened.due == D(2026, 4, 29)  # 30 days again (more than the 20 that remained)
    assert reopened.suspended_days == 18 and reopened.elapsed_days == 16
    hospital = delay(events, today=D(2026, 4, 5), legal_days=50)
    assert hospital.due == D(2026, 5, 9)  # the 40 days that remained are longer than 30
    # a second suspension does not interrupt the delay again
    again = [*events, (D(2026, 4, 10), Status.SUSPENDED)]
    assert delay(again, today=D(2026, 4, 12)).state == delays.RUNNING


def test_no_delay_before_availability_nor_for_a_rejected_invoice():
    assert delay([(D(2026, 3, 1), Status.DEPOSITED)], today=D(2026, 9, 1)).state == delays.NOT_DUE
    rejected = [(D(2026, 3, 2), Status.AVAILABLE), (D(2026, 3, 5), Status.REJECTED)]
    assert delay(rejected, today=D(2026, 9, 1)).state == delays.NOT_DUE


def test_an_invoice_readdressed_runs_its_delay_from_the_right_buyer():
    events = [
        (D(2026, 3, 2), Status.AVAILABLE),
        (D(2026, 3, 20), Status.SUSPENDED),
        (D(2026, 3, 25), Status.TO_RECYCLE),  # the wrong buyer sends it back
    ]
    assert delay(events, today=D(2026, 5, 1)).state == delays.NOT_DUE
    events += [(D(2026, 5, 4), Status.ROUTING), (D(2026, 5, 4), Status.AVAILABLE)]
    again = delay(events, today=D(2026, 5, 10))
    assert (again.state, again.start, again.due) == (delays.RUNNING, D(2026, 5, 4), D(2026, 6, 3))
    assert again.suspended_days == 0
    # and the one suspension it may have is still to come
    suspended = delay([*events, (D(2026, 5, 10), Status.SUSPENDED)], today=D(2026, 5, 12))
    assert suspended.state == delays.SUSPENDED


def test_a_works_piece_the_moe_asks_to_complete_is_suspended_until_the_answer():
    starts = (Status.TO_MOE, Status.AVAILABLE)  # a monthly draft: from its receipt by the MOE
    events = [
        (D(2026, 3, 2), Status.TO_MOE),
        (D(2026, 3, 6), Status.TO_COMPLETE_WORKS),  # 4 days counted
        (D(2026, 3, 16), Status.TO_MOE),  # the company's answer
    ]

    def works(events, today):
        return delays.payment_delay(
            events=events, legal_days=30, amount=Decimal("1"), today=today, ecb_rates=ECB,
            starts=starts,
        )  # fmt: skip

    assert works(events[:2], today=D(2026, 3, 10)).state == delays.SUSPENDED
    answered = works(events, today=D(2026, 3, 20))
    assert (answered.due, answered.suspended_days) == (D(2026, 4, 15), 10)  # 30 days again
    recycled = [events[0], (D(2026, 3, 6), Status.TO_RECYCLE_WORKS), (D(2026, 3, 9), Status.TO_MOE)]
    assert works(recycled, today=D(2026, 3, 10)).due == D(2026, 4, 8)
