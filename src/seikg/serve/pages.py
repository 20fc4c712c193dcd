"""A page for every resource of the graph, served at its path under the server.

``https://w3id.org/sei-kg/place/370200`` is served at ``/place/370200``: as
HTML for browsers (labels in both languages, its figures with units and
sources, links to its neighbours, and for a figure the rule checks it takes
part in), or as Turtle, N-Triples or JSON-LD by Accept or ``?format=``.
Hash namespaces (``ontology#...``, ``shapes#...``) are served as one page per
document, each term at its own anchor.  Everything is read with SPARQL
through the backend, so pages work the same on every store.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from seikg.namespaces import BASE, QB, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, SEI, SH
from seikg.serve.backend import Backend
from seikg.serve.html import WORDS, page, term_html
from seikg.serve.negotiation import PAGE_TYPES, choose
from seikg.serve.reply import Reply
from seikg.serve.results import graph_reply
from seikg.sparql.results import AskResult, GraphResult
from seikg.sparql.writers import short_text

HASH_DOCUMENTS = ("ontology", "shapes")
LABELS = (RDFS.label, SKOS.prefLabel, SH.name)

_PROLOGUE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX qb: <http://purl.org/linked-data/cube#>
"""

EXISTS = _PROLOGUE + "ASK WHERE { { ?this ?p ?o } UNION { ?s ?q ?this } }"

ABOUT = (
    _PROLOGUE
    + """CONSTRUCT { ?this ?p ?o . ?o ?bp ?bo . ?s ?q ?this }
WHERE { { ?this ?p ?o OPTIONAL { ?o ?bp ?bo FILTER (isBlank(?o)) } } UNION { ?s ?q ?this } }"""
)

NEIGHBOUR_LABELS = (
    _PROLOGUE
    + """CONSTRUCT { ?n ?lp ?l }
WHERE {
  { ?this ?p ?n } UNION { ?n ?q ?this } UNION { ?this ?n ?x } UNION { ?y ?n ?this }
  UNION { ?this ?p2 ?b . ?b ?n ?z FILTER (isBlank(?b)) }
  UNION { ?this ?p3 ?b2 . ?b2 ?p4 ?n FILTER (isBlank(?b2)) }
  ?n ?lp ?l
  FILTER (?lp IN (rdfs:label, skos:prefLabel, skos:notation, dct:identifier, dct:title))
}"""
)

FIGURES = (
    _PROLOGUE
    + """CONSTRUCT { ?obs ?fp ?fv }
WHERE { ?obs ?link ?this . ?obs a qb:Observation ; ?fp ?fv }"""
)

FIGURE_LABELS = (
    _PROLOGUE
    + """CONSTRUCT {
  ?fv rdfs:label ?l . ?fv skos:prefLabel ?m . ?fv dct:title ?t . ?fv skos:notation ?n }
WHERE {
  ?obs ?link ?this . ?obs a qb:Observation ; ?fp ?fv .
  { ?fv rdfs:label ?l } UNION { ?fv skos:prefLabel ?m } UNION { ?fv dct:title ?t }
  UNION { ?fv skos:notation ?n }
}"""
)

DOCUMENT = (
    _PROLOGUE
    + """CONSTRUCT { ?s ?p ?o }
WHERE { ?s ?p ?o FILTER (STRSTARTS(STR(?s), ?prefix)) }"""
)

DOCUMENT_LABELS = (
    _PROLOGUE
    + """CONSTRUCT { ?o rdfs:label ?l . ?o skos:prefLabel ?m }
WHERE {
  ?s ?p ?o FILTER (STRSTARTS(STR(?s), ?prefix) && isIRI(?o))
  { ?o rdfs:label ?l } UNION { ?o skos:prefLabel ?m }
}"""
)


_PLAIN = re.compile(r"[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")


def is_plain_iri(text: str) -> bool:
    """Whether ``text`` is an IRI that can be written into a query as ``<text>`` safely:
    ASCII letters, digits and the IRI delimiters only, and valid to Oxigraph's strict parser.

    >>> is_plain_iri("https://w3id.org/sei-kg/place/370200")
    True
    >>> is_plain_iri("https://w3id.org/sei-kg/x> } SERVICE <http://e/")
    False
    """
    import pyoxigraph as ox

    if not _PLAIN.fullmatch(text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _graph(backend: Backend, text: str, bindings: Mapping[str, Node]) -> Graph:
    result = backend.query(text, bindings=bindings, source="<page>")
    assert isinstance(result, GraphResult)
    return result.graph


def label(graph: Graph, node: Node, lang: str) -> str:
    """The label of a node in ``lang``, else English, else any, else a short name."""
    if isinstance(node, Literal):
        return str(node)
    found: dict[str | None, str] = {}
    for predicate in LABELS:
        for value in graph.objects(node, predicate):
            if isinstance(value, Literal):
                found.setdefault(value.language, str(value))
    for key in (lang, "en", None):
        if key in found:
            return found[key]
    if found:
        return next(iter(found.values()))
    for predicate in (DCTERMS.title, DCTERMS.identifier, SKOS.notation):
        other = graph.value(node, predicate)
        if other is not None:
            return str(other)
    text = short_text(node)
    return text.strip("<>")


def resource(
    backend: Backend,
    *,
    path: str,
    accept: str | None,
    fmt: str | None,
    lang: str,
    checks: list[dict[str, Any]] | None = None,
    validated: bool = False,
) -> Reply:
    """The page (or RDF) of the resource at ``path``; a 404 page when there is none."""
    offer = choose(accept, PAGE_TYPES, parameter=fmt)
    if offer is None:
        names = ", ".join(o.media_type for o in PAGE_TYPES)
        return Reply.text(406, f"this page can be had as: {names}")
    document = path.strip("/")
    alternates = [
        (f"{path}?format=turtle", "text/turtle", "Turtle"),
        (f"{path}?format=nt", "application/n-triples", "N-Triples"),
        (f"{path}?format=jsonld", "application/ld+json", "JSON-LD"),
    ]
    link = ", ".join(f'<{h}>; rel="alternate"; type="{t}"' for h, t, _ in alternates)
    headers = {"Vary": "Accept", "Link": link}
    if document in HASH_DOCUMENTS:
        graph = _document_graph(backend, document)
        iri = None
    else:
        if not is_plain_iri(BASE + document):
            return Reply.text(404, "not an address of this graph")
        iri = URIRef(BASE + document)
        exists = backend.query(EXISTS, bindings={"this": iri}, source="<page>")
        assert isinstance(exists, AskResult)
        graph = _graph(backend, ABOUT, {"this": iri}) if exists.value else Graph()
    if not len(graph):
        words = WORDS[lang]
        body = page(words["not_found"], f"<p><code>{escape(BASE + document)}</code></p>",
                    lang=lang, path=path)  # fmt: skip
        reply = Reply(body.encode(), "text/html; charset=utf-8", 404, headers={"Vary": "Accept"})
        if offer.writer != "html":
            reply = Reply.text(404, f"nothing in the graph has the IRI {BASE + document}")
        return reply
    if offer.writer != "html":
        reply = graph_reply(graph, offer)
        reply.headers.update(headers)
        return reply
    if iri is None:
        html_text = _document_page(graph, document, lang=lang, path=path, alternates=alternates)
    else:
        labels = _graph(backend, NEIGHBOUR_LABELS, {"this": iri})
        figures = _graph(backend, FIGURES, {"this": iri})
        if len(figures):
            figures += _graph(backend, FIGURE_LABELS, {"this": iri})
        html_text = _resource_page(
            iri, graph + labels + figures, lang=lang, path=path, alternates=alternates,
            checks=_rule_checks(backend, iri, graph, checks or [], validated), backend=backend,
        )  # fmt: skip
    return Reply(html_text.encode("utf-8"), "text/html; charset=utf-8", headers=headers)


def _document_graph(backend: Backend, document: str) -> Graph:
    if document == "shapes":
        shapes = backend.part("shapes")
        out = Graph()
        for triple in shapes:
            out.add(triple)
        return out
    prefix = {"prefix": Literal(f"{BASE}{document}#")}
    return _graph(backend, DOCUMENT, prefix) + _graph(backend, DOCUMENT_LABELS, prefix)


# -- figures -----------------------------------------------------------------------------


def figure_facts(graph: Graph, obs: Node, lang: str) -> dict[str, str]:
    """What a figure says, for a reader: value with bound and unit, cell, source."""
    words = WORDS[lang]

    def named(predicate: URIRef) -> str:
        value = graph.value(obs, predicate)
        return label(graph, value, lang) if value is not None else ""

    value = graph.value(obs, SDMX_MEASURE.obsValue)
    bound = graph.value(obs, SEI.bound)
    amount = str(value) if value is not None else ""
    if bound is not None:
        amount = f"{label(graph, bound, lang).split(' (')[0]} {amount}"
    sources = []
    for source in sorted(graph.objects(obs, PROV.wasDerivedFrom), key=str):
        if (source, RDF.type, QB.Observation) in graph or graph.value(source, DCTERMS.identifier):
            ident = graph.value(source, DCTERMS.identifier)
            sources.append(
                (source, f"{words['derived_from']} {ident or label(graph, source, lang)}")
            )
        else:
            text = label(graph, source, lang)
            paragraphs = sorted(str(p) for p in graph.objects(obs, SEI.sourceParagraph))
            if paragraphs:
                text += f", {words['paragraph']} {', '.join(paragraphs)}"
            sources.append((source, text))
    return {
        "id": str(graph.value(obs, DCTERMS.identifier) or ""),
        "area": named(SDMX_DIMENSION.refArea),
        "year": str(graph.value(obs, SDMX_DIMENSION.refPeriod) or ""),
        "indicator": named(SEI.indicator),
        "scope": named(SEI.scope),
        "value": amount,
        "unit": named(SDMX_ATTRIBUTE.unitMeasure),
        "precision": str(graph.value(obs, SEI.statedPrecision) or ""),
        "sources": sources,  # type: ignore[dict-item]
    }


def _source_html(facts: dict[str, Any], lang: str) -> str:
    return "; ".join(term_html(s, text, lang=lang) for s, text in facts["sources"])


def _figure_rows(graph: Graph, observations: Iterable[Node], lang: str) -> str:
    words = WORDS[lang]
    rows = []
    facts = [(obs, figure_facts(graph, obs, lang)) for obs in observations]
    facts.sort(key=lambda f: (f[1]["year"], f[1]["indicator"], f[1]["id"]))
    for obs, f in facts:
        rows.append(
            "<tr>"
            f"<td>{term_html(obs, f['id'] or label(graph, obs, lang), lang=lang)}</td>"
            f"<td>{escape(f['area'])}</td><td>{escape(f['year'])}</td>"
            f"<td>{escape(f['indicator'])}</td><td>{escape(f['scope'])}</td>"
            f'<td class="num">{escape(f["value"])}</td><td>{escape(f["unit"])}</td>'
            f"<td>{_source_html(f, lang)}</td></tr>"
        )
    head = "".join(
        f"<th>{escape(words[k])}</th>"
        for k in ("figure", "area", "year", "indicator", "scope", "value", "unit", "source")
    )
    body = "".join(rows)
    return f'<table class="figures"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


# -- rule checks ---------------------------------------------------------------------------


def _rule_checks(
    backend: Backend, iri: URIRef, graph: Graph, results: list[dict[str, Any]], validated: bool
) -> list[dict[str, Any]] | None:
    """The rules that check a figure (by their targets) and whether each holds for it."""
    types = set(graph.objects(iri, RDF.type))
    if QB.Observation not in types and not results:
        return None
    shapes = backend.part("shapes")
    applicable: dict[str, dict[str, Any]] = {}
    for shape in set(shapes.subjects(SH.targetClass, None)) | set(
        shapes.subjects(SH.targetNode, iri)
    ):
        targets = set(shapes.objects(shape, SH.targetClass))
        if targets & types or (shape, SH.targetNode, iri) in shapes:
            applicable[str(shape)] = {"shape": shape, "results": []}
    for result in results:
        entry = applicable.setdefault(
            result["rule_id"], {"shape": URIRef(result["rule_id"]), "results": []}
        )
        entry["results"].append(result)
    checks = []
    for key, entry in sorted(applicable.items()):
        severities = {r["severity"] for r in entry["results"]}
        status = "broken" if "Violation" in severities else "warning" if severities else "holds"
        if not validated and not entry["results"]:
            status = "pending"
        checks.append({"rule": key, "shape": entry["shape"], "status": status,
                       "messages": [r["message"] for r in entry["results"]]})  # fmt: skip
    return checks


def rule_name(shapes: Graph, shape: Node, lang: str) -> str:
    """A rule's name in ``lang`` (its label), else its short name."""
    return label(shapes, shape, lang)


def _checks_html(backend: Backend, checks: list[dict[str, Any]] | None, lang: str) -> str:
    words = WORDS[lang]
    if checks is None:
        return ""
    if not checks:
        return f"<h2>{escape(words['checks'])}</h2><p>{escape(words['no_checks'])}</p>"
    shapes = backend.part("shapes")
    items = []
    for check in checks:
        status = check["status"]
        messages = "".join(f"<li>{escape(m)}</li>" for m in check["messages"])
        items.append(
            f'<li class="check {status}"><span class="status">{escape(words[status])}</span> '
            f"{term_html(check['shape'], rule_name(shapes, check['shape'], lang), lang=lang)}"
            + (f"<ul>{messages}</ul>" if messages else "")
            + "</li>"
        )
    held = sum(1 for c in checks if c["status"] == "holds")
    return (
        f'<h2 id="checks">{escape(words["checks"])} '
        f"({held}/{len(checks)} {escape(words['holds'])})</h2>"
        f'<ul class="checks">{"".join(items)}</ul>'
    )


# -- the pages ----------------------------------------------------------------------------


def _values_html(graph: Graph, values: list[Node], lang: str) -> str:
    out = []
    for value in sorted(values, key=lambda v: (not isinstance(v, Literal), str(v))):
        if isinstance(value, BNode):
            inner = "; ".join(
                f"{escape(label(graph, p, lang))}: {term_html(o, label(graph, o, lang), lang=lang)}"
                for p, o in sorted(graph.predicate_objects(value), key=str)
            )
            out.append(f'<span class="bnode">[{inner}]</span>')
        else:
            out.append(
                term_html(
                    value,
                    label(graph, value, lang) if isinstance(value, URIRef) else None,
                    lang=lang,
                )
            )
    return "<br>".join(out)


def _resource_page(
    iri: URIRef,
    graph: Graph,
    *,
    lang: str,
    path: str,
    alternates: list[tuple[str, str, str]],
    checks: list[dict[str, Any]] | None,
    backend: Backend,
) -> str:
    words = WORDS[lang]
    other = "zh" if lang == "en" else "en"
    title = label(graph, iri, lang)
    subtitle = label(graph, iri, other)
    parts = [f'<p class="iri">{escape(words["iri"])}: <code>{escape(str(iri))}</code></p>']
    types = sorted(graph.objects(iri, RDF.type), key=str)
    if types:
        parts.append(
            f'<p class="types">{escape(words["types"])}: '
            + ", ".join(term_html(t, label(graph, t, lang), lang=lang) for t in types)
            + "</p>"
        )
    if QB.Observation in types:
        f = figure_facts(graph, iri, lang)
        parts.append(
            '<div class="figure">'
            f'<p class="amount"><span class="value">{escape(f["value"])}</span> '
            f'<span class="unit">{escape(f["unit"])}</span></p>'
            f"<p>{escape(f['area'])} · {escape(f['year'])} · {escape(f['indicator'])}"
            + (f" ({escape(f['scope'])})" if f["scope"] else "")
            + "</p>"
            + (
                f"<p>{escape(words['precision'])}: {escape(f['precision'])}</p>"
                if f["precision"]
                else ""
            )
            + f"<p>{escape(words['source'])}: {_source_html(f, lang)}</p></div>"
        )
    parts.append(_checks_html(backend, checks, lang) if checks is not None else "")
    figures = sorted(
        {s for s, _p in graph.subject_predicates(iri) if (s, RDF.type, QB.Observation) in graph},
        key=str,
    )
    if figures:
        parts.append(f"<h2>{escape(words['figures'])} ({len(figures)})</h2>")
        parts.append(_figure_rows(graph, figures, lang))
    by_predicate: dict[Node, list[Node]] = defaultdict(list)
    for p, o in graph.predicate_objects(iri):
        if p != RDF.type:
            by_predicate[p].append(o)
    rows = "".join(
        f"<tr><th>{term_html(p, label(graph, p, lang), lang=lang)}</th>"
        f"<td>{_values_html(graph, values, lang)}</td></tr>"
        for p, values in sorted(by_predicate.items(), key=lambda kv: label(graph, kv[0], lang))
    )
    parts.append(f'<h2>{escape(words["properties"])}</h2><table class="props">{rows}</table>')
    incoming = sorted(
        ((s, p) for s, p in graph.subject_predicates(iri) if s not in figures),
        key=lambda sp: str(sp),
    )
    if incoming:
        rows = "".join(
            f"<tr><td>{term_html(s, label(graph, s, lang), lang=lang)}</td>"
            f"<td>{term_html(p, label(graph, p, lang), lang=lang)}</td></tr>"
            for s, p in incoming
        )
        parts.append(f'<h2>{escape(words["linked_from"])}</h2><table class="props">{rows}</table>')
    return page(title, "\n".join(parts), lang=lang, path=path,
                subtitle=subtitle if subtitle != title else "", alternates=alternates)  # fmt: skip


def _document_page(
    graph: Graph, document: str, *, lang: str, path: str, alternates: list[tuple[str, str, str]]
) -> str:
    words = WORDS[lang]
    prefix = f"{BASE}{document}#"
    terms = sorted(
        {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(prefix)},
        key=str,
    )
    items = []
    for term in terms:
        anchor = str(term)[len(prefix) :]
        types = ", ".join(
            escape(label(graph, t, lang)) for t in sorted(graph.objects(term, RDF.type), key=str)
        )
        comment = next(
            (
                str(c)
                for c in graph.objects(term, RDFS.comment)
                if getattr(c, "language", None) == lang
            ),
            next((str(c) for c in graph.objects(term, RDFS.comment)), ""),
        )
        items.append(
            f'<section id="{escape(anchor)}"><h3>{escape(label(graph, term, lang))} '
            f"<code>{escape(short_text(term))}</code></h3>"
            f'<p class="types">{types}</p><p>{escape(comment)}</p></section>'
        )
    title = f"{document} · {words['terms']} ({len(terms)})"
    return page(title, "\n".join(items), lang=lang, path=path, alternates=alternates)
