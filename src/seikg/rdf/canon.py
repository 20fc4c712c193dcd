"""Canonical labels for blank nodes that do not form trees, found with a bounded amount of work.

Blank nodes that form trees get their labels from :mod:`seikg.rdf.bnodes` in
linear time.  The others (cycles, or a blank node held by two blank nodes) are
labelled here, one connected group (component) at a time, by the classic
method of graph canonisation:

1. **Colour refinement.**  Every blank node starts with a colour that says
   what it touches besides blank nodes (predicates, IRIs, literals); each
   round gives a node a new colour from its colour and the colours of its
   blank neighbours, edge by edge, until no colour class splits any more.
   Colours are ranks of sorted signatures, so they never depend on the labels
   the blank nodes had when read.  This is what the first rounds of RDFC-1.0
   (URDNA2015) do.
2. **Individualisation, with a search that prunes symmetric branches.**  When
   nodes are left with equal colours, the class with the least colour is
   split: each member in turn gets a colour of its own and the colours are
   refined again, until every node has its own colour (a *leaf*).  The leaf
   kept is the one whose relabelled triples sort first, so the labels depend
   on the graph alone.  A member is searched only if no symmetry of the graph
   already known maps it onto a member searched before: two members that
   can be swapped with nothing else moving (twins: the same neighbours), and
   two members whose first leaves are the same relabelled triples (the two
   leaves give the symmetry), count as one.  Symmetric structures (a ring,
   many copies of one cycle, many equal children, a complete bipartite
   pattern) so cost polynomial work, not the factorial work of searching
   every branch.
3. **A bound.**  The work (nodes and edges visited while refining) is
   counted; a graph whose blank nodes are too symmetric in other ways to be
   labelled within :data:`WORK_LIMIT` is refused (exit 4) instead of running
   for hours.

Components whose relabelled triples are the same (copies of one structure)
are told apart by a counter, which cannot change the bytes written: the
copies are the same triples whichever gets which number.  So the same graph
always gets the same labels, whatever labels its blank nodes had when read.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from rdflib import BNode
from rdflib.term import Node

from seikg.errors import LimitError

WORK_LIMIT = 2_000_000
"""Nodes and edges visited in all while refining colours (a few seconds of work)."""

DEPTH_LIMIT = 100
"""Levels of the search at which more than one member had to be searched, in one branch."""

Edges = dict[BNode, list[tuple[str, Node]]]
Incoming = dict[BNode, list[tuple[Node, str]]]
Colors = list[int]
Certificate = tuple[tuple[tuple[int, int, int], ...], tuple[int, ...]]
Leaf = tuple[Certificate, Colors]


class _Budget:
    def __init__(self, limit: int, nodes: int) -> None:
        self.left = limit
        self.nodes = nodes

    def spend(self, work: int) -> None:
        self.left -= work
        if self.left < 0:
            raise self.refused()

    def refused(self) -> LimitError:
        return LimitError(
            f"the graph's {self.nodes:,} blank nodes outside trees are too symmetric to be "
            "given canonical labels within the work allowed (the export would not be the "
            "same bytes on every run); give some of them IRIs or distinct properties"
        )


def _ranks(signatures: Sequence[tuple[object, ...]]) -> Colors:
    """Each signature's rank among the distinct signatures, sorted."""
    order = {signature: rank for rank, signature in enumerate(sorted(set(signatures)))}
    return [order[signature] for signature in signatures]


class _Component:
    """One connected group of blank nodes, numbered 0..n-1 in the order met; predicates and
    what each node touches besides blank nodes are numbered by their sorted order."""

    def __init__(self, nodes: Sequence[BNode], out: Edges, incoming: Incoming) -> None:
        self.nodes = list(nodes)
        index = {node: i for i, node in enumerate(self.nodes)}
        raw_out: list[list[tuple[str, int]]] = [[] for _ in self.nodes]
        ground: list[list[str]] = [[] for _ in self.nodes]
        for i, node in enumerate(self.nodes):
            for p, o in out.get(node, []):
                if isinstance(o, BNode):
                    raw_out[i].append((p, index[o]))
                else:
                    ground[i].append(f"> {p} {o.n3()}")
            for s, p in incoming.get(node, []):
                if not isinstance(s, BNode):
                    ground[i].append(f"< {s.n3()} {p}")
        self.predicates = sorted({p for edges in raw_out for p, _j in edges})
        number = {p: k for k, p in enumerate(self.predicates)}
        self.out: list[list[tuple[int, int]]] = [
            [(number[p], j) for p, j in edges] for edges in raw_out
        ]
        self.into: list[list[tuple[int, int]]] = [[] for _ in self.nodes]
        for i, numbered in enumerate(self.out):
            for k, j in numbered:
                self.into[j].append((k, i))
        grounds = [tuple(sorted(g)) for g in ground]
        self.kinds = sorted(set(grounds))
        self.start = _ranks(grounds)
        self.size = len(self.nodes) + sum(len(edges) for edges in self.out)

    def refine(self, colors: Colors, budget: _Budget) -> Colors:
        """Refine the colours until no class splits."""
        classes = len(set(colors))
        while True:
            budget.spend(self.size)
            colors = _ranks(
                [
                    (
                        colors[i],
                        tuple(sorted((p, colors[j]) for p, j in self.out[i])),
                        tuple(sorted((p, colors[j]) for p, j in self.into[i])),
                    )
                    for i in range(len(colors))
                ]
            )
            now = len(set(colors))
            if now == classes:
                return colors
            classes = now

    def leaf(self, colors: Colors, budget: _Budget) -> Leaf:
        """The component's triples with each blank node written as its colour."""
        budget.spend(self.size)
        edges = tuple(
            sorted((colors[i], p, colors[j]) for i, out in enumerate(self.out) for p, j in out)
        )
        kinds = [0] * len(colors)
        for i, color in enumerate(colors):
            kinds[color] = self.start[i]
        return (edges, tuple(kinds)), colors

    def swappable(self, a: int, b: int) -> bool:
        """Whether swapping ``a`` and ``b`` (nothing else) maps the triples onto themselves."""
        if self.start[a] != self.start[b]:
            return False

        def swap(i: int) -> int:
            return b if i == a else a if i == b else i

        return Counter((p, swap(j)) for p, j in self.out[a]) == Counter(self.out[b]) and Counter(
            (p, swap(j)) for p, j in self.into[a]
        ) == Counter(self.into[b])

    def key(self, certificate: Certificate) -> str:
        """What the component is, whatever its labels: its relabelled triples in full."""
        text = repr((certificate, self.predicates, self.kinds))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _target(colors: Colors) -> list[int] | None:
    """The members of the class to split next (the least colour held by several nodes)."""
    members: dict[int, list[int]] = defaultdict(list)
    for i, color in enumerate(colors):
        members[color].append(i)
    tied = [color for color, held in members.items() if len(held) > 1]
    return members[min(tied)] if tied else None


def _individualize(colors: Colors, i: int) -> Colors:
    chosen = [2 * color for color in colors]
    chosen[i] += 1
    return chosen


def _first_leaf(comp: _Component, colors: Colors, budget: _Budget) -> Leaf:
    """The leaf reached by always giving the first member of the class its own colour."""
    while True:
        colors = comp.refine(colors, budget)
        cell = _target(colors)
        if cell is None:
            return comp.leaf(colors, budget)
        colors = _individualize(colors, cell[0])


def _searched(comp: _Component, colors: Colors, cell: list[int], budget: _Budget) -> list[int]:
    """The members of ``cell`` to search: one of each set that known symmetries join."""
    orbit = {i: i for i in cell}

    def root(i: int) -> int:
        while orbit[i] != i:
            orbit[i] = orbit[orbit[i]]
            i = orbit[i]
        return i

    first = cell[0]
    for other in cell[1:]:
        budget.spend(1 + len(comp.out[other]) + len(comp.into[other]))
        if comp.swappable(first, other):
            orbit[root(other)] = root(first)
    if all(root(i) == root(first) for i in cell):
        return [first]
    chosen: list[int] = []
    leaves: dict[Certificate, Colors] = {}
    for i in cell:
        if any(root(i) == root(j) for j in chosen):
            continue
        certificate, leaf = _first_leaf(comp, _individualize(colors, i), budget)
        if certificate in leaves:  # the two leaves give a symmetry: join each node to its image
            where = {color: node for node, color in enumerate(leaves[certificate])}
            for node in cell:
                image = where[leaf[node]]
                orbit[root(image)] = root(node)
            continue
        leaves[certificate] = leaf
        chosen.append(i)
    return chosen


def _best_leaf(comp: _Component, colors: Colors, budget: _Budget, depth: int = 0) -> Leaf:
    """The leaf whose certificate is least, over every branch that is not a symmetric copy."""
    while True:
        colors = comp.refine(colors, budget)
        cell = _target(colors)
        if cell is None:
            return comp.leaf(colors, budget)
        searched = _searched(comp, colors, cell, budget)
        if len(searched) > 1:
            break
        colors = _individualize(colors, searched[0])
    if depth >= DEPTH_LIMIT:
        raise budget.refused()
    leaves = [_best_leaf(comp, _individualize(colors, i), budget, depth + 1) for i in searched]
    return min(leaves, key=lambda leaf: leaf[0])


def cyclic_labels(
    components: Iterable[Sequence[BNode]],
    out: Edges,
    incoming: Incoming,
    *,
    limit: int = WORK_LIMIT,
) -> dict[BNode, BNode]:
    """Canonical labels (``c`` and a hash) for the blank nodes of each component.

    >>> a, b, c, d = BNode(), BNode(), BNode(), BNode()
    >>> p = "http://e/p"
    >>> out = {a: [(p, b)], b: [(p, a)], c: [(p, d)], d: [(p, c)]}
    >>> incoming = {b: [(a, p)], a: [(b, p)], d: [(c, p)], c: [(d, p)]}
    >>> labels = cyclic_labels([[a, b], [c, d]], out, incoming)
    >>> len(set(labels.values())), sorted(str(x)[0] for x in labels.values())
    (4, ['c', 'c', 'c', 'c'])
    """
    groups = [list(group) for group in components]
    budget = _Budget(limit, sum(len(group) for group in groups))
    found: list[tuple[str, _Component, Colors]] = []
    for group in groups:
        comp = _Component(group, out, incoming)
        certificate, colors = _best_leaf(comp, comp.start, budget)
        found.append((comp.key(certificate), comp, colors))
    found.sort(key=lambda item: item[0])
    copies: dict[str, int] = defaultdict(int)
    labels: dict[BNode, BNode] = {}
    for key, comp, colors in found:
        index = copies[key]
        copies[key] += 1
        for node, color in zip(comp.nodes, colors, strict=True):
            digest = hashlib.sha256(f"{key} {color}".encode()).hexdigest()
            labels[node] = BNode(f"c{digest[:24]}{index or ''}")
    return labels
