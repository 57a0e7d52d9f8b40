"""Numbers, amounts and durations as people read them in the active language (« 2 856,00 € »)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import formats, translation
from django.utils.translation import ngettext

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF"}


def money(value: object, currency: str = "EUR") -> str:
    """An amount with its thousands separator, two decimals and the currency symbol placed as
    the language places it: « 2 856,00 € » in French, « €2,856.00 » in English. Nothing given
    reads « — »."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    code = (currency or "EUR").strip().upper()
    symbol = SYMBOLS.get(code, code)
    digits = formats.number_format(number, 2, use_l10n=True, force_grouping=True)
    if translation.get_language() == "en" and len(symbol) == 1:
        return f"-{symbol}{digits[1:]}" if digits.startswith("-") else f"{symbol}{digits}"
    return f"{digits}\N{NO-BREAK SPACE}{symbol}"


def number(value: object, decimals: int = 2) -> str:
    """A plain number in the language's way (« 1 234,5 »), for quantities and rates."""
    if value is None or value == "":
        return ""
    try:
        exact = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    places = max(0, min(decimals, -exact.as_tuple().exponent))  # type: ignore[operator]
    return formats.number_format(exact, places, use_l10n=True, force_grouping=True)


def duration(value: datetime.timedelta) -> str:
    """« 15 minutes », « 1 heure », « 2 heures 30 minutes »."""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d heure", "%(n)d heures", hours) % {"n": hours})
    if minutes or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)
