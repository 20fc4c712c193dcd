"""Between pyoxigraph's results and the project's: terms, forms, and values bound into text.

Stores keep decimals as values and write them canonically (Oxigraph writes
30.0 as "30"); a term read from a store is given the lexical form the project
writes (see :func:`term`), so every store gives the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from seikg.errors import BadInputError
from seikg.rdf.terms import to_oxigraph, to_rdflib

DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"

# Whole decimals in N-Triples dumped by a store, given back their ".0" (see term).
WHOLE_DECIMAL = re.compile(rb'"([+-]?[0-9]+)"\^\^<' + DECIMAL.encode() + rb">")
# Doubles and floats in N-Triples dumped by a store, given the canonical form (see term).
_FLOATING = re.compile(rb'"([^"\\]*)"\^\^<http://www\.w3\.org/2001/XMLSchema#(double|float)>')


def canonical_numbers(ntriples: bytes) -> bytes:
    """N-Triples lines from a store with their numbers in the project's canonical form:
    whole decimals with ".0", doubles and floats as XSD writes them canonically.

    >>> canonical_numbers(b'<a> <b> "10"^^<http://www.w3.org/2001/XMLSchema#double> .')
    b'<a> <b> "1.0E1"^^<http://www.w3.org/2001/XMLSchema#double> .'
    """
    from seikg.rdf.terms import canonical_lexical

    whole = rb'"\1.0"^^<' + DECIMAL.encode() + rb">"
    ntriples = WHOLE_DECIMAL.sub(whole, ntriples)
    if b"XMLSchema#double>" not in ntriples and b"XMLSchema#float>" not in ntriples:
        return ntriples

    def floating(match: re.Match[bytes]) -> bytes:
        kind = match.group(2).decode()
        lexical = canonical_lexical(
            match.group(1).decode(), f"http://www.w3.org/2001/XMLSchema#{kind}"
        )
        return (
            b'"'
            + lexical.encode()
            + b'"^^<http://www.w3.org/2001/XMLSchema#'
            + match.group(2)
            + b">"
        )

    return _FLOATING.sub(floating, ntriples)


def term(value: Any) -> Node:
    """A term read from a store, as rdflib, with the project's lexical form of decimals.

    >>> term(ox.Literal("30", datatype=ox.NamedNode(DECIMAL)))
    rdflib.term.Literal('30.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    if isinstance(value, ox.Literal) and value.datatype.value == DECIMAL:
        lexical = value.value
        if "." not in lexical and lexical.lstrip("+-").isdigit():
            return to_rdflib(ox.Literal(f"{lexical}.0", datatype=value.datatype))
    return to_rdflib(value)


def form_of(result: Any) -> str:
    """The form of a query from what Oxigraph returned for it."""
    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    if isinstance(result, ox.QueryTriples):
        return "CONSTRUCT"
    return "SELECT"


def n3(node: Node) -> str:
    """A term in SPARQL syntax, written by pyoxigraph (IRIs and strings escaped as SPARQL needs)."""
    return str(to_oxigraph(node))  # type: ignore[arg-type]


def with_values(text: str, bindings: Mapping[str, Node]) -> str:
    """Bind values with a VALUES block opening the WHERE clause (terms written by pyoxigraph)."""
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(n3(value) for value in bindings.values())
    return _open_where(text, f"VALUES ({names}) {{ ({values}) }}")


def lateral(text: str, bindings: Mapping[str, Node]) -> str:
    """A SELECT evaluated with values bound first: Oxigraph's ``LATERAL`` (SPARQL SEP-0006)
    evaluates the query once for the bound row, and plans it knowing what is bound, so a
    pattern on a bound variable starts the evaluation (with ``substitutions`` Oxigraph
    binds the values but plans as if nothing were bound).  Every bound variable must be
    projected by the query.

    >>> from rdflib import URIRef
    >>> print(lateral("SELECT ?a ?b WHERE { ?b <p> ?a }", {"a": URIRef("http://e/x")}))
    SELECT * WHERE { VALUES (?a) { (<http://e/x>) } LATERAL { SELECT ?a ?b WHERE { ?b <p> ?a } } }
    """
    match = re.match(r"(?:\s*(?:PREFIX\s+[^:\s]*:\s*<[^>]*>|BASE\s+<[^>]*>))*\s*", text, re.I)
    cut = match.end() if match else 0
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(n3(value) for value in bindings.values())
    return (
        f"{text[:cut]}SELECT * WHERE {{ VALUES ({names}) {{ ({values}) }} "
        f"LATERAL {{ {text[cut:].strip()} }} }}"
    )


def with_value_list(text: str, variable: str, nodes: Iterable[Node]) -> str:
    """Bind one variable to each of several terms (a one-column VALUES block)."""
    values = " ".join(n3(node) for node in nodes)
    return _open_where(text, f"VALUES ?{variable} {{ {values} }}")


def _open_where(text: str, block: str) -> str:
    match = re.search(r"\b(WHERE|ASK)\s*\{", text, flags=re.IGNORECASE)
    if match is None:
        raise BadInputError("cannot bind parameters: the query has no WHERE clause")
    cut = match.end()
    return f"{text[:cut]}\n  {block}\n{text[cut:]}"
