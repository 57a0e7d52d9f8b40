"""The engine's compiled core (`invoicing/_core.pyx`) and its pure-Python fallback: built where
a C compiler is, turned off by CHORALE_PURE_PYTHON=1, and the same walks and reports, branch by
branch and finding by finding, on every corpus file."""

import math
import os
import shutil
import subprocess
import sys
from operator import eq, ge, lt

import pytest

from chorale.invoicing import compiled
from chorale.invoicing.formats.tree import Tree
from conftest import CORPUS

from .cores import using


def test_both_cores_walk_every_corpus_file_alike():
    """Branch by branch (element, tag, path, order, parent, lone, children), and the same
    indexes (by path, by tag, by attribute)."""
    from chorale.invoicing.formats import detect
    from chorale.invoicing.formats.errors import FormatError

    def shape(tree: Tree) -> tuple:
        def orders(index) -> dict:
            return {key: [b.order for b in found] for key, found in index.items()}

        branches = [
            (b.element, b.tag, b.path, b.order, b.up, b.alone, orders(b.children))
            for b in tree.branches()
        ]
        tree.with_attribute("")  # its index of attributes, made at first use
        return branches, orders(tree.by_path), orders(tree.by_tag), orders(tree._attributes)

    walked_files = 0
    for path in sorted(CORPUS.rglob("*.xml")):
        try:
            root = detect.detect(path.read_bytes()).root
        except FormatError:
            continue
        with using("compiled"):
            walked = shape(Tree(root))
        with using("pure"):
            assert shape(Tree(root)) == walked, path
        walked_files += 1
    assert walked_files > 100


def test_both_cores_read_every_corpus_file_into_the_same_model():
    """Term by term, reading problems included (the compiled core's `Node` and `read_terms`
    against the Python ones); and a file whose terms are spoiled: a word, an infinity and
    digits grouped by '_' for amounts, an impossible date, an identifier with only its
    scheme, blank texts, a name between Unicode spaces."""
    from chorale.invoicing.formats import read_invoice
    from chorale.invoicing.formats.errors import FormatError

    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".xml", ".pdf"))
    example = (CORPUS / "en16931" / "examples-cii" / "CII_example1.xml").read_text()
    spoiled = (
        example.replace("<ram:LineTotalAmount>", "<ram:LineTotalAmount>douze", 1)
        .replace("<ram:ChargeAmount>9.95<", "<ram:ChargeAmount> Infinity <", 1)
        .replace("<ram:ChargeAmount>35<", "<ram:ChargeAmount>1_000<", 1)
        .replace("<ram:Name>POT KETCHUP 3 LT<", "<ram:Name>\u00a0POT KETCHUP\u2003<", 1)
        .replace("20150109", "20151345", 1)
        .replace("<ram:ID>12115118</ram:ID>", "<ram:ID>  </ram:ID>", 1)
        .replace(
            "<ram:SpecifiedTradeProduct>",
            '<ram:SpecifiedTradeProduct><ram:GlobalID schemeID=" 0160 "> </ram:GlobalID>',
            1,
        )
    )
    assert spoiled.count("douze") == 1 and spoiled.count("20151345") == 1
    assert spoiled.count("Infinity") == 1 and spoiled.count("1_000") == 1
    assert spoiled.count("\u2003") == 1
    contents = [p.read_bytes() for p in files] + [spoiled.encode()]
    read = 0
    for data in contents:
        models = []
        for core in ("compiled", "pure"):
            with using(core):
                try:
                    _found, invoice = read_invoice(data)
                except FormatError:
                    break
                models.append((invoice, invoice.reading_problems))
        if models:
            assert models[0] == models[1]
            read += 1
    problems = models[0][1]
    assert {p.code for p in problems} == {"value_not_a_number", "value_not_a_date"}
    assert read > 100
    from chorale.invoicing.formats import ubl_reader, values

    with using("compiled"):  # what the compiled reading reads with
        assert type(values.node_of(None, ubl_reader.SYNTAX)) is compiled.built.Node


def test_both_cores_answer_the_xpath_helpers_alike_on_every_corpus_file():
    """The helpers the compiled rules call most (`_core.HELPERS`), compiled, against the Python
    ones (which answer for the branches of the pure-Python walk): string values, child paths
    from every branch (present, absent, from branches alone at their path or not), a child
    step from every tag's node set (all of it, one node, none),
    « //a/b » for every path's endings, the elements by the end of their name, the ancestors
    of each tag's nodes, and the attributes of every name."""
    from chorale.invoicing.validation import xpath

    if compiled.built is None:
        pytest.skip("the compiled core is not built here (test_compiled_core says why that fails)")
    assert all(getattr(xpath, n) is getattr(compiled.built, n) for n in compiled.built.HELPERS)

    def orders(found) -> list:
        return [b.order for b in found]

    checked = attributes = ancestors = strings = steps = 0
    for mine, theirs, pairs in _walked_twice(sorted(CORPUS.rglob("*.xml"))[::3]):
        for a, b in pairs:
            assert xpath.string_value(a) == xpath.string_value(b)
            strings += _string_helpers_agree(xpath.string_value(a))
            kids = [c for group in a.children.values() for c in group]
            same = [theirs.branches()[c.order] for c in kids]
            assert xpath.values(kids) == xpath.values(same)
            for text in {*xpath.values(kids[:2]), "", "{urn:x}absent"}:  # node set = string
                assert xpath.has_value(kids, text) == xpath.PYTHON_HELPERS["has_value"](same, text)
            for chosen in (kids, kids[::-1], kids[1:2]):  # string(): the first in document order
                assert xpath.string_of(chosen) == xpath.PYTHON_HELPERS["string_of"](
                    [theirs.branches()[c.order] for c in chosen]
                )
            size = len(a.path)
            for below in mine.by_path:
                if below[:size] != a.path or len(below) == size:
                    continue
                for tags in (below[size:], (*below[size:], "{urn:x}absent")):
                    assert xpath.has(a, mine, tags) == xpath.has(b, theirs, tags)
                    assert orders(xpath.nodes(a, mine, tags)) == orders(
                        xpath.nodes(b, theirs, tags)
                    )
                    checked += 1
        for below in mine.by_path:
            for length in (1, 2, 3):
                tags = below[-length:]
                assert orders(xpath.anywhere(mine, tags)) == orders(xpath.anywhere(theirs, tags))
        for suffix in ("Amount", "ID", "", "}Invoice", "{urn:x}absent"):  # //*[name ends so]
            assert sorted(orders(xpath.ending(mine, suffix))) == [
                b.order for b in theirs.branches() if b.tag.endswith(suffix)
            ]
        for tag, found in mine.by_tag.items():  # ancestor:: of each tag's nodes, of each node
            same = [theirs.branches()[b.order] for b in found]
            below = {t for b in found for t in b.children} | {"{urn:x}absent"}
            for chosen in (found, found[:1], found[-1:], []):  # a child step from a node set
                for child in below:
                    steps += 1
                    assert orders(xpath.down(chosen, child)) == orders(
                        xpath.PYTHON_HELPERS["down"](
                            [theirs.branches()[b.order] for b in chosen], child
                        )
                    )
            parent = found[0].path[-2] if len(found[0].path) > 1 else None
            for above in (None, mine.root.tag, parent, tag, "{urn:x}absent"):
                assert orders(xpath.ancestor(mine, found, above)) == orders(
                    xpath.ancestor(theirs, same, above)
                )
                ancestors += len(xpath.ancestor(mine, found[-1:], above))
        names = {"{urn:x}absent", *(n for b in pairs for n in b[0].element.attrib)}
        for name in names:  # every attribute's name, namespaced ones too, and absent ones
            assert xpath.with_attribute(mine, name) == xpath.with_attribute(theirs, name)
            for a, b in pairs:
                assert xpath.attribute_of(a, name) == xpath.attribute_of(b, name)
            for found in mine.by_tag.values():
                values = xpath.attributes(found, name)
                assert values == xpath.attributes([theirs.branches()[b.order] for b in found], name)
                attributes += bool(values)
    assert checked > 10_000 and attributes > 300 and ancestors > 1_000 and steps > 10_000
    assert strings > 20_000
    with pytest.raises(IndexError):  # no tags: refused as in Python, never read past them
        xpath.has(mine.root, mine, ())
    with pytest.raises(IndexError):
        xpath.anywhere(mine, ())
    with pytest.raises(ValueError):  # no name: as lxml says
        xpath.attributes(mine.branches(), "")
    python = xpath.PYTHON_HELPERS
    for name in ("schemeID", "", "{urn:x}absent"):  # an empty node set: no value, at once
        assert xpath.attributes([], name) == python["attributes"]([], name) == []
    for tag in (None, mine.root.tag):
        assert xpath.ancestor(mine, [], tag) == python["ancestor"](theirs, [], tag) == []


def test_both_cores_find_the_forbidden_paths_alike_on_corpus_files():
    """`forbidden` (the « not(a/b) » asserts judged by one scan of the paths): for every table
    of the generated rules, from every branch of corpus files of each syntax, with and without
    rules skipped, the same indexes; and its memory of the tables' whole paths is emptied
    past its size, never wrong."""
    from chorale.invoicing.validation import xpath

    if compiled.built is None:
        pytest.skip("the compiled core is not built here (test_compiled_core says why that fails)")
    tables = _forbidden_tables()
    assert len(tables) > 10
    python = xpath.PYTHON_HELPERS["forbidden"]
    files = [p for p in sorted(CORPUS.rglob("*.xml")) if "unit" not in str(p)][::12]
    hits = judged = 0
    for mine, theirs, pairs in _walked_twice(files):
        for table in tables:
            skip = frozenset(sorted({i for hit in table.values() for i in hit})[::2])
            for a, b in pairs:
                for skipped in (frozenset(), skip):
                    found = xpath.forbidden(a, mine, table, skipped)
                    assert sorted(found) == sorted(python(b, theirs, table, skipped))
                    assert len(found) == len(set(found))
                    hits += bool(found)
                    judged += 1
    assert judged > 50_000 and hits > 100


def _walked_twice(paths):
    """Each of these files that is an invoice, walked by both cores: the compiled walk's tree,
    the pure-Python walk's, and their branches side by side."""
    from chorale.invoicing.formats import detect
    from chorale.invoicing.formats.errors import FormatError

    for path in paths:
        try:
            root = detect.detect(path.read_bytes()).root
        except FormatError:
            continue
        with using("compiled"):
            mine = Tree(root)
        with using("pure"):
            theirs = Tree(root)
        yield mine, theirs, list(zip(mine.branches(), theirs.branches(), strict=True))


def _forbidden_tables() -> list[dict]:
    """The tables of « not(a/b) » asserts of every generated rule set."""
    import importlib
    import pkgutil

    from chorale.invoicing.validation import generated

    found = []
    for module in pkgutil.iter_modules(generated.__path__):
        rules = importlib.import_module(f"{generated.__name__}.{module.name}")
        found += [v for k, v in vars(rules).items() if k.startswith("FORBIDDEN_")]
    return found


NUMBERS = (  # xs:double's forms and near misses
    *("1e3", "+1", "-INF", "INF", "+INF", "1.", ".5", "-.5E-2", " 12 ", "\t-0\n", "007"),
    *("\u0663", "1\u0663", "1e", "e3", ".", "-", "+", "0x10", "1_000", "Infinity", "inf"),
    *("nan", "NaN", "1e3.5", "1 2", "INFINITY", "--1", "1.5.2", ""),
)
CODES = frozenset(["FR", "DE", "A B"])
WRITTEN = " FR DE A B "


def _string_helpers_agree(text: str) -> int:
    """The compiled string helpers answer as the Python ones on this text and on variants of
    it (blanks of XML's four kinds and a non-breaking space around it, a code of the list);
    how many texts were checked."""
    from chorale.invoicing.validation import xpath

    python = xpath.PYTHON_HELPERS
    texts = (
        text,
        f" {text}\t",
        f"\n{text}\r\n{text} ",
        f"\xa0{text}",
        "FR",
        " FR ",
        "FR DE",
        "A  B",
        "A\tB",
        "",
    )
    for variant in (*texts, *NUMBERS):
        number = xpath.number(variant)
        assert repr(number) == repr(python["number"](variant)), variant  # (NaN as NaN)
        for operator in (eq, lt, ge):
            for value in (0.0, 1.5, 1000.0, math.nan):
                found = [variant, "x", variant]
                assert xpath.compare(found, operator, value) == python["compare"](
                    found, operator, value
                ), (variant, operator, value)
    for variant in texts:
        assert xpath.normalized(variant) == python["normalized"](variant), variant
        for separator in (".", "", " ", "0", variant[:2]):
            assert xpath.after(variant, separator) == python["after"](variant, separator)
        for name in ("listed", "empty_or_listed", "code_listed"):
            assert xpath.__dict__[name](variant, CODES, WRITTEN) == python[name](
                variant, CODES, WRITTEN
            ), (name, variant)
    return len(texts)


def test_both_cores_measure_the_depth_of_a_document_alike():
    """The nesting cap (`formats.xml.too_deep`): the core's pass over libxml2's nodes and the
    XPath « boolean(/*/*…) » say the same at every depth around the cap, on documents with
    siblings, comments, processing instructions and text at every level, and on the corpus."""
    import random

    from lxml import etree

    from chorale.invoicing.formats.xml import MAX_DEPTH

    if compiled.built is None:
        pytest.skip("the compiled core is not built here")
    chance = random.Random(24)

    def nested(levels: int) -> bytes:
        parts = []
        for level in range(levels):
            parts.append(chance.choice(["", "t", "<!--c-->", "<?p?>", "<s/>", "<s><u/></s>"]))
            parts.append(f"<e{level}>")
        parts.append(chance.choice(["", "x", "<!--c-->"]))
        for level in reversed(range(levels)):
            parts.append(f"</e{level}>" + chance.choice(["", "<s/>", "<!--c-->", "t"]))
        return ("<r>" + "".join(parts) + "</r>").encode()

    documents = [etree.fromstring(nested(n)) for n in range(55, 70) for _ in range(4)]
    documents += [etree.parse(str(path)).getroot() for path in sorted(CORPUS.rglob("*.xml"))[:60]]
    for root in documents:
        for most in (1, 2, 5, 8, 12, MAX_DEPTH - 2, MAX_DEPTH, MAX_DEPTH + 2):
            xpath = etree.XPath("boolean(" + "/*" * (most + 1) + ")")
            assert compiled.built.deeper_than(root, most) == xpath(root), most


def test_both_cores_find_a_comment_in_a_leaf_alike():
    """`formats.xml._comment_in_leaf` (whether the blanks between elements must be kept): the
    compiled pass over the elements and lxml's iteration agree on every corpus file, with a
    comment added in each of its leaves in turn and outside the root."""
    from lxml import etree

    from chorale.invoicing.formats import xml

    if compiled.built is None:
        pytest.skip("the compiled core is not built here (test_compiled_core says why that fails)")
    documents = [
        etree.fromstring(text)
        for text in (
            "<a><b> <!--c--> </b></a>",
            "<a><!--c--><b/></a>",
            "<a><b>x</b><!--c--></a>",
            "<a><!--c--></a>",
            "<a><b><c><!--x--></c></b></a>",
            "<a/>",
        )
    ]
    for path in sorted(CORPUS.rglob("*.xml"))[::4]:
        root = etree.parse(str(path)).getroot()
        documents.append(root)
        leaves = [i for i, e in enumerate(root.iter("*")) if e.find("*") is None]
        for index in leaves[::7]:
            changed = etree.fromstring(etree.tostring(root))
            list(changed.iter("*"))[index].append(etree.Comment("c"))
            documents.append(changed)
    found = []
    for root in documents:
        with using("compiled"):
            mine = xml._comment_in_leaf(root)
        with using("pure"):
            theirs = xml._comment_in_leaf(root)
        assert mine == theirs
        found.append(mine)
    assert found.count(True) > 100 and found.count(False) > 40


def test_both_cores_read_the_specification_identifier_alike():
    """BT-24 (`detect._specification_id`): the compiled core's descent along the child steps
    and libxml2's XPath agree on every corpus file and where they could part: the first
    context without an identifier and the second with one, a comment or a child before the
    text, blanks, another namespace, none at all."""
    from lxml import etree

    from chorale.invoicing.formats import detect

    if compiled.built is None:
        pytest.skip("the compiled core is not built here (test_compiled_core says why that fails)")
    rsm, ram = detect.CII_NS, detect.RAM_NS
    context = "rsm:ExchangedDocumentContext"
    parameter = "ram:GuidelineSpecifiedDocumentContextParameter"
    cii = [
        f"<{context}><{parameter}/></{context}>"
        f"<{context}><{parameter}><ram:ID> urn:b </ram:ID></{parameter}></{context}>",
        f"<{context}><{parameter}><ram:ID> urn:c<!--c-->d<x/></ram:ID></{parameter}></{context}>",
        f"<{context}><{parameter}><ram:ID/><ram:ID>urn:e</ram:ID></{parameter}></{context}>",
        f"<{context}><{parameter}><ram:ID><!--c-->urn:d</ram:ID></{parameter}></{context}>",
        f'<{context}><{parameter}><ID xmlns="urn:x">urn:f</ID></{parameter}></{context}>',
        f"<{context}/>",
        "",
    ]
    documents = [
        etree.fromstring(f'<rsm:CrossIndustryInvoice xmlns:rsm="{rsm}" xmlns:ram="{ram}">{body}'
                         "</rsm:CrossIndustryInvoice>")
        for body in cii
    ]  # fmt: skip
    documents += [
        etree.fromstring(f'<Invoice xmlns="{detect.UBL_INVOICE_NS}" xmlns:cbc="{detect.CBC_NS}">'
                         f"{body}</Invoice>")
        for body in ("<cbc:CustomizationID>\turn:u </cbc:CustomizationID>", "<cbc:ID>x</cbc:ID>")
    ]  # fmt: skip
    for path in sorted(CORPUS.rglob("*.xml")):
        root = etree.parse(str(path)).getroot()
        if root.tag in detect.ROOTS:
            documents.append(root)
    said = set()
    for root in documents:
        syntax = detect.ROOTS.get(root.tag, detect.UBL_INVOICE)
        with using("compiled"):
            mine = detect._specification_id(root, syntax)
        with using("pure"):
            theirs = detect._specification_id(root, syntax)
        assert mine == theirs, root.tag
        said.add(mine)
    assert {"urn:b", "urn:c", "", "urn:u"} <= said and len(documents) > 100


def test_the_compiled_core_names_each_element_by_its_own_name_and_namespace():
    """Its tags, made once per name and kept across documents, stay right: one local name in
    two namespaces and in none, the same names in a later document parsed apart, and more
    names than it keeps (its memory is emptied, never wrong)."""
    from lxml import etree

    many = "".join(f"<n{i}/><b:n{i}/>" for i in range(2500))
    documents = [
        '<r xmlns:a="urn:a" xmlns:b="urn:b"><a:x/><b:x/><x/><a:x><b:x/></a:x></r>',
        '<r xmlns="urn:b" xmlns:a="urn:a"><x/><a:x/></r>',
        f'<r xmlns:b="urn:b">{many}<x/></r>',
        '<a:r xmlns:a="urn:a"><x/><a:x/></a:r>',
    ]
    for text in documents:
        root = etree.fromstring(text, etree.XMLParser())  # a parser of its own each time
        with using("compiled"):
            tags = [b.tag for b in Tree(root).branches()]
        assert tags == [element.tag for element in root.iter()]


def test_the_walks_tags_are_the_very_strings_the_rules_and_readers_name():
    """The compiled walk interns its tags, as the generated rules their tag constants and the
    readers their paths' tags: a look-up of one by the other finds it by identity, never
    character by character (each tag holds its namespace's long URI)."""
    from lxml import etree

    from chorale.invoicing.formats import cii_reader
    from chorale.invoicing.validation.generated import en16931_cii_validation as rules

    if compiled.built is None:
        pytest.skip("the compiled core is not built here (test_compiled_core says why that fails)")
    data = (CORPUS / "en16931" / "examples-cii" / "CII_example1.xml").read_bytes()
    with using("compiled"):
        branches = Tree(etree.fromstring(data)).branches()
    tags = {b.tag for b in branches}
    assert len(tags) > 50 and all(sys.intern(tag) is tag for tag in tags)
    assert any(tag is rules.RAM_ID for tag in tags)
    named = [value for name, value in vars(rules).items() if name.startswith("RAM_")]
    assert len(named) > 100 and all(sys.intern(tag) is tag for tag in named)
    assert all(sys.intern(tag) is tag for tag in cii_reader.SYNTAX.steps("ram:ID/ram:Name"))
    plain = [tag for _, paths, *_ in rules.COMPILED for path in paths for tag in path]
    assert plain and all(sys.intern(tag) is tag for tag in plain)


def test_the_compiled_core_makes_each_path_once_and_keeps_it_across_documents():
    """The branches at one tag path share one tuple, in a document and in the next one (no
    tuple made and freed per element); past the paths it keeps (a hostile file's invented
    names) its memory is emptied, never wrong."""
    from lxml import etree

    if compiled.built is None:
        pytest.skip("the compiled core is not built here (test_compiled_core says why that fails)")
    small = b"<r><a><b/></a><a><b/><c/></a></r>"

    def walked(text: bytes) -> list:
        root = etree.fromstring(text, etree.XMLParser())
        with using("compiled"):
            branches = Tree(root).branches()
        with using("pure"):
            assert [b.path for b in Tree(root).branches()] == [b.path for b in branches]
        return branches

    first = walked(small)
    again = walked(small)
    assert first[2].path == ("r", "a", "b") and first[2].path is first[4].path
    assert [b.path for b in again[1:]] == [b.path for b in first[1:]]
    assert all(x.path is y.path for x, y in zip(first[1:], again[1:], strict=True))
    many = "".join(f"<n{i}><m/></n{i}>" for i in range(9000)).encode()
    assert len(walked(b"<r>" + many + b"</r>")) == 18001
    after = walked(small)  # a memory emptied on the way: new paths, the same values
    assert [b.path for b in after] == [b.path for b in first]
    assert after[2].path is not first[2].path


def test_the_compiled_core_refuses_a_branch_it_did_not_walk():
    """Its readers cast what they are given: a branch of the pure-Python walk is refused with a
    TypeError, never read as one of its own."""
    from lxml import etree

    if compiled.built is None:
        pytest.skip("the compiled core is not built here (test_compiled_core says why that fails)")
    with using("pure"):
        tree = Tree(etree.fromstring(b'<r><a x="1">t</a></r>'))
    plan = (("text", 0, ("a",), ""),)
    with pytest.raises(TypeError):
        compiled.built.read_terms(tree.root, plan, "", False, None)
    with pytest.raises(TypeError):
        compiled.built.attribute_index(tree.branches())


def test_a_compiled_branch_is_read_from_python_through_member_descriptors():
    """The compiled rules read a branch's tag, path and children on every step: they are
    member descriptors (one specialised instruction each), the branch's own values, and
    read-only from Python."""
    from lxml import etree

    if compiled.built is None:
        pytest.skip("the compiled core is not built here (test_compiled_core says why that fails)")
    kind = compiled.built.Branch
    for name in ("tag", "path", "children"):
        assert type(kind.__dict__[name]).__name__ == "member_descriptor", name
    root = etree.fromstring(b"<r><a/><b><a/></b><a/></r>")
    with using("compiled"):
        tree = Tree(root)
    top = tree.root
    assert (top.tag, top.path) == ("r", ("r",))
    assert {tag: [c.path for c in found] for tag, found in top.children.items()} == {
        "a": [("r", "a"), ("r", "a")],
        "b": [("r", "b")],
    }
    assert top.children["b"][0].children["a"][0].tag == "a"
    for name in ("tag", "path", "children"):
        with pytest.raises(AttributeError):
            setattr(top, name, None)


def test_the_compiled_core_is_built_where_a_compiler_is():
    """`make install` builds it; only a machine with no C compiler runs on the fallback."""
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler here: the engine runs in pure Python")
    assert compiled.built is not None, "run `make install` (scripts/build_core.py)"


def test_chorale_pure_python_turns_the_compiled_core_off():
    code = (
        "from chorale.invoicing import compiled; from chorale.invoicing.validation import xpath; "
        "print(compiled.CORE is None, xpath.has.__module__)"
    )
    env = {**os.environ, "CHORALE_PURE_PYTHON": "1"}
    printed = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert printed.stdout.split() == ["True", "chorale.invoicing.validation.xpath"]


def test_both_cores_give_the_same_reports_on_every_corpus_file():
    """The compiled core and the pure-Python fallback: the same report, finding by finding
    (rule, severity, message, term, path), on every corpus file, valid or not."""
    from chorale.invoicing.validate import validate_bytes

    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".xml", ".pdf"))
    assert len(files) > 100
    differences = []
    for path in files:
        data = path.read_bytes()
        with using("compiled"):
            reported = validate_bytes(data, name=path.name).as_dict()
        with using("pure"):
            if validate_bytes(data, name=path.name).as_dict() != reported:
                differences.append(path.name)
    assert not differences
