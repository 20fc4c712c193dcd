"""Projections of the RDF graph onto networkx: named views for people and network tools.

Each view is a :class:`networkx.MultiDiGraph`.  Nodes are resources (never
literals): they carry a ``kind`` (city, observation, category, ...), a
``label`` in the chosen language, their IRI, and their literal values as
attributes.  Edges carry the relation as a readable name and its IRI.

Which resources a view holds is in :mod:`seikg.views.membership`, which
relations it draws in :mod:`seikg.views.relations`, and what a node carries in
:mod:`seikg.views.attributes` and :mod:`seikg.views.labels`.

>>> from seikg.kg import KnowledgeGraph
>>> kg = KnowledgeGraph.load()
>>> g = to_networkx(kg, view=View.OVERVIEW, lang="zh")
>>> g.nodes["https://w3id.org/sei-kg/place/370200"]["label"]
'青岛市'

The versions view holds every version of the classification and the mappings
between them, each edge marked when the data holds it as the project's belief:

>>> v = to_networkx(kg, view=View.VERSIONS, category="节能环保")
>>> sorted({(d["relation"], d["belief"]) for _s, _o, d in v.edges(data=True)})
[('closeMatch', True), ('has top concept', False), ('is replaced by', False)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from seikg.views.attributes import node_attributes
from seikg.views.kinds import (
    KINDS,
    LANGUAGES,
    Focus,
    View,
    check_language,
    parse_view,
    resource_kinds,
)
from seikg.views.labels import node_label
from seikg.views.membership import view_members
from seikg.views.relations import add_relations

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph

__all__ = ["KINDS", "LANGUAGES", "Focus", "View", "node_label", "to_networkx"]


def to_networkx(
    kg: KnowledgeGraph,
    *,
    view: View | str = View.OVERVIEW,
    lang: str = "en",
    city: str | None = None,
    province: str | None = None,
    category: str | None = None,
    middle: bool = False,
) -> nx.MultiDiGraph:
    """Project the knowledge graph onto a networkx multigraph for one named view.

    ``city`` (a label in either language, or an IRI) is required for the
    ``city`` view, ``province`` (a label, a division code or an IRI) for the
    ``divisions`` view, which also needs the national skeleton of divisions
    in the graph.  The ``versions`` view follows one ``category`` through the
    versions when given one, and shows every middle category when ``middle``.
    Unknown views, languages, cities, provinces or categories raise
    :class:`seikg.errors.BadInputError`.
    """
    view = parse_view(view)
    check_language(lang)
    focus = Focus(city=city, province=province, category=category, middle=middle)
    kinds = resource_kinds(kg)
    members = view_members(kg, view, kinds, focus)
    out = nx.MultiDiGraph(view=str(view), lang=lang)
    for node in sorted(members, key=str):
        out.add_node(str(node), **node_attributes(kg, node, kinds[node], lang))
    add_relations(out, kg, members, view, lang)
    if view in (View.CATEGORIES, View.PROVENANCE):
        _drop_lonely_agents(out)
    label = _focus_label(out, view, focus)
    if label:
        out.graph["focus_label"] = label
    return out


def _focus_label(out: nx.MultiDiGraph, view: View, focus: Focus) -> str:
    """The name, in the view's language, of what the view is about (for its title)."""
    if view is View.VERSIONS and focus.category:  # the category's own name, in the language
        wanted = focus.category.strip().casefold()
        keys = ("prefLabel_en", "prefLabel_zh", "altLabel", "notation", "iri")
        for _node, data in sorted(out.nodes(data=True)):
            if data["kind"] != "scheme" and wanted in {
                str(data.get(k, "")).casefold() for k in keys
            }:
                return str(data.get("name") or data["label"])
        return focus.category
    if view is View.DIVISIONS:  # the one province of the view
        return next((str(d["label"]) for _n, d in out.nodes(data=True)
                     if d["kind"] == "province"), "")  # fmt: skip
    if view is View.CITY and focus.city:
        wanted = focus.city.strip().casefold()
        for _node, data in out.nodes(data=True):
            keys = ("label", "label_en", "label_zh", "iri", "divisionCode")
            names = {str(data.get(k, "")).casefold() for k in keys}
            if data["kind"] == "city" and (
                wanted in names or any(n.rstrip("市") == wanted for n in names)
            ):
                return str(data["label"])
        return focus.city
    return ""


def _drop_lonely_agents(out: nx.MultiDiGraph) -> None:
    """Agents with no edge left say nothing in the categories and provenance views."""
    out.remove_nodes_from(
        [n for n, d in out.nodes(data=True) if d["kind"] == "agent" and out.degree(n) == 0]
    )
