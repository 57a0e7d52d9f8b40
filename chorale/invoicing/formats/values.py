"""Typed readings of XML text shared by the syntax readers."""

import datetime
from decimal import Decimal, InvalidOperation

from .errors import FormatError


def decimal_or_none(text: str | None, where: str) -> Decimal | None:
    if text is None or not text.strip():
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise FormatError(
            "value_not_a_number", f"{where} : « {text.strip()} » n'est pas un nombre."
        ) from None
    if not value.is_finite():
        raise FormatError(
            "value_not_a_number", f"{where} : « {text.strip()} » n'est pas un nombre."
        )
    return value


def date_or_none(text: str | None, where: str, compact: bool = False) -> datetime.date | None:
    """A date written YYYYMMDD (CII format 102) or YYYY-MM-DD (UBL)."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    try:
        if compact:
            return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        return datetime.date.fromisoformat(value)
    except ValueError:
        expected = "AAAAMMJJ" if compact else "AAAA-MM-JJ"
        raise FormatError(
            "value_not_a_date", f"{where} : « {value} » n'est pas une date ({expected})."
        ) from None


def text_of(element) -> str:
    return (element.text or "").strip() if element is not None else ""
