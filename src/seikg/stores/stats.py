"""What the graph holds: counts of triples, observations, categories, indicators, sources."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rdflib import URIRef

from seikg.namespaces import sparql_prologue
from seikg.stores.counts import one_count, read_count


class _Counted(Protocol):
    """What stats need of a store: queries, labels and the size of each part (all of them
    answered by the store itself: aggregates and a few label queries, nothing copied)."""

    name: str

    def query(self, text: str, *, source: str = ...) -> Any: ...

    def labels(self, nodes: Sequence[URIRef], *, lang: str = ...) -> dict[URIRef, str]: ...

    def part_sizes(self) -> dict[str, int]: ...


_OBS_BY_AREA_YEAR = """
SELECT ?area ?year (COUNT(DISTINCT ?obs) AS ?n) (COUNT(DISTINCT ?derived) AS ?nDerived)
WHERE {
  ?obs a qb:Observation ; sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?year .
  OPTIONAL { ?obs a sei:DerivedObservation . BIND(?obs AS ?derived) }
}
GROUP BY ?area ?year ORDER BY ?area ?year
"""

_COUNT = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}"

_PATTERNS = {
    "observations": "?x a qb:Observation",
    "derived observations": "?x a sei:DerivedObservation",
    "data sets": "?x a qb:DataSet",
    "places": "?x a ?c . ?c rdfs:subClassOf* sei:Place",
    "categories": "?x skos:inScheme scheme:categories",
    "indicators": "?x skos:inScheme scheme:indicators",
    "scopes": "?x skos:inScheme scheme:scopes",
    "sources": (
        "?o a qb:Observation ; prov:wasDerivedFrom ?x . FILTER NOT EXISTS { ?x a qb:Observation }"
    ),
    "comparison claims": "?x a sei:ComparisonClaim",
    "stated aims": "?x a sei:StatedAim",
}


@dataclass(frozen=True)
class AreaYearCount:
    """Observations for one area and year."""

    area: str
    area_label: str
    year: str
    observations: int
    derived: int


@dataclass(frozen=True)
class GraphStats:
    """Counts of what the knowledge graph holds."""

    triples: dict[str, int]
    counts: dict[str, int]
    by_area_year: tuple[AreaYearCount, ...]

    def render(self) -> str:
        """Return the counts as readable tables."""
        from rich.console import Console
        from rich.table import Table

        from seikg.terminal import cell

        console = Console(record=True, width=120, file=io.StringIO(), force_terminal=False)
        overview = Table(title="What the graph holds", header_style="bold")
        overview.add_column("what")
        overview.add_column("count", justify="right")
        for name, n in self.triples.items():
            overview.add_row(cell(f"triples ({name})"), cell(n))
        for name, n in self.counts.items():
            overview.add_row(cell(name), cell(n))
        console.print(overview)
        per = Table(title="Observations per area and year", header_style="bold")
        for column in ("area", "year", "observations", "of which derived"):
            per.add_column(column, justify="right" if column != "area" else "left")
        for row in self.by_area_year:  # labels and years come from the data: text, not markup
            per.add_row(
                cell(row.area_label), cell(row.year), cell(row.observations), cell(row.derived)
            )
        console.print(per)
        return console.export_text()

    def as_dict(self) -> dict[str, object]:
        """Return the counts as plain data (for JSON)."""
        return {
            "triples": self.triples,
            "counts": self.counts,
            "observations_by_area_year": [
                {
                    "area": r.area,
                    "label": r.area_label,
                    "year": r.year,
                    "observations": r.observations,
                    "derived": r.derived,
                }
                for r in self.by_area_year
            ],
        }


def compute_stats(kg: _Counted) -> GraphStats:
    """Count triples by part, resources by kind, and observations per area and year.

    >>> from seikg.kg import KnowledgeGraph
    >>> s = compute_stats(KnowledgeGraph.load().store)
    >>> s.counts["categories"], s.counts["observations"]
    (8, 45)
    """
    prologue = sparql_prologue()
    triples = kg.part_sizes()
    counts: dict[str, int] = {}
    for name, pattern in _PATTERNS.items():
        result = kg.query(prologue + _COUNT.format(pattern=pattern), source=f"<stats:{name}>")
        counts[name] = one_count(result.rows, "n", store=kg.name, what=f"the number of {name}")
    rows = []
    per_area = "a count of observations per area and year"
    result = kg.query(prologue + _OBS_BY_AREA_YEAR, source="<stats:by-area-year>")
    labels = kg.labels([r.area for r in result.rows if isinstance(r.area, URIRef)])
    for row in result.rows:
        area = row.area
        rows.append(
            AreaYearCount(
                area=str(area),
                area_label=labels[area] if isinstance(area, URIRef) else str(area),
                year=str(row.year),
                observations=read_count(row.get("n"), store=kg.name, what=per_area),
                derived=read_count(row.get("nDerived"), store=kg.name, what=per_area),
            )
        )
    return GraphStats(triples=triples, counts=counts, by_area_year=tuple(rows))
