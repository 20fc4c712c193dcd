"""Projections of the RDF graph onto networkx: named views for people and network tools.

Each view is a :class:`networkx.MultiDiGraph`.  Nodes are resources (never
literals): they carry a ``kind`` (city, observation, category, ...), a
``label`` in the chosen language, their IRI, and their literal values as
attributes.  Edges carry the relation as a readable name and its IRI.

Which resources a view holds is in :mod:`seikg.views.membership`, which
relations it draws in :mod:`seikg.views.relations`, and what a node carries in
:mod:`seikg.views.attributes` and :mod:`seikg.views.labels`.

>>> from seikg.kg import KnowledgeGraph
>>> g = to_networkx(KnowledgeGraph.load(), view=View.OVERVIEW, lang="zh")
>>> g.nodes["https://w3id.org/sei-kg/place/370200"]["label"]
'青岛市'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from seikg.views.attributes import node_attributes
from seikg.views.kinds import KINDS, LANGUAGES, View, check_language, parse_view, resource_kinds
from seikg.views.labels import node_label
from seikg.views.membership import view_members
from seikg.views.relations import add_relations

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph

__all__ = ["KINDS", "LANGUAGES", "View", "node_label", "to_networkx"]


def to_networkx(
    kg: KnowledgeGraph,
    *,
    view: View | str = View.OVERVIEW,
    lang: str = "en",
    city: str | None = None,
) -> nx.MultiDiGraph:
    """Project the knowledge graph onto a networkx multigraph for one named view.

    ``city`` (a label in either language, or an IRI) is required for the
    ``city`` view.  Unknown views, languages or cities raise
    :class:`seikg.errors.BadInputError`.
    """
    view = parse_view(view)
    check_language(lang)
    kinds = resource_kinds(kg)
    members = view_members(kg, view, kinds, city)
    out = nx.MultiDiGraph(view=str(view), lang=lang)
    for node in sorted(members, key=str):
        out.add_node(str(node), **node_attributes(kg, node, kinds[node], lang))
    add_relations(out, kg, members, view, lang)
    if view in (View.CATEGORIES, View.PROVENANCE):
        _drop_lonely_agents(out)
    return out


def _drop_lonely_agents(out: nx.MultiDiGraph) -> None:
    """Agents with no edge left say nothing in the categories and provenance views."""
    out.remove_nodes_from(
        [n for n, d in out.nodes(data=True) if d["kind"] == "agent" and out.degree(n) == 0]
    )
