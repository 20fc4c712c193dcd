"""Naming the rules: the shape a result comes from, read the same way for every engine.

A result names the shape that produced it.  Named shapes are their IRIs;
blank-node shapes (property shapes written inline) get a label that depends
only on the shapes graph, so two engines reading the same shapes name them
alike.  A rule is the nearest named shape, and its name is that shape's
English label.
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from seikg.errors import LimitError
from seikg.namespaces import SH
from seikg.rdf.bnodes import canonical_labels

_CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


class ShapeNames:
    """Names of the shapes of one shapes graph, and the rules they belong to."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        try:
            self._labels = canonical_labels(shapes)
        except LimitError:  # blank-node shapes too symmetric to label: their own labels
            self._labels = {}

    def name(self, node: Node | None) -> str:
        """The name of a term as reports write it (blank nodes by their stable label)."""
        if node is None:
            return ""
        if isinstance(node, BNode):
            label = self._labels.get(node)
            return f"_:{label if label is not None else node}"
        return str(node)

    def path(self, node: Node | None) -> str | None:
        """A result path as reports write it: a property IRI, or ``^`` and the IRI of an
        inverse path."""
        if node is None:
            return None
        inverse = self.shapes.value(node, SH.inversePath) if isinstance(node, BNode) else None
        if inverse is not None:
            return f"^{inverse}"
        return self.name(node)

    def rule_of(self, shape: Node | None) -> Node | None:
        """The nearest named shape: the shape itself, or the named shape holding a blank one."""
        shapes = self.shapes
        seen: set[Node] = set()
        current = shape
        while isinstance(current, BNode) and current not in seen:
            seen.add(current)
            parent = next(
                (
                    s
                    for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape, SH.sparql)
                    for s in shapes.subjects(p, current)
                ),
                None,
            )
            if parent is None:
                for list_node in shapes.subjects(RDF.first, current):
                    head = list_node
                    while (prev := next(shapes.subjects(RDF.rest, head), None)) is not None:
                        head = prev
                    parent = next(shapes.subjects(None, head), None)
            if parent is None:
                break
            current = parent
        return current

    def rule_label(self, rule: Node | None) -> str | None:
        """The English label of a rule (a shape, or the node shape holding a property shape)."""
        if rule is None:
            return None
        for candidate in (rule, *self.shapes.subjects(SH.property, rule)):
            for predicate in (RDFS.label, SH.name):
                label = pick_english(list(self.shapes.objects(candidate, predicate)))
                if label:
                    return label
        return None


def pick_english(texts: list[Node]) -> str | None:
    """Pick the English text: tagged ``@en``, else an untagged one without Chinese characters.

    >>> pick_english([Literal("青岛", lang="zh"), Literal("Qingdao")])
    'Qingdao'
    """
    literals = [m for m in texts if isinstance(m, Literal)]
    for m in literals:
        if m.language == "en":
            return str(m)
    for m in literals:
        if not m.language and not _CJK.search(str(m)):
            return str(m)
    return str(literals[0]) if literals else None


def pick_chinese(texts: list[Node]) -> str | None:
    """Pick the Chinese text: tagged ``@zh``, else an untagged one with Chinese characters.

    >>> pick_chinese([Literal("Qingdao"), Literal("青岛")])
    '青岛'
    """
    literals = [m for m in texts if isinstance(m, Literal)]
    for m in literals:
        if m.language == "zh":
            return str(m)
    for m in literals:
        if not m.language and _CJK.search(str(m)):
            return str(m)
    return None
