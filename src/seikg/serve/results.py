"""Query results as HTTP bodies, through the same writers as the command line.

Results cut at the row limit say so in a header (``Sei-Kg-Truncated``) and,
where the format can carry it, in the body: a ``link`` in the head of the
SPARQL JSON and XML results (the place the W3C formats keep for metadata), a
comment line in Turtle and N-Triples.
"""

from __future__ import annotations

import json

from rdflib import Graph

from seikg.formats import RdfFormat
from seikg.serve.negotiation import Offer
from seikg.serve.reply import Reply, media_type_with_charset
from seikg.sparql.results import AskResult, GraphResult, QueryResult, ResultFormat, SelectResult

TRUNCATED_HEADER = "Sei-Kg-Truncated"
LIMITS_PAGE = "/ui/limits#rows"


def _graph_bytes(graph: Graph, writer: str) -> bytes:
    from seikg.rdf.export import serialize

    fmt = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.NTRIPLES, "jsonld": RdfFormat.JSONLD,
           "rdfxml": RdfFormat.RDFXML}[writer]  # fmt: skip
    return serialize(graph, fmt)


def graph_reply(graph: Graph, offer: Offer, *, truncated_at: int | None = None) -> Reply:
    """A graph (CONSTRUCT, DESCRIBE, a part of the knowledge graph) as a reply."""
    body = _graph_bytes(graph, offer.writer)
    headers = {}
    if truncated_at is not None:
        headers[TRUNCATED_HEADER] = f"triples={truncated_at}"
        if offer.writer in ("turtle", "nt"):
            body = (
                f"# sei-kg: truncated: only the first {truncated_at} triples (the row limit); "
                "see /ui/limits\n"
            ).encode() + body
    return Reply(body, media_type_with_charset(offer.media_type), headers=headers)


def cut_graph(graph: Graph, limit: int | None) -> tuple[Graph, int | None]:
    """At most ``limit`` triples of a graph (in a stable order), and whether it was cut."""
    if limit is None or len(graph) <= limit:
        return graph, None
    kept = Graph()
    for triple in sorted(graph, key=lambda t: tuple(term.n3() for term in t))[:limit]:
        kept.add(triple)
    return kept, limit


def result_reply(result: QueryResult, offer: Offer, *, limit: int | None, base: str) -> Reply:
    """A query result as a reply in the chosen format, with the truncation signals."""
    if isinstance(result, GraphResult):
        graph, cut = cut_graph(result.graph, limit)
        reply = graph_reply(graph, offer, truncated_at=cut)
        reply.log.update(form="CONSTRUCT", rows=len(graph), truncated=cut is not None)
        return reply
    fmt = ResultFormat(offer.writer)
    text = result.serialize(fmt)
    headers = {}
    rows = 1
    truncated = False
    if isinstance(result, SelectResult):
        rows = len(result)
        truncated = result.truncated
        if truncated:
            headers[TRUNCATED_HEADER] = f"rows={rows}"
            text = _mark_truncated(text, fmt, base + LIMITS_PAGE)
    form = "ASK" if isinstance(result, AskResult) else "SELECT"
    reply = Reply(text.encode("utf-8"), media_type_with_charset(offer.media_type), headers=headers)
    reply.log.update(form=form, rows=rows, truncated=truncated)
    return reply


def _mark_truncated(text: str, fmt: ResultFormat, link: str) -> str:
    """Put a link to the notice in the head of SPARQL JSON or XML results."""
    if fmt is ResultFormat.JSON:
        doc = json.loads(text)
        doc["head"]["link"] = [link]
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt is ResultFormat.XML:
        from xml.sax.saxutils import quoteattr

        return text.replace("  </head>", f"    <link href={quoteattr(link)}/>\n  </head>", 1)
    return text
