"""Typed readings of XML text shared by the syntax readers."""

import datetime
import re
import sys
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from .. import compiled
from ..model import Identifier
from .errors import FormatError
from .tree import Branch

# An amount's text → its number: the same amounts come back from line to line and from invoice
# to invoice (237 texts make the 1,190 amounts of the 32 CEN examples), and a Decimal is
# immutable. Short texts only, emptied when full (a hostile file's made-up numbers).
DECIMALS: dict[str, Decimal] = {}
MOST_DECIMALS, LONGEST_KEPT = 4096, 40


def finite_decimal(text: str) -> Decimal | None:
    """The finite number a stripped text writes, else None."""
    value = DECIMALS.get(text)
    if value is not None:
        return value
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    if len(text) <= LONGEST_KEPT:
        if len(DECIMALS) >= MOST_DECIMALS:
            DECIMALS.clear()
        DECIMALS[text] = value
    return value


def decimal_or_none(text: str | None, where: str) -> Decimal | None:
    if text is None or not text.strip():
        return None
    value = finite_decimal(text.strip())
    if value is None:
        raise FormatError(
            "value_not_a_number", f"{where} : « {text.strip()} » n'est pas un nombre."
        )
    return value


def date_or_none(text: str | None, where: str, compact: bool = False) -> datetime.date | None:
    """A date written YYYYMMDD (CII format 102: eight ASCII digits, no fewer, no more) or
    YYYY-MM-DD (UBL's xs:date, whose time zone, « Z » or « +01:00 », the date does not need)."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    try:
        if compact:
            if len(value) != 8 or not _ascii_digits(value):
                raise ValueError(value)  # (« 2017011 » was read as 1 January, « 201701155 »…)
            return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        day, zone = value[:10], value[10:]
        if not (len(day) == 10 and day[4] == day[7] == "-" and _time_zone(zone)):
            raise ValueError(value)  # (not « 20170115 » nor « 2017-W03-1 », which xs:date is not)
        return datetime.date.fromisoformat(day)
    except ValueError:
        expected = "AAAAMMJJ" if compact else "AAAA-MM-JJ"
        raise FormatError(
            "value_not_a_date", f"{where} : « {value} » n'est pas une date ({expected})."
        ) from None


def _time_zone(zone: str) -> bool:
    """An xs:date's time zone: none, « Z », or « ±hh:mm » (its range is the schema's to judge)."""
    return zone in ("", "Z") or (
        len(zone) == 6
        and zone[0] in "+-"
        and zone[3] == ":"
        and _ascii_digits(zone[1:3] + zone[4:])
    )


def _ascii_digits(text: str) -> bool:
    """Digits, ASCII ones only (str.isdigit alone takes Arabic-Indic or full-width ones)."""
    return text.isascii() and text.isdigit()


class Syntax:
    """What a reader's look-ups need of its syntax: its namespace prefixes (each path's tags
    worked out once), how it writes dates, and its column in the binding's tables."""

    def __init__(self, namespaces: dict[str, str], compact_dates: bool, binding: int):
        self.namespaces = namespaces
        self.compact_dates = compact_dates
        self.binding = binding
        self.known: dict[str, tuple[str, ...]] = {}  # each path's tags (the readers' paths)

    def steps(self, path: str) -> tuple[str, ...]:
        """« ram:A/ram:B » as the child tags ({urn…}A, {urn…}B) to walk down."""
        tags = self.known.get(path)
        if tags is None:
            tags = self.known[path] = tuple(
                sys.intern(f"{{{self.namespaces[step.split(':', 1)[0]]}}}{step.split(':', 1)[1]}")
                if ":" in step
                else step
                for step in path.split("/")
            )  # (interned: the very strings the compiled walk gives the elements)
        return tags


# While a reader runs, unreadable values are collected here instead of stopping the reading:
# the compte rendu then lists every such value, and a present-but-invalid term still counts
# as present for the presence rules.
_PROBLEMS: ContextVar[list["ReadingProblem"] | None] = ContextVar("reading_problems", default=None)
TERM = re.compile(r"\b(B[TG]-\d+)\b")


@dataclass(frozen=True)
class ReadingProblem:
    term: str  # BT-… named in the reader's label ('' if none)
    code: str
    message: str


class collecting_problems:  # lower case: used as the function it was
    """« with collecting_problems() as problems: »: the reading problems `tolerant` meets
    within, gathered in `problems` (a class rather than a generator: entered once per read)."""

    __slots__ = ("problems", "token")

    def __enter__(self) -> list[ReadingProblem]:
        self.problems: list[ReadingProblem] = []
        self.token = _PROBLEMS.set(self.problems)
        return self.problems

    def __exit__(self, *exc_info: object) -> None:
        _PROBLEMS.reset(self.token)


def tolerant[T](read: Callable[..., T], text: str, where: str, **kwargs: Any) -> T | None:
    try:
        return read(text, where, **kwargs)
    except FormatError as error:
        problems = _PROBLEMS.get()
        if problems is None:
            raise
        match = TERM.search(where)
        problems.append(ReadingProblem(match.group(1) if match else "", error.code, error.message))
        return None


class Node:
    """None-safe, namespaced look-ups on one element (a `Branch`) of a syntax being read (the
    compiled core has its twin: `node_of` picks)."""

    __slots__ = ("branch", "syntax")

    def __init__(self, branch: Branch | None, syntax: Syntax):
        self.branch = branch
        self.syntax = syntax

    @property
    def element(self) -> Any:
        return self.branch.element if self.branch is not None else None

    def _find(self, path: str) -> Branch | None:
        branch = self.branch
        assert branch is not None
        for tag in self.syntax.steps(path):
            children = branch.children.get(tag)
            if not children:
                return None
            branch = children[0]
        return branch

    def __bool__(self) -> bool:
        return self.branch is not None

    def _wrap(self, branch: Branch | None) -> "Node":
        return Node(branch, self.syntax)

    def one(self, path: str) -> "Node":
        return self._wrap(self._find(path) if self.branch is not None else None)

    def all(self, path: str) -> list["Node"]:
        *parents, last = self.syntax.steps(path)
        branches = [self.branch] if self.branch is not None else []
        for tag in parents:
            branches = [child for branch in branches for child in branch.children.get(tag, ())]
        return [self._wrap(child) for branch in branches for child in branch.children.get(last, ())]

    def text(self, path: str = "") -> str:
        if self.branch is None:
            return ""
        found = self._find(path) if path else self.branch
        text = found.element.text if found is not None else None
        return text.strip() if text else ""

    def attr(self, path: str, name: str) -> str:
        found = self._find(path) if self.branch is not None else None
        return (found.element.get(name) or "").strip() if found is not None else ""

    def decimal(self, path: str, term: str) -> Decimal | None:
        text = self.text(path)
        return tolerant(decimal_or_none, text, term) if text else None

    def date(self, path: str, term: str) -> datetime.date | None:
        text = self.text(path)
        if not text:
            return None
        return tolerant(date_or_none, text, term, compact=self.syntax.compact_dates)

    def identifier(self, path: str) -> Identifier | None:
        """The identifier at `path`; one with a scheme and no value is kept for the scheme's
        code-list rule to judge."""
        value, scheme = self.text(path), self.attr(path, "schemeID")
        return Identifier(value, scheme) if value or scheme else None


def node_of(branch: Branch | None, syntax: Syntax) -> Node:
    """A reader's first node: on the compiled core, for a tree it walked, its `Node` (the
    same answers, read from libxml2's nodes), else the one above."""
    core = compiled.CORE
    if core is not None and (branch is None or type(branch) is core.Branch):
        return cast(Node, core.Node(branch, syntax))  # (its twin: the same methods)
    return Node(branch, syntax)


if compiled.built is not None:
    compiled.built.readers_from(sys.modules[__name__])
