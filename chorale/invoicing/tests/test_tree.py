"""The one walk over a document (`formats.tree`): every element once, in document order, with
its parent, path and siblings right whatever comments and processing instructions sit between."""

import gc

import pytest
from lxml import etree

from chorale.invoicing.formats.tree import Tree

from .cores import CORES, using


@pytest.fixture(params=CORES, autouse=True)
def core(request):
    """Every test here runs on the compiled core and on the pure-Python walk."""
    with using(request.param):
        yield request.param


DOCUMENT = b"""<?xml version="1.0"?>
<!-- before the root -->
<r xmlns:p="urn:p">
  <!-- first -->
  <a><?pi inside?><b>1</b><!-- between --><b>2</b></a>
  <c><!-- only a comment --></c>
  <a><p:b x="1"><d/><?pi last?></p:b></a>
  <?pi after?>
  <e p:y="2" x="3"/>
</r>"""


def test_the_walk_matches_lxml_on_every_element():
    root = etree.fromstring(DOCUMENT)
    tree = Tree(root)
    branches = tree.branches()
    assert [b.element for b in branches] == list(root.iter(etree.Element))
    assert [b.order for b in branches] == list(range(len(branches)))
    for branch in branches:
        element = branch.element
        parent = element.getparent()
        expected = [] if parent is None else [*tree.branch_of(parent).path]
        assert branch.path == (*expected, element.tag)
        assert branch.up == (-1 if parent is None else tree.branch_of(parent).order)
        assert branches[branch.up].element is parent if parent is not None else True
        children = {}
        for child in element.iterchildren(etree.Element):
            children.setdefault(child.tag, []).append(child)
        assert {tag: [b.element for b in found] for tag, found in branch.children.items()} == (
            children
        )


def test_paths_tags_and_lone_elements():
    tree = Tree(etree.fromstring(DOCUMENT))
    assert [b.element.text for b in tree.by_path[("r", "a", "b")]] == ["1", "2"]
    assert len(tree.by_tag["a"]) == 2 and len(tree.by_tag["{urn:p}b"]) == 1
    assert tree.by_path[("r", "a", "{urn:p}b", "d")][0].alone
    assert not tree.by_path[("r", "a")][0].alone
    assert tree.by_path[("r", "c")][0].children == {}
    assert [b.tag for b in tree.with_attribute("x")] == ["{urn:p}b", "e"]
    assert [b.tag for b in tree.with_attribute("{urn:p}y")] == ["e"]
    assert tree.with_attribute("y") == []


def test_a_dropped_tree_is_freed_at_once_without_the_cycle_collector():
    """No reference cycle (a branch knows its children, never its parent): a worker's trees
    go as soon as each invoice is judged, not at the next full collection."""
    root = etree.fromstring(DOCUMENT)
    gc.collect()
    gc.disable()
    try:
        tree = Tree(root)
        tree.with_attribute("x")
        tree.branch_of(root)
        del tree
        assert gc.collect() == 0
    finally:
        gc.enable()
