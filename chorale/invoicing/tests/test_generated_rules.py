"""The official rules ahead of time (`validation/generated/`): each module is exactly what
`python -m chorale.invoicing.validation.generate` writes from the stylesheet today, so a new
official release or a change of the translation shows as a diff to review; the engine loads
them instead of reading the stylesheets, and says which rules no XPath 1.0 here says."""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from chorale.invoicing.validation import generate, generated, rulecode, structure
from chorale.invoicing.validation.generated import Description, Rule, Template
from chorale.invoicing.validation.official import CEN_CII, CEN_UBL, CII_STYLESHEETS
from chorale.invoicing.validation.translate import describe

ROOT = Path(__file__).resolve().parents[3]


def test_the_generated_modules_are_what_the_stylesheets_give_today():
    """Each module, loaded, is the stylesheet's description; its text is what the command
    writes today (`test_the_command_runs_on_its_own`: --check, else regenerate and review)."""
    for stylesheet in generate.STYLESHEETS:
        assert generated.load(stylesheet) == describe(stylesheet), stylesheet


def test_a_stale_module_is_caught(tmp_path, monkeypatch, capsys):
    minimum = CII_STYLESHEETS["MINIMUM"]  # (one rule set: each is checked the same way)
    stale = tmp_path / f"{generated.module_name(minimum)}.py"
    stale.write_text((generate.FOLDER / stale.name).read_text())
    monkeypatch.setattr(generate, "FOLDER", tmp_path)
    monkeypatch.setattr(generate, "STYLESHEETS", [minimum])
    assert generate.main(["--check"]) == 0
    stale.write_text(stale.read_text().replace("FX-SCH-A-", "XX-", 1))
    assert generate.main(["--check"]) == 1
    assert "factur_x_1_09_minimum.py" in capsys.readouterr().out


def test_the_engine_runs_from_them_and_lists_what_xpath_1_cannot_say():
    minimum = CII_STYLESHEETS["MINIMUM"]
    assert generated.load(minimum).sha256 == describe(minimum).sha256
    rules = structure.ruleset(CEN_UBL)
    assert rules.patterns and rules.skipped == frozenset()  # all said, or by a Python rule
    missing = generate.untranslated(CII_STYLESHEETS["EXTENDED"])
    assert "BR-FXEXT-S-08ini" in missing  # a tolerance: the official engine judges it
    assert generated.load("nowhere/unknown.xsl") is None  # then read from the stylesheet
    # the evaluator's share, counted by the command: what `pycode` does not compile (none
    # of the official rules today; a position, for one)
    assert generate.on_libxml2(CEN_UBL) == generate.on_libxml2(CEN_CII) == []
    template = Template(
        "M1", 1.0, "//a", (Rule("X-1", "fatal", False, "b[position() = 2]", "", ""),)
    )
    described = Description("x.xsl", "", {}, frozenset(), (template,))
    compiled = rulecode.load(rulecode.render(described))
    assert generate.left_to_libxml2(described, compiled) == ["X-1: b[position() = 2]"]


def test_without_its_module_a_rule_set_is_described_and_compiled_at_run_time(monkeypatch):
    """A stylesheet changed and not regenerated: the engine describes and compiles it in the
    process, and judges as from the kept module."""
    from chorale.invoicing.formats import detect as d
    from chorale.invoicing.formats.errors import FormatError
    from conftest import CORPUS

    minimum = CII_STYLESHEETS["MINIMUM"]
    kept = structure.ruleset.__wrapped__(minimum, True)
    monkeypatch.setattr(generated, "load", lambda relative_path: None)
    monkeypatch.setattr(generated, "compiled", lambda relative_path: None)
    compiled_now = structure.ruleset.__wrapped__(minimum, True)
    checks = [t.check for p in compiled_now.patterns for t in p.templates if t.check]
    assert checks and {c.__code__.co_filename for c in checks} == {"<compiled rules>"}
    judged = 0
    for path in sorted(CORPUS.glob("zugferd/**/*.xml")):
        try:
            found = d.detect(path.read_bytes())
        except FormatError:
            continue  # a file of the corpus that is no invoice
        if found.syntax != d.CII:
            continue
        expected = [(f.rule, f.where) for f in structure._run(found.tree, kept)]
        assert [(f.rule, f.where) for f in structure._run(found.tree, compiled_now)] == expected
        judged += 1
    assert judged > 10


def test_the_command_runs_on_its_own():
    done = subprocess.run(
        [sys.executable, "-m", "chorale.invoicing.validation.generate", "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_variable_is_never_read_from_another_node_than_the_rules():
    """BR-FREXT-11 (EXTENDED-CTC-FR): « a parent line identifier names another line »; its
    XPath reads the rule's $parentID and $lineID inside a predicate over the other lines, where
    inlining them would read each candidate line's own (every sub-line refused). It is left to
    the official engine: both engines agree on a right, a dangling and a self reference."""
    import copy

    from lxml import etree

    from chorale.invoicing.formats import read_invoice
    from chorale.invoicing.validation import validate_document
    from chorale.invoicing.validation.translate import Untranslatable, xpath_1
    from conftest import CORPUS

    ns = {"a": "urn:a"}
    assert xpath_1("a:X[a:Y = $v]", {"v": "'k'"}, None, ns) == "a:X[a:Y = ('k')]"
    assert xpath_1("a:X[a:Y = $v]", {"v": "/a:R/a:K"}, None, ns) == "a:X[a:Y = (/a:R/a:K)]"
    for relative in ("a:K", "normalize-space(a:K)"):
        with pytest.raises(Untranslatable):
            xpath_1("a:X[a:Y = $v]", {"v": relative}, None, ns)
    assert xpath_1("$v != ''", {"v": "normalize-space(a:K)"}, None, ns) == (
        "(normalize-space(a:K)) != ''"
    )
    ram = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
    path = sorted((CORPUS / "zugferd" / "v2-correct" / "intarsys" / "EXTENDED").glob("*.pdf"))[0]
    root = etree.fromstring(read_invoice(path.read_bytes())[0].xml)
    (guideline,) = root.iter("{*}GuidelineSpecifiedDocumentContextParameter")
    guideline.find(
        "{*}ID"
    ).text = "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr"
    second = list(root.iter(f"{ram}IncludedSupplyChainTradeLineItem"))[1]
    parent = etree.Element(f"{ram}ParentLineID")
    second.find(f"{ram}AssociatedDocumentLineDocument/{ram}LineID").addnext(parent)
    for reference, fires in (("1", False), ("9", True), ("2", True)):
        parent.text = reference
        found, invoice = read_invoice(etree.tostring(copy.deepcopy(root)))
        for engine in ("native", "official"):
            rules = {f.rule for f in validate_document(found, invoice, engine)}
            assert ("BR-FREXT-11" in rules) is fires, (reference, engine)


def test_the_schemas_are_the_wheels_own_and_found_without_importing_it():
    from facturx.facturx import FACTURX_LEVEL2xsd, UBL_21_xsd

    from chorale.invoicing.formats import detect as d
    from chorale.invoicing.validation import schema

    assert {
        d.MINIMUM: FACTURX_LEVEL2xsd["minimum"],
        d.BASIC_WL: FACTURX_LEVEL2xsd["basicwl"],
        d.BASIC: FACTURX_LEVEL2xsd["basic"],
        d.EN16931: FACTURX_LEVEL2xsd["en16931"],
        d.EXTENDED: FACTURX_LEVEL2xsd["extended"],
        d.EXTENDED_CTC_FR: FACTURX_LEVEL2xsd["extended-ctc-fr"],
    } == schema.CII_SCHEMAS
    assert {
        d.UBL_INVOICE: UBL_21_xsd["ubl-2.1-invoice"],
        d.UBL_CREDIT_NOTE: UBL_21_xsd["ubl-2.1-creditnote"],
    } == schema.UBL_SCHEMAS
    for path in (*schema.CII_SCHEMAS.values(), *schema.UBL_SCHEMAS.values()):
        assert (schema.artefacts() / path).is_file(), path
    alone = subprocess.run(
        [sys.executable, "-c", "import sys; from chorale.invoicing.validate import "
         "validate_path; validate_path(sys.argv[1]); print('facturx' in sys.modules)",
         str(sorted((ROOT / "tests/corpus/en16931/examples-ubl").glob("*.xml"))[0])],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert alone.stdout.strip() == "False", alone.stderr


def test_a_context_is_skipped_only_where_none_of_its_nodes_can_be():
    """Its anchors are the tag paths of a context going down from the root by named child
    steps, whatever their predicates; else the tags of the last step of each alternative;
    none for a context that may end on any element. On every corpus file, a context none of
    whose anchors the document holds has no node, by its compiled function and by libxml2
    (the engine does not evaluate it)."""
    from chorale.invoicing.formats import detect as d
    from chorale.invoicing.formats.errors import FormatError
    from chorale.invoicing.validation.official import stylesheet_for
    from chorale.invoicing.validation.pycode import Compiler
    from conftest import CORPUS

    compiler = Compiler({"a": "urn:a", "b": "urn:b"})
    anchors = rulecode.anchor_tags
    assert anchors(compiler, "//a:x/b:y[@z] | /a:r/a:x") == ("{urn:a}x", "{urn:b}y")
    assert anchors(compiler, "//a:x/ancestor::b:y") == ("{urn:b}y",)
    for open_ended in ("//a:x/*", "//a:x | //*[a:y]", "//a:x/..", "//a:*", "//a:x/@b"):
        assert anchors(compiler, open_ended) == (), open_ended
    paths = rulecode.anchor_paths
    assert paths(compiler, "/a:r/b:y[a:z = '1'][2]/a:x | /a:r/b:w") == (
        ("{urn:a}r", "{urn:b}w"),
        ("{urn:a}r", "{urn:b}y", "{urn:a}x"),
    )
    for not_down in ("/a:r//a:x", "//a:x", "/a:r/a:x/..", "/a:r/*/a:x", "/a:r/a:x | //a:y"):
        assert paths(compiler, not_down) == (), not_down
    skipped = Counter()
    for path in sorted(CORPUS.rglob("*.xml")):
        try:
            found = d.detect(path.read_bytes())
        except FormatError:
            continue
        stylesheet = stylesheet_for(found.syntax, found.profile)
        rules = structure.ruleset(stylesheet, structure.business_in_stylesheet(found, stylesheet))
        for pattern in rules.patterns:
            for _index, template in pattern.others:
                if not template.anchors:
                    continue
                held = structure._anchored_in(found.tree, template.anchors)
                if held.keys().isdisjoint(template.anchors):
                    assert not template.context(found.tree), (path.name, template.xpath)
                    official = etree.XPath(template.xpath, namespaces=rules.namespaces)
                    assert not official(found.root), (path.name, template.xpath)
                    skipped[held is found.tree.by_path] += 1
    assert skipped[True] > 1000 and skipped[False] > 1000, skipped


def test_the_forbidden_paths_below_a_lone_branch_are_found_as_by_a_scan(monkeypatch):
    """`forbidden` (in Python, and compiled where built) writes each table once per branch
    path with whole paths: on a third of the corpus, for every table of the generated
    modules and every lone branch, the same asserts as a scan of the document's paths below
    the branch, its kept tables emptied
    past their cap."""
    import importlib

    from chorale.invoicing.formats import detect as d
    from chorale.invoicing.formats.errors import FormatError
    from chorale.invoicing.validation import xpath
    from conftest import CORPUS

    def scanned(branch, tree, table) -> list[int]:
        size, found = len(branch.path), set()
        for path in tree.by_path:
            if path[:size] == branch.path:
                found.update(table.get(path[size:], ()))
        return sorted(found)

    folder = Path(generated.__file__).parent
    tables = [
        value
        for module in sorted(folder.glob("[!_]*.py"))
        for key, value in vars(
            importlib.import_module(f"{generated.__name__}.{module.stem}")
        ).items()
        if key.startswith("FORBIDDEN_")
    ]
    monkeypatch.setattr(xpath, "MOST_WHOLE_PATHS", 50)
    helpers = {xpath.PYTHON_HELPERS.get("forbidden", xpath.forbidden), xpath.forbidden}
    compared = 0
    for path in sorted(CORPUS.rglob("*.xml"))[::3]:
        try:
            tree = d.detect(path.read_bytes()).tree
        except FormatError:
            continue
        for branch in tree.branches():
            if branch.alone and len(branch.path) <= 3:
                for table in tables:
                    expected = scanned(branch, tree, table)
                    for forbidden in helpers:  # the Python one, and the compiled one if built
                        found = forbidden(branch, tree, table, frozenset())
                        assert sorted(found) == expected
                    compared += bool(expected)
    assert compared > 100 and len(xpath._WHOLE_PATHS) <= 50
