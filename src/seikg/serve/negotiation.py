"""Strict content negotiation: Accept with q-values, ``format=`` / ``output=``, defaults by form.

A client gets the format it prefers among those the endpoint can write for
the form of its query, or 406 when it accepts none of them.  A ``format`` or
``output`` parameter (a short name or a media type, as common clients send
them) takes the place of the Accept header.

>>> choose("application/sparql-results+xml;q=0.9, text/csv", SELECT_TYPES).media_type
'text/csv'
>>> choose(None, GRAPH_TYPES).media_type
'text/turtle'
>>> choose("image/png", SELECT_TYPES) is None
True
>>> choose("*/*", GRAPH_TYPES, parameter="jsonld").media_type
'application/ld+json'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Offer:
    """A format the endpoint can write: its media type, the writer's name and short names."""

    media_type: str
    writer: str
    names: tuple[str, ...] = ()


SELECT_TYPES: tuple[Offer, ...] = (
    Offer("application/sparql-results+json", "json", ("json", "srj")),
    Offer("application/sparql-results+xml", "xml", ("xml", "srx")),
    Offer("text/csv", "csv", ("csv",)),
    Offer("text/tab-separated-values", "tsv", ("tsv",)),
    Offer("application/json", "json"),
    Offer("application/xml", "xml"),
)
"""What SELECT and ASK results are written as, the default first."""

GRAPH_TYPES: tuple[Offer, ...] = (
    Offer("text/turtle", "turtle", ("turtle", "ttl")),
    Offer("application/n-triples", "nt", ("nt", "ntriples", "n-triples")),
    Offer("application/ld+json", "jsonld", ("jsonld", "json-ld", "json")),
    Offer("application/rdf+xml", "rdfxml", ("rdfxml", "rdf", "xml")),
    Offer("application/x-turtle", "turtle"),
    Offer("text/plain", "nt"),
)
"""What CONSTRUCT and DESCRIBE results, graphs and pages are written as, the default first."""

PAGE_TYPES: tuple[Offer, ...] = (Offer("text/html", "html", ("html",)), *GRAPH_TYPES)
"""What a resource page is written as."""


def _ranges(accept: str) -> list[tuple[str, str, float]]:
    """The media ranges of an Accept header: (type, subtype, q), malformed parts skipped."""
    out = []
    for item in accept.split(","):
        parts = [p.strip() for p in item.split(";")]
        kind, _sep, sub = parts[0].lower().partition("/")
        if not kind or not sub:
            continue
        q = 1.0
        for param in parts[1:]:
            key, _eq, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        out.append((kind, sub, q))
    return out


def quality(media_type: str, accept: str) -> float:
    """The q-value the Accept header gives a media type: its most specific matching range.

    >>> quality("text/csv", "text/*;q=0.5, text/csv;q=0")
    0.0
    >>> quality("text/turtle", "text/*;q=0.5, */*;q=0.1")
    0.5
    """
    kind, _sep, sub = media_type.partition("/")
    best, specificity = 0.0, -1
    for r_kind, r_sub, q in _ranges(accept):
        if r_kind == "*" and r_sub == "*":
            level = 0
        elif r_kind == kind and r_sub == "*":
            level = 1
        elif r_kind == kind and r_sub == sub:
            level = 2
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def choose(
    accept: str | None, offers: Sequence[Offer], *, parameter: str | None = None
) -> Offer | None:
    """The offer to answer with, or None (406)."""
    if parameter:
        wanted = parameter.strip().lower()
        for offer in offers:
            if wanted == offer.media_type or wanted in offer.names:
                return offer
        return None
    if not accept or not accept.strip():
        return offers[0]
    scored = [(quality(o.media_type, accept), -i, o) for i, o in enumerate(offers)]
    q, _order, offer = max(scored, key=lambda t: (t[0], t[1]))
    return offer if q > 0 else None


def accepts_html(accept: str | None) -> bool:
    """Whether a client (a browser) prefers HTML to every RDF format.

    >>> accepts_html("text/html,application/xhtml+xml,*/*;q=0.8")
    True
    >>> accepts_html("text/turtle")
    False
    """
    offer = choose(accept, PAGE_TYPES)
    return offer is not None and offer.writer == "html" and bool(accept)
