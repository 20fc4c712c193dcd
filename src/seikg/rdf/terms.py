"""Terms between pyoxigraph and rdflib, converted both ways without loss."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from seikg.errors import BadInputError

_XSD_STRING = str(XSD.string)
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Node = URIRef | BNode | Literal


def to_rdflib(term: object, *, bnode_prefix: str = "") -> Node:
    """Convert a pyoxigraph term to the equal rdflib term.

    Plain strings become rdflib literals without a datatype, so graphs
    compare equal to those rdflib parses itself.

    >>> to_rdflib(ox.Literal("31.8", datatype=ox.NamedNode(str(XSD.decimal))))
    rdflib.term.Literal('31.8', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    >>> to_rdflib(ox.Literal("x"))
    rdflib.term.Literal('x')
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(bnode_prefix + term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANGSTRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise BadInputError(f"unsupported RDF term {term!r} (RDF-star is not supported)")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the equal pyoxigraph term.

    >>> to_oxigraph(Literal("青岛", lang="zh"))
    <Literal value=青岛 language=zh>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))
