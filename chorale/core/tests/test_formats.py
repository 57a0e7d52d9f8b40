import datetime
from decimal import Decimal

from django.utils import translation

from chorale.core.formats import duration, money, number


def test_amounts_read_the_french_way_with_their_currency_symbol():
    assert money(Decimal("2856")) == "2\xa0856,00\xa0€"
    assert money("1234567.5", "USD") == "1\xa0234\xa0567,50\xa0$"
    assert money(Decimal("-12.3"), "XOF") == "-12,30\xa0XOF"
    assert money(None) == "—"


def test_amounts_read_the_english_way_in_english():
    with translation.override("en"):
        assert money(Decimal("2856"), "EUR") == "€2,856.00"
        assert money(Decimal("-5"), "EUR") == "-€5.00"
        assert money(Decimal("10"), "XOF") == "10.00\xa0XOF"


def test_numbers_keep_their_own_decimals_up_to_the_limit():
    assert number(Decimal("5.50")) == "5,5"
    assert number(Decimal("1500")) == "1\xa0500"
    assert number(Decimal("0.125"), 4) == "0,125"
    assert number(None) == ""


def test_durations_in_words():
    assert duration(datetime.timedelta(minutes=15)) == "15 minutes"
    assert duration(datetime.timedelta(hours=1)) == "1 heure"
    assert duration(datetime.timedelta(minutes=150)) == "2 heures 30 minutes"
