"""Where in the document a finding of the rules over the model sits: the node its rule's
official context names (the invoice root, the monetary totals, the third line…), so that it
carries an XML path as the official engine's findings do.

The rule's assertions in the official stylesheet (`Ruleset.places`) give its contexts. Where
their tests are compiled, the nodes they find broken are the findings' nodes, if there are as
many; where one is not, the context nodes are, if there are as many as findings. Otherwise
the finding keeps its place in words (« ligne 3 »): a path is never guessed.
"""

import dataclasses
from collections import defaultdict

from ..formats.tree import xml_path
from .engine import Finding
from .official import stylesheet_for
from .structure import ruleset


def located(found, findings: list[Finding]) -> list[Finding]:
    """The findings, each with its XML path where its rule's context says it."""
    waiting = defaultdict(list)  # rule id → positions of its findings without a path
    for position, finding in enumerate(findings):
        if not finding.where.startswith("/"):
            waiting[finding.rule].append(position)
    if not waiting:
        return findings
    places = ruleset(stylesheet_for(found.syntax, found.profile), True).places
    result = list(findings)
    for rule_id, positions in waiting.items():
        nodes = _nodes(places.get(rule_id, ()), found.tree, len(positions))
        for position, branch in zip(positions, nodes, strict=False):
            result[position] = dataclasses.replace(result[position], where=xml_path(branch.element))
    return result


def _nodes(places, tree, count: int) -> list:
    """The nodes of the `count` findings of one rule, in document order, or none."""
    contexts, broken, judged = {}, {}, True
    for context, test, report in places:
        for branch in context(tree):
            contexts[branch.order] = branch
            if test is None:
                judged = False
            elif test(branch, tree) == report:
                broken[branch.order] = branch
    chosen = broken if judged else contexts
    return [chosen[order] for order in sorted(chosen)] if len(chosen) == count else []
