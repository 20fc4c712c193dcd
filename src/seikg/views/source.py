"""The graph a view is drawn from: what the view needs, read where the data is.

On the memory store a view is drawn from the graph itself.  On any other
store (Oxigraph on disk, a SPARQL endpoint) the bulk of the data is figures
(observations and the claims about them), and a view that fits on a page
draws none of them or only one city's: it is drawn from a copy of everything
but the figures (the ontology, places, data sets, sources: small next to the
figures) and, for the city view, that city's figures, each read from the store
with one CONSTRUCT.  The overview, provenance and full views draw every
figure: on a store they are drawn only while the figures fit on a page
(:data:`PAGE_FIGURES`), and refused beyond that with a line that says what to
do instead.  Nothing else is copied out of a store.

>>> from seikg.kg import KnowledgeGraph
>>> kg = KnowledgeGraph.load()
>>> view_source(kg, View.CITY, Focus(city="Qingdao")) is kg
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from seikg.errors import BadInputError
from seikg.namespaces import QB, SDMX_DIMENSION, SEI
from seikg.sparql.results import GraphResult, SelectResult
from seikg.views.kinds import Focus, View, parse_view

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph

PAGE_FIGURES = 2_000
"""The most figures a view drawn from a store may hold (a page, or a network file a person
can still read); beyond it the view is refused rather than the store copied."""

FIGURE_TYPES = (QB.Observation, SEI.DerivedObservation, SEI.ComparisonClaim)
"""What makes up the bulk of a store: the figures and the claims about them."""

_NO_FIGURES = f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  ?s ?p ?o .
  MINUS {{ ?s a ?type . VALUES ?type {{ {" ".join(t.n3() for t in FIGURE_TYPES)} }} }}
}}
"""

_CITY_FIGURES = f"""
CONSTRUCT {{ ?figure ?p ?o }} WHERE {{
  {{ ?figure {SDMX_DIMENSION.refArea.n3()} ?city }}
  UNION {{ ?figure {SEI.comparedArea.n3()} ?city }}
  ?figure ?p ?o .
}}
"""

_COUNT_FIGURES = f"""
SELECT (COUNT(DISTINCT ?figure) AS ?n) WHERE {{
  ?figure a ?type . VALUES ?type {{ {" ".join(t.n3() for t in FIGURE_TYPES)} }}
}}
"""

_EVERY_FIGURE = (View.OVERVIEW, View.PROVENANCE, View.FULL)


def view_source(kg: KnowledgeGraph, view: View | str, focus: Focus) -> KnowledgeGraph:
    """The knowledge graph ``view`` is drawn from: ``kg`` itself on the memory store;
    otherwise an in-memory graph of what the view needs, read from the store."""
    from seikg.kg import KnowledgeGraph
    from seikg.stores import MemoryStore

    if isinstance(kg.store, MemoryStore):
        return kg
    view = parse_view(view)
    if view in _EVERY_FIGURE:
        figures = _count(kg, _COUNT_FIGURES)
        if figures > PAGE_FIGURES:
            raise BadInputError(
                f"--view {view} on this store would draw {figures:,} figures, more than fit "
                f"on a page ({PAGE_FIGURES:,}); draw --view city --city NAME, categories, "
                "versions or divisions, or export the graph for a network tool"
            )
        return kg.in_memory()
    graph = _construct(kg, _NO_FIGURES, {})
    if view is View.CITY and focus.city:
        city = _city(kg, focus.city)
        graph += _construct(kg, _CITY_FIGURES, {"city": city})
    return KnowledgeGraph(MemoryStore.copy_of(kg.store, triples=graph))


def _construct(kg: KnowledgeGraph, text: str, bindings: dict[str, URIRef]) -> Graph:
    result = kg.query(text, bindings=bindings, source="<view>")
    assert isinstance(result, GraphResult)
    return result.graph


def _count(kg: KnowledgeGraph, text: str) -> int:
    result = kg.query(text, source="<view>")
    assert isinstance(result, SelectResult)
    return int(str(result.rows[0].n)) if result.rows else 0


def _city(kg: KnowledgeGraph, name: str) -> URIRef:
    """The city named (a label in either language, a division code or an IRI), looked up in
    the store; the view itself says whether it is a city."""
    from seikg.sparql.catalog import Param, to_term

    try:
        node = to_term(name, Param("city", "iri-or-label", None), kg=kg, source="--city")
    except BadInputError:
        raise BadInputError(f"--city: no city called {name!r} in the graph") from None
    if not isinstance(node, URIRef):
        raise BadInputError(f"--city: {name!r} is not a city in the graph")
    return node
