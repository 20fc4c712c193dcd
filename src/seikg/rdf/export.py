"""Deterministic serialization.

The same graph always exports to the same bytes: blank nodes get canonical
labels (see :mod:`seikg.rdf.bnodes` and :mod:`seikg.rdf.canon`), decimals and
integers their canonical form (:func:`seikg.rdf.terms.canonical_literal`), triples are written in
sorted order, and N-Triples lines are sorted.

Control characters: Turtle, TriG, N-Triples and N-Quads write every C0
control but tab and line feed, and DEL, as a ``\\uXXXX`` escape (line
feed and carriage return as the parsers' own escapes where rdflib gives
them), so that a file never holds a raw control character.  RDF/XML is XML
1.0, which cannot carry most of them at all: a literal holding one is
refused, naming it (exit 2); a carriage return is written as ``&#13;`` so
that XML's line-end handling does not turn it into a line feed.  RDF/XML
writes a predicate as an XML element name: a predicate whose IRI does not end
in a name XML allows (``http://e/p/``, ``urn:x:1``) is refused, naming it.
"""

from __future__ import annotations

import json
import re

from rdflib import Graph

from seikg.errors import BadInputError
from seikg.formats import RdfFormat
from seikg.namespaces import PREFIXES
from seikg.rdf.bnodes import canonical_labels
from seikg.rdf.terms import canonical_literal


def canonical_copy(graph: Graph) -> Graph:
    """Return a copy of ``graph`` with canonical blank nodes, triples added in sorted order.

    >>> g = Graph()
    >>> _ = g.parse(data="[] <http://e/p> 1 .", format="turtle")
    >>> c1, c2 = canonical_copy(g), canonical_copy(g)
    >>> set(c1) == set(c2)
    True
    """
    labels = canonical_labels(graph)
    triples = [
        (labels.get(s, s), p, canonical_literal(labels.get(o, o)))  # type: ignore[call-overload]
        for s, p, o in graph
    ]
    out = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(triples, key=lambda t: tuple(term.n3() for term in t)):
        out.add(triple)
    return out


def serialize(graph: Graph, fmt: RdfFormat = RdfFormat.TURTLE) -> bytes:
    """Serialize ``graph`` deterministically in ``fmt`` and return the bytes.

    >>> g = Graph()
    >>> _ = g.parse(data="<http://e/b> <http://e/p> 2 . <http://e/a> <http://e/p> 1 .",
    ...             format="turtle")
    >>> print(serialize(g, RdfFormat.NTRIPLES).decode(), end="")
    <http://e/a> <http://e/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
    <http://e/b> <http://e/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
    """
    canonical = canonical_copy(graph)
    if fmt is RdfFormat.NTRIPLES:
        written = escape_controls(canonical.serialize(format="nt", encoding="utf-8"))
        return b"".join(sorted(set(written.splitlines(keepends=True))))
    if fmt.is_dataset:
        from rdflib import Dataset

        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace, override=True, replace=True)
        default = dataset.default_graph
        for triple in canonical:
            default.add(triple)
        text: str | bytes = dataset.serialize(format=fmt.rdflib_name)
    elif fmt is RdfFormat.RDFXML:
        check_xml_text(canonical)
        check_xml_predicates(canonical)
        text = _oxigraph_serialize(canonical, fmt).replace(b"\r", b"&#13;")
    elif fmt is RdfFormat.JSONLD:
        text = _stable_jsonld(canonical.serialize(format="json-ld"))
    else:
        text = canonical.serialize(format=fmt.rdflib_name)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.NQUADS):
        data = escape_controls(data)
    if fmt is RdfFormat.NQUADS:
        data = b"".join(sorted(data.splitlines(keepends=True)))
    return data


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape_controls(data: bytes) -> bytes:
    """Write raw control characters (all C0 but tab, line feed and carriage return, and
    DEL) as ``\\uXXXX``.  In Turtle, TriG, N-Triples and N-Quads written by rdflib such
    a byte can only stand inside a string (or an IRI), where the escape means the same;
    in UTF-8 a byte below 0x80 is always a character of its own.

    >>> escape_controls(b'<http://e/a> <http://e/p> "a\\x01b" .')
    b'<http://e/a> <http://e/p> "a\\\\u0001b" .'
    """
    if not _CONTROL.search(data):
        return data
    return _CONTROL.sub(lambda m: b"\\u%04X" % m.group()[0], data)


# What XML 1.0 can carry: tab, line feed, carriage return, and U+0020 upwards but for
# the surrogates and U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_problem(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot carry, as ``U+XXXX``, or None.

    >>> xml_problem("a\\x01b"), xml_problem("青岛\\n")
    ('U+0001', None)
    """
    match = _NOT_XML.search(text)
    return f"U+{ord(match.group()):04X}" if match else None


def check_xml_text(graph: Graph) -> None:
    """Refuse, naming it, a literal or IRI that XML 1.0 (so RDF/XML) cannot carry."""
    from rdflib import Literal

    from seikg.namespaces import short_text

    for s, p, o in graph:
        for term in (s, p, o):
            problem = xml_problem(str(term))
            if problem is None:
                continue
            shown = str(term).encode("unicode_escape").decode("ascii")[:60]
            what = f'the literal "{shown}"' if isinstance(term, Literal) else f"<{shown}>"
            raise BadInputError(
                f"cannot write RDF/XML: {what} (of {short_text(s)} {short_text(p)}) holds the "
                f"control character {problem}, which XML 1.0 cannot carry; export it as "
                "Turtle, N-Triples or JSON-LD instead"
            )


# The end of an IRI that can be an XML name (an NCName): a letter or "_" first, then
# letters, digits, "-", "." and "_" (\w is Unicode: letters of every script count).
_XML_NAME_END = re.compile(r"[^\W\d][\w.\-\u00B7]*\Z")


def check_xml_predicates(graph: Graph) -> None:
    """Refuse, naming it, a predicate RDF/XML cannot write: RDF/XML writes a predicate as
    an XML element name, a namespace and a local name, so the IRI must end in something
    that can be an XML name (not in "/", "#", ":" or a digit after one of them).

    >>> g = Graph()
    >>> _ = g.parse(data="<http://e/a> <http://e/p/> 1 .", format="turtle")
    >>> check_xml_predicates(g)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.BadInputError: cannot write RDF/XML: the predicate <http://e/p/> does not ...
    """
    for predicate in sorted({str(p) for p in graph.predicates()}):
        if not _XML_NAME_END.search(predicate):
            shown = predicate.encode("unicode_escape").decode("ascii")[:200]
            raise BadInputError(
                f"cannot write RDF/XML: the predicate <{shown}> does not end in a name XML "
                'allows (a letter or "_", then letters, digits, "-", "." or "_"), so RDF/XML '
                "cannot write it; export it as Turtle, N-Triples or JSON-LD instead"
            )


def _oxigraph_serialize(graph: Graph, fmt: RdfFormat) -> bytes:
    """Serialize with pyoxigraph, which writes triples in the order given (already sorted)."""
    import pyoxigraph as ox

    from seikg.rdf.terms import to_oxigraph

    ordered = sorted(graph, key=lambda t: tuple(term.n3() for term in t))
    triples = [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in ordered
    ]
    used = {str(t.predicate.value) for t in triples}
    prefixes = {p: ns for p, ns in PREFIXES.items() if any(u.startswith(ns) for u in used)}
    out = ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes)
    assert out is not None
    return out


def _stable_jsonld(text: str) -> str:
    """Sort JSON-LD nodes by ``@id`` (and keys, and value lists) so the output is stable."""
    doc = json.loads(text)

    def order(value: object, *, keep: bool = False) -> object:
        if isinstance(value, dict):
            return {k: order(v, keep=(k == "@list")) for k, v in value.items()}
        if isinstance(value, list) and keep:
            return [order(v) for v in value]
        if isinstance(value, list):
            items = [order(v) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return value

    if isinstance(doc, dict) and "@graph" in doc:
        doc["@graph"] = order(doc["@graph"])
    else:
        doc = order(doc)
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
