"""Typed readings of XML text shared by the syntax readers."""

import datetime
from decimal import Decimal, InvalidOperation

from ..model import Identifier
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


class Node:
    """None-safe, namespaced look-ups on one element of a syntax being read."""

    __slots__ = ("compact_dates", "element", "namespaces")

    def __init__(self, element, namespaces: dict, compact_dates: bool):
        self.element = element
        self.namespaces = namespaces
        self.compact_dates = compact_dates

    def __bool__(self):
        return self.element is not None

    def _wrap(self, element) -> "Node":
        return Node(element, self.namespaces, self.compact_dates)

    def one(self, path: str) -> "Node":
        found = self.element.find(path, self.namespaces) if self.element is not None else None
        return self._wrap(found)

    def all(self, path: str) -> list["Node"]:
        if self.element is None:
            return []
        return [self._wrap(e) for e in self.element.findall(path, self.namespaces)]

    def text(self, path: str = "") -> str:
        if self.element is None:
            return ""
        return text_of(self.element.find(path, self.namespaces) if path else self.element)

    def attr(self, path: str, name: str) -> str:
        found = self.element.find(path, self.namespaces) if self.element is not None else None
        return (found.get(name) or "").strip() if found is not None else ""

    def decimal(self, path: str, term: str):
        return decimal_or_none(self.text(path) or None, term)

    def date(self, path: str, term: str):
        return date_or_none(self.text(path) or None, term, compact=self.compact_dates)

    def identifier(self, path: str) -> Identifier | None:
        value = self.text(path)
        return Identifier(value, self.attr(path, "schemeID")) if value else None
