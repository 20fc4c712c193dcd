"""Views of the graph: networkx projections, their layout, pictures, an interactive page,
files for network tools, and the network facts of a view.

>>> from seikg.kg import KnowledgeGraph
>>> g = to_networkx(KnowledgeGraph.load(), view=View.OVERVIEW, lang="zh")
>>> g.nodes["https://w3id.org/sei-kg/place/370200"]["label"]
'青岛市'
"""

from __future__ import annotations

from seikg.views.facts import graph_facts, render_facts
from seikg.views.projection import KINDS, LANGUAGES, View, node_label, to_networkx

__all__ = ["KINDS", "LANGUAGES", "View", "graph_facts", "node_label", "render_facts", "to_networkx"]
