"""The official English text of each EN 16931 rule, read once from the shipped CEN stylesheets
(« [BR-01]-An Invoice shall have a Specification identifier (BT-24). »): what a reader in
English gets instead of the engine's French message. Rules the stylesheets do not hold keep
the message they were judged with."""

import dataclasses
import functools

from django.utils import translation
from lxml import etree

from . import official
from .engine import Finding

XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"


@functools.cache
def official_texts() -> dict[str, str]:
    """Rule id → its text in the CEN CII and UBL rule sets (our shipped files, trusted)."""
    texts: dict[str, str] = {}
    for path in (official.CEN_CII, official.CEN_UBL):
        tree = etree.parse(path)
        for node in tree.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
            rule = node.find(f"{{{XSL}}}attribute[@name='id']")
            text = node.find(f"{{{SVRL}}}text")
            if rule is not None and text is not None and rule.text and text.text:
                texts.setdefault(rule.text.strip(), " ".join(text.text.split()))
    return texts


def in_language(finding: Finding) -> Finding:
    """The finding as the active language reads it: the official English text in English."""
    if translation.get_language() == "en":
        text = official_texts().get(finding.rule)
        if text:
            return dataclasses.replace(finding, message=text)
    return finding
