"""The source's own discrepancy N4, through the command: kept as stated, listed as known.

14,068 / 66,214 = 21.246 percent, which rounds to 21.2, while the 2018 communiqué states
21.3.  With its acknowledgement the shipped graph validates (exit 0) and lists exactly that
one known discrepancy, naming N4, N3 and N1 with the computed and stated values; without
the acknowledgement the same figure breaks the share rule (exit 1).
"""

from __future__ import annotations

import json

from rdflib import Graph

from seikg.kg import KnowledgeGraph
from seikg.namespaces import ACK, SEISH

N4 = "https://w3id.org/sei-kg/observation/CN-2018-enterprise-share-sei-industry-nbs-2018-3"


def test_shipped_graph_conforms_and_lists_the_acknowledged_discrepancy(cli):
    result = cli("validate")
    assert result.code == 0, result.out
    out = result.out
    assert out.count("WARNING:") == 1
    assert "WARNING: A known discrepancy of a source" in out
    assert "N4 is stated as 21.3 percent, but N3 / N1 = 14068 / 66214 = 21.246 percent" in out
    assert "acknowledged by the sei-kg project" in out
    for ident in ("[N4]", "[N3]", "[N1]"):
        assert ident in out
    assert "VIOLATION" not in out
    assert out.strip().splitlines()[-1].startswith("Conforms")


def test_the_listing_is_one_rule_on_one_figure(cli):
    result = cli("validate", "--format", "json")
    assert result.code == 0
    doc = json.loads(result.out)
    assert doc["conforms"] is True
    assert {(r["severity"], r["rule_id"], r["focus_node"]) for r in doc["results"]} == {
        ("Warning", str(SEISH.AcknowledgedShareOfCountShape), N4)
    }
    involved = {f["identifier"] for r in doc["results"] for f in r["figures"]}
    assert involved == {"N1", "N3", "N4"}


def test_without_the_acknowledgement_n4_breaks_the_share_rule(cli, tmp_path):
    kg = KnowledgeGraph.load()
    data = Graph()
    for triple in kg.data:
        data.add(triple)
    data.remove((ACK["census-2018-N4"], None, None))
    path = tmp_path / "facts.ttl"
    data.serialize(path, format="turtle")
    result = cli("validate", str(path))
    assert result.code == 1, result.out
    assert "VIOLATION: A share equals its count over its total" in result.out
    assert "WARNING" not in result.out
    as_json = json.loads(cli("validate", str(path), "--format", "json").out)
    assert {(r["severity"], r["rule_id"], r["focus_node"]) for r in as_json["results"]} == {
        ("Violation", str(SEISH.ShareOfCountShape), N4)
    }
