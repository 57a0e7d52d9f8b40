"""`validation.pyshared`: what a compiled test computes twice is computed once, first, only
where the test always computes it, and the test still says the same."""

import itertools

import pytest

from chorale.invoicing.validation.pyshared import hoisted


def names():
    return (f"v{number}" for number in itertools.count(1))


def test_a_node_set_asked_three_times_is_made_once():
    """« (A and string-length(A) <= 2) or not(A) »: A's comprehension, written with fresh
    variables in each place, is one value."""
    code = (
        "bool([n1 for n1 in anywhere(t, P) if f(n1)]) and len(g([n2 for n2 in anywhere(t, P)"
        " if f(n2)])) <= 2.0 or not bool([n3 for n3 in anywhere(t, P) if f(n3)])"
    )
    shared, test = hoisted(code, names())
    assert shared == ["v2 = [n2 for n2 in anywhere(t, P) if f(n2)]", "v1 = bool(v2)"]
    assert test == "v1 and len(g(v2)) <= 2.0 or not v1"


@pytest.mark.parametrize(
    "code",
    [
        "f(b) or g(h(t)) and g(h(t))",  # only after the first operand of `or`: maybe never
        "x(b) if c(b) else y(h(t)) + y(h(t))",  # in a branch of a conditional
        "bool([n for n in h(t) if g(n) and g(n)])",  # reads the comprehension's variable
        "bool([n for n in a(t) if g(h(t))]) or g(h(t))",  # in a comprehension's body
        "f(b) < g(t) < h(t) < h(t)",  # a comparison chain's later terms
        "f(h(t)) or len(EMPTY) == len(EMPTY)",  # nothing is computed twice
    ],
)
def test_a_value_the_test_may_not_compute_stays_where_it_is(code):
    assert hoisted(code, names()) == ([], code)


def test_a_value_computed_in_the_first_place_serves_the_later_ones():
    shared, test = hoisted("g(h(t)) or [n for n in k(b) if n == g(h(t))]", names())
    assert shared == ["v1 = g(h(t))"]
    assert test == "v1 or [n for n in k(b) if n == v1]"


def test_the_test_still_says_the_same():
    """Run before and after over a few values: the same answer, each helper called once."""
    calls: list[str] = []

    def counted(name, value):
        def helper(*_):
            calls.append(name)
            return value

        return helper

    code = (
        "bool([n1 for n1 in nodes(t) if n1 > 1]) and len([n2 for n2 in nodes(t) if n2 > 1])"
        " <= 2 or not bool([n3 for n3 in nodes(t) if n3 > 1])"
    )
    shared, test = hoisted(code, names())
    for found in ([], [1], [2], [2, 3], [2, 3, 4]):
        scope = {"nodes": counted("nodes", found), "t": None}
        expected = eval(code, dict(scope))  # noqa: S307 — our own test's text
        calls.clear()
        local = dict(scope)
        for line in shared:
            exec(line, local)  # noqa: S102
        assert eval(test, local) == expected, found  # noqa: S307
        assert calls == ["nodes"]
