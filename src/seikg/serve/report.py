"""The validation report as a page: every rule, what breaks it, and every figure linked."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from seikg.namespaces import QB, SH
from seikg.serve.backend import Backend
from seikg.serve.html import WORDS, page, term_html
from seikg.serve.pages import figure_facts, label
from seikg.sparql.results import GraphResult

ALL_FIGURES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX qb: <http://purl.org/linked-data/cube#>
CONSTRUCT { ?obs ?fp ?fv . ?fv ?lp ?l }
WHERE {
  { SELECT ?obs WHERE { ?obs a qb:Observation } ORDER BY ?obs LIMIT 500 }
  ?obs ?fp ?fv
  OPTIONAL { ?fv ?lp ?l
    FILTER (?lp IN (rdfs:label, skos:prefLabel, skos:notation, dct:identifier, dct:title)) }
}"""


def report_page(backend: Backend, *, report: dict[str, Any], lang: str, path: str) -> str:
    """The report ``report`` (the JSON form of a validation report) as an HTML page."""
    words = WORDS[lang]
    shapes = backend.part("shapes")
    results = report["results"]
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        by_rule[result["rule_id"]].append(result)
    parts = []
    verdict = words["conforms"] if report["conforms"] and not results else report["summary"]
    parts.append(
        f'<p class="verdict {"ok" if report["conforms"] else "bad"}">{escape(verdict)}</p>'
    )
    if by_rule:
        parts.append(f"<h2>{escape(words['results'])}</h2>")
    for rule_id, found in sorted(by_rule.items()):
        rule = URIRef(rule_id) if rule_id.startswith("http") else None
        name = rule_name(shapes, rule, lang) if rule is not None else found[0]["rule"]
        items = []
        for result in found:
            figures = "".join(
                f"<li>{term_html(URIRef(f['iri']), f['identifier'] or f['iri'], lang=lang)}: "
                f"{escape(f['what'])}: <b>{escape(f['value'])} {escape(f['unit'])}</b> "
                f"({escape(words['source'])}: {escape(f['source'])})</li>"
                for f in result["figures"]
            )
            focus = result["focus_node"]
            where = "" if figures else f"<li>{term_html(URIRef(focus), focus, lang=lang)}</li>"
            items.append(f"<li>{escape(result['message'])}<ul>{figures}{where}</ul></li>")
        severity = found[0]["severity"].lower()
        parts.append(
            f'<section class="rule {severity}"><h3>{escape(found[0]["severity"])}: '
            + (term_html(rule, name, lang=lang) if rule is not None else escape(name))
            + f'</h3><ul class="results">{"".join(items)}</ul></section>'
        )
    parts.append(_rules_html(shapes, by_rule, lang))
    parts.append(_figures_html(backend, results, lang))
    return page(words["report"], "\n".join(parts), lang=lang, path=path)


def rule_name(shapes: Graph, shape: URIRef, lang: str) -> str:
    """The name of a rule (a shape) in ``lang``."""
    return label(shapes, shape, lang)


def _rules_html(shapes: Graph, by_rule: dict[str, list[dict[str, Any]]], lang: str) -> str:
    words = WORDS[lang]
    rules = sorted(
        {s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
        | {s for s in shapes.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef)},
        key=str,
    )
    rows = []
    for rule in rules:
        found = by_rule.get(str(rule), [])
        status = "broken" if any(r["severity"] == "Violation" for r in found) else (
            "warning" if found else "holds")  # fmt: skip
        rows.append(
            f'<tr class="check {status}"><td class="status">{escape(words[status])}</td>'
            f"<td>{term_html(rule, rule_name(shapes, rule, lang), lang=lang)}</td></tr>"
        )
    heading = f"<h2>{escape(words['rules'])} ({len(rules)})</h2>"
    return heading + f'<table class="rules">{"".join(rows)}</table>'


def _figures_html(backend: Backend, results: list[dict[str, Any]], lang: str) -> str:
    words = WORDS[lang]
    result = backend.query(ALL_FIGURES, source="<report>")
    assert isinstance(result, GraphResult)
    graph = result.graph
    involved = {f["iri"] for r in results if r["severity"] == "Violation" for f in r["figures"]}
    involved |= {r["focus_node"] for r in results if r["severity"] == "Violation"}
    rows = []
    observations = sorted(set(graph.subjects(RDF.type, QB.Observation)), key=str)
    facts = sorted(((o, figure_facts(graph, o, lang)) for o in observations),
                   key=lambda f: (f[1]["id"], str(f[0])))  # fmt: skip
    for obs, f in facts:
        status = "broken" if str(obs) in involved else "holds"
        rows.append(
            f'<tr class="check {status}"><td>{term_html(obs, f["id"] or str(obs), lang=lang)}</td>'
            f"<td>{escape(f['area'])} · {escape(f['year'])} · {escape(f['indicator'])}</td>"
            f'<td class="num">{escape(f["value"])}</td><td>{escape(f["unit"])}</td>'
            f'<td class="status">{escape(words[status])}</td></tr>'
        )
    return (
        f"<h2>{escape(words['all_figures'])} ({len(observations)})</h2>"
        f'<table class="figures">{"".join(rows)}</table>'
    )
