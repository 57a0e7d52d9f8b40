"""The syntax rules compiled to Python (`validation.paths`) find exactly what their XPath finds.

The reference below is the plain reading of a compiled schematron, with every context and every
test run by libxml2 from the XPath kept beside each compiled rule; the fast path must give the
same findings, warnings included, on every file of the corpus and on the official unit tests.
"""

import pytest
from lxml import etree

from chorale.invoicing.formats import detect as d
from chorale.invoicing.formats.errors import FormatError
from chorale.invoicing.formats.tree import xml_path
from chorale.invoicing.validation import structure
from chorale.invoicing.validation.official import stylesheet_for
from conftest import CORPUS

VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"
EXSLT_REGEX, EXSLT_SETS = "http://exslt.org/regular-expressions", "http://exslt.org/sets"


def _corpus_documents() -> list[tuple[str, bytes]]:
    """Every complete file of the corpus, and every document of the official unit tests."""
    en16931 = CORPUS / "en16931"
    files = [
        *sorted((en16931 / "examples-cii").glob("*.xml")),
        *sorted((en16931 / "examples-ubl").glob("*.xml")),
        *sorted((en16931 / "testfiles").glob("*.xml")),
        *sorted(CORPUS.glob("zugferd/**/*.xml")),
    ]
    documents = [(path.name, path.read_bytes()) for path in files]
    for path in sorted(en16931.glob("unit-*/*.xml")):
        for number, test in enumerate(etree.parse(str(path)).getroot().iterchildren(f"{VEFA}test")):
            for child in test:
                if isinstance(child.tag, str) and not child.tag.startswith(VEFA):
                    documents.append((f"{path.name}#{number}", etree.tostring(child)))
    return documents


COMPILED: dict[tuple, etree.XPath] = {}


def _reference(root: etree._Element, rules: structure.Ruleset) -> list[tuple[str, str]]:
    def xpath(expression: str) -> etree.XPath:
        key = (expression, id(rules))
        if key not in COMPILED:
            COMPILED[key] = etree.XPath(expression, namespaces=rules.namespaces)
        return COMPILED[key]

    findings = []
    position = {node: index for index, node in enumerate(root.iter())}
    for pattern in rules.patterns:
        judged: dict = {}
        for template in pattern.templates:
            for node in xpath(template.xpath)(root):
                if isinstance(node, etree._Element):
                    judged.setdefault(node, template)
        for node in sorted(judged, key=position.get):  # each pattern in document order
            template = judged[node]
            for assertion in template.assertions.values():
                if bool(xpath(assertion.xpath)(node)) == assertion.report:
                    findings.append((assertion.rule, xml_path(node)))
    return findings


def _doubled(root: etree._Element) -> bytes:
    """The document with a second copy of the first children of its root and of its
    grandchildren: elements its syntax rules limit to one get counted twice."""
    copy = etree.fromstring(etree.tostring(root))
    for parent in [copy, *list(copy)[:8]]:
        for child in list(parent)[:10]:
            if isinstance(child.tag, str):
                parent.append(etree.fromstring(etree.tostring(child)))
    return etree.tostring(copy)


def test_compiled_syntax_rules_find_what_their_xpath_finds():
    documents = _corpus_documents()
    assert documents
    checked, findings, differences = 0, 0, {}
    for name, data in documents:
        try:
            original = d.detect(data)
        except FormatError:
            continue
        for variant, content in (("", original.xml), (" (doubled)", _doubled(original.root))):
            found = d.detect(content)
            business = found.profile in d.OWN_BUSINESS_RULES
            rules = structure.ruleset(stylesheet_for(found.syntax, found.profile), business)
            expected = _reference(found.root, rules)
            got = [(f.rule, f.where) for f in structure._run(found.tree, rules)]
            checked += 1
            findings += len(expected)
            if got != expected:
                missing = sorted(set(expected) - set(got))[:5]
                extra = sorted(set(got) - set(expected))[:5]
                differences[name + variant] = (missing, extra)
    print(f"\n{checked} documents, {findings} findings, {len(differences)} differences")
    assert checked > 100 and findings > 1000
    assert differences == {}


ODD_VALUES = ("", " 1.50 ", "-0", "NaN", "x  y", "0.005", "-12.5", "1.", ".5", "007", "é", "\u0663")


def test_compiled_rules_find_what_their_xpath_finds_with_odd_values_everywhere():
    """Every leaf of each CEN example given odd values in turn (blank, padded, signed zero,
    no number, two blanks, half a cent…): numbers, strings and code lists read as libxml2
    reads them, and nothing raises."""
    en16931 = CORPUS / "en16931"
    paths = [*sorted((en16931 / "examples-cii").glob("*.xml"))]
    paths += sorted((en16931 / "examples-ubl").glob("*.xml"))
    checked, findings, differences = 0, 0, {}
    for path in paths:
        for offset in range(3):
            root = etree.fromstring(path.read_bytes())
            leaves = [e for e in root.iter() if isinstance(e.tag, str) and not len(e)]
            for number, leaf in enumerate(leaves):
                leaf.text = ODD_VALUES[(number + offset) % len(ODD_VALUES)]
            found = d.detect(etree.tostring(root))
            for business in (False, True):
                rules = structure.ruleset(stylesheet_for(found.syntax, found.profile), business)
                expected = _reference(found.root, rules)
                got = [(f.rule, f.where) for f in structure._run(found.tree, rules)]
                checked, findings = checked + 1, findings + len(expected)
                if got != expected:
                    differences[f"{path.name}+{offset}"] = (
                        sorted(set(expected) - set(got))[:5],
                        sorted(set(got) - set(expected))[:5],
                    )
    assert checked > 150 and findings > 10 * checked
    assert differences == {}


SHAPES = b"""<r xmlns:a="urn:a">
  <a:Price><a:Amount>1</a:Amount><a:AllowanceCharge><a:Amount x="y">2</a:Amount>
  </a:AllowanceCharge></a:Price>
  <a:Price><a:Amount>3</a:Amount></a:Price>
  <a:Line><a:Price><a:Deep><a:Amount>4</a:Amount></a:Deep></a:Price>
  <a:Amount>5.125</a:Amount><a:Note x=" y 	z ">7.5</a:Note></a:Line>
</r>"""


@pytest.mark.parametrize(
    "expression",
    [
        "not(ancestor::a:Price/a:AllowanceCharge)",
        "ancestor::a:Price/a:AllowanceCharge",
        "not(ancestor::a:Price)",
        "ancestor::a:Line/a:Amount",
        "not(//a:Price/a:Amount/@x)",
        "count(//a:AllowanceCharge/a:Amount) = 1",
        "count(a:Amount) <= 1",
        "@x",
        "count(//a:Amount) - count(a:Amount) <= 4",
        "a:Amount != '1'",
        "//a:Amount = '4'",
        "//a:Price/a:Amount != '3'",
        "a:Amount = true()",
        "string-length(substring-after(a:Amount, '.')) <= 2",
        "string-length(substring-after(../a:Amount[1], '.')) <= 2",
        "string-length(substring-after(., '.')) <= 1",
        "contains(' y z 7.5 ', concat(' ', normalize-space(@x), ' '))",
        "contains(' 5.125 7.5 ', concat(' ', normalize-space(.), ' '))",
        "not(contains(normalize-space(@x), ' '))",
        "a:Amount = //a:Deep/a:Amount",
        ". = ../a:Amount",
        "a:Amount != /r/a:Price/a:Amount",
        "@x = ../../a:Line/a:Note/@x",
        "not(/r/a:Line/a:Note)",
        "not(/r/a:Price/a:Amount/@x)",
        "../a:AllowanceCharge",
        "a:Note/@x != 'y'",
        "boolean(a:Amount[normalize-space(.) = '1' or normalize-space(.) = '3'])",
        "boolean(a:Amount/@x[normalize-space(.) = 'y' or normalize-space(.) = '0'])",
        # what else XPath 1.0 says, compiled by `pycode` the same way
        "count(preceding::a:Amount) = 2",
        "count(//a:Amount[not(preceding::a:Amount/. = .)]) = 5",
        "(//a:Amount)[1] = '1'",
        "normalize-space((//a:Note)[1]/@x) = 'y z'",
        "local-name(/*) = 'r'",
        "count(a:*) = 2",
        "count(//a:*[substring(name(), string-length(name()) - string-length('Amount') + 1)"
        " = 'Amount']) = 5",
        "translate(a:Amount, '.', ',') = '5,125'",
        "substring(a:Amount, 2) = '.125'",
        "substring(a:Amount, 1.5, 2.6) = '.12'",
        "substring-before(a:Amount, '.') = '5'",
        "starts-with(., '1')",
        "sum(a:Amount) > 4",
        "sum(//a:Amount) = 15.125",
        "round(a:Amount) = 5",
        "a:Amount div 2 > 2",
        "a:Amount mod 2 = 1.125",
        "-a:Amount < -5",
        "string-length(normalize-space(a:Note/@x)) = 3",
        "concat(a:Amount, '|', a:Note) = '5.125|7.5'",
        "count(a:Amount | a:Note) = 2",
        "count(../a:Price | ../a:Line) >= 1",
        "count(//a:Note | a:Amount | //a:Amount | ../a:Line) = 7",
        "count(a:Amount | ../a:Amount | ../../a:Price) = 3",
        "(//a:Note | //a:Deep/a:Amount | //a:Price/a:Amount)[2] = '3'",
        "(//a:Amount | (//a:Note | //a:Deep))[4] = '3'",
        "string((//a:Note | a:Amount | //a:Amount)/@x) = 'y'",
        # the code lists' two shapes, each compiled as one call (`pycode._code_list`)
        "string-length(.) = 0 or contains(' 1 3 4 ', concat(' ', ., ' '))",
        "string-length(@x) = 0 or contains(' y z ', concat(' ', @x, ' '))",
        "string-length(@x) = 0 or contains(' y ', concat(' ', normalize-space(@x), ' '))",
        "not(contains(normalize-space(@x), ' ')) and contains(' y z ',"
        " concat(' ', normalize-space(@x), ' '))",
        "not(contains(normalize-space(.), ' ')) and contains(' 5.125 7.5 12 ',"
        " concat(' ', normalize-space(.), ' '))",
        "not(contains(normalize-space(.), ' ')) and contains(' 5.125 7.5 ', concat(' ', ., ' '))",
        "count(//a:Amount/..) = 5",
        "count(ancestor::*) = 2",
        "self::a:Amount",
        "not(self::a:Price) and a:Amount",
        "a:Amount > a:Note or a:Amount < a:Note",
        "a:Amount > a:Note",
        "a:Amount >= //a:Amount",
        "a:Amount = 5.125",
        "a:Note != 7.5",
        "a:Amount = a:Note",
        "boolean(a:Amount) = true()",
        "string(a:Amount) = '5.125'",
        "number(a:Note) = 7.5",
        "re:test(a:Amount, '^[0-9]+\\.[0-9]{3}$')",
        "count(set:distinct(//a:Price/a:Amount)) = 2",
        "a:Deep/a:Amount[1] = '4'",
        "count(a:AllowanceCharge/a:Amount[@x = 'y']) = 1",
        "//a:Price[a:Amount = '3']/a:Amount = '3'",
        "/r/a:Line[a:Note]/a:Amount = '5.125'",
        "count(/*/a:Price) = 2",
    ],
)
def test_each_compiled_shape_answers_as_libxml2_on_every_element(expression):
    """Shapes the corpus alone would not tell apart (an ancestor with or without the child
    asked for, at several depths), on every element of a small document."""
    from chorale.invoicing.formats.tree import Tree
    from chorale.invoicing.validation import rulecode

    namespaces = {"a": "urn:a", "re": EXSLT_REGEX, "set": EXSLT_SETS}
    root = etree.fromstring(SHAPES)
    tree = Tree(root)
    compiled = rulecode.compile_test(
        expression.replace("re:", "exslt-regex:").replace("set:", "exslt-sets:"), namespaces
    )
    assert compiled is not None, "this shape is expected to be compiled to Python"
    xpath = etree.XPath(f"boolean({expression})", namespaces=namespaces)
    for branch in tree.branches():
        assert bool(compiled(branch, tree)) == xpath(branch.element), (expression, branch.path)


def test_a_code_list_check_reads_its_code_once_only_when_both_sides_read_the_same_one():
    """`pycode._code_list` fuses the code lists' two shapes, and nothing that only resembles
    them (the shapes' answers are checked against libxml2 above)."""
    from chorale.invoicing.validation.pycode import Compiler

    compiler = Compiler({"a": "urn:a"})
    listed = "contains(' A B ', concat(' ', {}, ' '))"
    assert compiler.test(f"string-length(@x) = 0 or {listed.format('@x')}").startswith(
        "empty_or_listed(attribute_of(b, 'x') or '', CODES_"
    )
    spaced = "not(contains(normalize-space(a:C), ' ')) and " + listed.format("normalize-space(a:C)")
    assert compiler.test(spaced).startswith("code_listed(string_of(")
    for other in (
        f"string-length(@y) = 0 or {listed.format('@x')}",
        f"string-length(@x) = 1 or {listed.format('@x')}",
        f"string-length(@x) = 0 and {listed.format('@x')}",
        "not(contains(normalize-space(a:D), ' ')) and " + listed.format("normalize-space(a:C)"),
        "not(contains(a:C, ' ')) and " + listed.format("a:C"),
        "not(contains(normalize-space(a:C), ' ')) or " + listed.format("normalize-space(a:C)"),
    ):
        assert "listed(" in compiler.test(other)
        assert "empty_or_listed" not in compiler.test(other)
        assert "code_listed" not in compiler.test(other)


def test_a_node_compared_with_a_boolean_is_cast_as_in_xpath_2():
    """« cbc:ChargeIndicator = false() »: XPath 2.0 casts the text (« false », « 0 »), where
    XPath 1.0 would ask whether the node exists (and take every allowance for a charge)."""
    from chorale.invoicing.validation.translate import xpath_1

    namespaces = {"cac": "urn:a", "cbc": "urn:b"}
    rewritten = xpath_1("cac:AllowanceCharge[cbc:ChargeIndicator = false()]", {}, None, namespaces)
    root = etree.fromstring(
        b'<r xmlns:cac="urn:a" xmlns:cbc="urn:b"><cac:AllowanceCharge><cbc:ChargeIndicator>'
        b"true</cbc:ChargeIndicator></cac:AllowanceCharge><cac:AllowanceCharge>"
        b"<cbc:ChargeIndicator> false </cbc:ChargeIndicator></cac:AllowanceCharge></r>"
    )
    assert [
        e.getparent().index(e) for e in etree.XPath(rewritten, namespaces=namespaces)(root)
    ] == [1]


def test_a_function_applied_as_a_path_step_is_rewritten_even_within_another():
    """« cac:TaxScheme/normalize-space(upper-case(cbc:ID)) » (the UBL VAT-category contexts)
    is XPath 2.0 only; as XPath 1.0 it selects the same tax categories."""
    from chorale.invoicing.validation.translate import xpath_1

    namespaces = {"cac": "urn:a", "cbc": "urn:b"}
    rewritten = xpath_1(
        "//cac:TaxCategory[cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = 'VAT']",
        {},
        None,
        namespaces,
    )
    root = etree.fromstring(
        b'<r xmlns:cac="urn:a" xmlns:cbc="urn:b"><cac:TaxCategory><cac:TaxScheme><cbc:ID> vat'
        b"</cbc:ID></cac:TaxScheme></cac:TaxCategory><cac:TaxCategory><cac:TaxScheme><cbc:ID>"
        b"GST</cbc:ID></cac:TaxScheme></cac:TaxCategory></r>"
    )
    found = etree.XPath(rewritten, namespaces=namespaces)(root)
    assert [e.getparent().index(e) for e in found] == [0]


def test_two_decimals_are_read_as_saxon_reads_them_not_as_libxml2():
    """« . = round(. * 100) div 100 » (BR-DEC-13 in BASIC WL): libxml2 reads « 1.64 » as
    1.6400000000000001 and says no; the official engine, and the compiled test, say yes."""
    from chorale.invoicing.formats.tree import Tree
    from chorale.invoicing.validation import rulecode

    expression = ". = round(. * 100) div 100"
    compiled = rulecode.compile_test(expression, {})
    root = etree.fromstring(b"<r><a>1.64</a><a>1.645</a><a>-2.5</a><a>x</a><a>INF</a></r>")
    tree = Tree(root)
    answers = [compiled(branch, tree) for branch in tree.branches()[1:]]
    assert answers == [True, False, True, False, True]
    assert not etree.XPath(f"boolean({expression})")(root[0])  # libxml2's reading
