"""Judge what a peer found: exactly the injected inconsistencies, or which difference.

A peer's violations become (rule, focus node) pairs as sei-kg's report names them
(``ValidationReport.broken()``: the rule is the nearest named shape of the result's source
shape), and are compared with the injected ones.  Where a SHACL engine differs, its
results are compared with sei-kg's report as the engine test compares them with
pyshacl's, through the differences tests/engines/differences.py lists for that engine; a
missing or extra pair is explained when every result behind it is one a listed difference
accounts for.  What is left is reported as unexplained.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENGINES = Path(__file__).resolve().parents[1] / "tests" / "engines"
VIOLATION = "http://www.w3.org/ns/shacl#Violation"
EXAMPLES = 5  # missing or extra pairs written out in full, per peer and size

Pair = tuple[str, str]  # (rule, focus node)


def engines_module(name: str) -> Any:
    """tests/engines/NAME.py, loaded once as engines_NAME (the engine test loads them so too)."""
    key = f"engines_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, ENGINES / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


@dataclass
class Reference:
    """What the peers are judged against: the injected inconsistencies, sei-kg's report on
    the loaded store, and that store (for the data a known engine difference depends on)."""

    truth: set[Pair]
    report: Any  # seikg.validation.report.ValidationReport
    store: Any  # seikg.stores.OxigraphStore holding the same data
    shapes: Any  # the shapes graph the store validated with, and the peers' shapes file
    _cache: dict[str, Any] = field(default_factory=dict)

    def names(self) -> Any:
        """The shapes' names (seikg.validation.rules.ShapeNames), made once."""
        if "names" not in self._cache:
            from seikg.validation.rules import ShapeNames

            self._cache["names"] = ShapeNames(self.shapes)
        return self._cache["names"]

    def key_names(self) -> dict[str, str]:
        """The blank-node shapes by the names the differences' keys give them."""
        if "key names" not in self._cache:
            self._cache["key names"] = engines_module("differences").shape_names(self.shapes)
        return self._cache["key names"]

    def context(self) -> Any:
        """The differences' Context: the data's types and class hierarchy (all that the
        listed differences read of the data), the shapes, the blank-node shapes by name."""
        if "context" not in self._cache:
            import pyoxigraph as ox
            from rdflib import BNode, Graph, URIRef

            def term(t: Any) -> Any:
                return BNode(t.value) if isinstance(t, ox.BlankNode) else URIRef(t.value)

            data = Graph()
            for t in self.store.store.query(TYPES_AND_CLASSES):
                data.add((term(t.subject), term(t.predicate), term(t.object)))
            nodes = {name: BNode(label) for label, name in self.key_names().items()}
            differences = engines_module("differences")
            self._cache["context"] = differences.Context(data, self.shapes, nodes)
        return self._cache["context"]

    def keys(self) -> set[Any]:
        """sei-kg's results as the differences' keys."""
        from rdflib import URIRef

        from seikg.namespaces import SH
        from seikg.rdf.bnodes import stable_labels

        differences = engines_module("differences")
        names = self.key_names()
        by_label = {
            f"_:{label}": node for node, label in (stable_labels(self.shapes) or {}).items()
        }
        return {
            (
                differences.term_key(r.focus_term, names),
                differences.term_key(by_label.get(r.source_shape, URIRef(r.source_shape)), names),
                differences.iri_text(r.constraint_component),
                str(SH[r.severity.value]),
                differences.term_key(r.value_term, names),
            )
            for r in self.report.results
        }

    def pair_of(self, key: Any) -> Pair:
        """The (rule, focus node) of a key, as sei-kg's report names them."""
        names, ctx = self.names(), self.context()
        return names.name(names.rule_of(ctx.node(key[1]))), names.name(ctx.node(key[0]))


TYPES_AND_CLASSES = """CONSTRUCT { ?s ?p ?o } WHERE {
  VALUES ?p { <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>
              <http://www.w3.org/2000/01/rdf-schema#subClassOf> }
  ?s ?p ?o FILTER (!isLiteral(?o))
}"""


def judge(
    pairs: set[Pair],
    reference: Reference,
    *,
    results: list[dict[str, Any]] | None = None,
    engine: str | None = None,
) -> dict[str, Any]:
    """Whether a peer found exactly the injected inconsistencies; if not, the difference,
    and which known difference of its engine accounts for which part of it.  A SHACL
    engine's ``results`` (as the runners of tests/engines print them) replace ``pairs``;
    ``engine`` is its name in tests/engines/differences.py."""
    differences = engines_module("differences")
    keys = None
    if results is not None:
        keys = differences.json_keys(results, reference.key_names())
        pairs = {reference.pair_of(k) for k in keys if k[3] == VIOLATION}
    missing = reference.truth - pairs
    extra = pairs - reference.truth
    out: dict[str, Any] = {
        "violations": len(pairs),
        "found exactly the injected": not missing and not extra,
        # Where sei-kg itself differs from the injected, the ground truth is short.
        "same violations as sei-kg's report": pairs == reference.report.broken(),
    }
    if not missing and not extra:
        return out
    out["missing"] = len(missing)
    out["extra"] = len(extra)
    unexplained_missing, unexplained_extra = set(missing), set(extra)
    if keys is not None and engine is not None:
        ours = reference.keys()
        comparison = differences.compare_keys(engine, ours, keys, reference.context())
        explained = []
        for index, (lacks, adds) in sorted(comparison.accounted.items()):
            explained.append(
                {
                    "difference": differences.EXPECTED_DIFFERENCES[index].reason,
                    "missing pairs it accounts for": len(
                        {reference.pair_of(k) for k in lacks} & missing
                    ),
                    "extra pairs it accounts for": len(
                        {reference.pair_of(k) for k in adds} & extra
                    ),
                }
            )
        out["explained by known differences of the engine"] = explained
        # A pair is explained when every result behind it is one a known difference explains.
        lacking = {k for lacks, _adds in comparison.accounted.values() for k in lacks}
        adding = {k for _lacks, adds in comparison.accounted.values() for k in adds}
        ours_by_pair = _by_pair(ours, reference)
        theirs_by_pair = _by_pair(keys, reference)
        unexplained_missing = {p for p in missing if not ours_by_pair.get(p, {None}) <= lacking}
        unexplained_extra = {p for p in extra if not theirs_by_pair.get(p, {None}) <= adding}
    out["unexplained missing"] = len(unexplained_missing)
    out["unexplained extra"] = len(unexplained_extra)
    out["found exactly the injected, known engine differences aside"] = not (
        unexplained_missing or unexplained_extra
    )
    out["examples"] = {
        name: [list(p) for p in sorted(pairs)[:EXAMPLES]]
        for name, pairs in (
            ("unexplained missing", unexplained_missing),
            ("unexplained extra", unexplained_extra),
            ("missing", missing),
            ("extra", extra),
        )
        if pairs
    }
    return out


def _by_pair(keys: set[Any], reference: Reference) -> dict[Pair, set[Any]]:
    grouped: dict[Pair, set[Any]] = {}
    for k in keys:
        if k[3] == VIOLATION:
            grouped.setdefault(reference.pair_of(k), set()).add(k)
    return grouped
