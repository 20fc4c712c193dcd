"""Terms between pyoxigraph and rdflib, converted both ways without loss, and the one
canonical lexical form of decimals and integers.

Stores keep numbers as values and give them back in their own lexical form
(Oxigraph writes the decimal 30.0 as ``30`` and 6.40 as ``6.4``); files may write
``007`` or ``+5.0``.  :func:`canonical_literal` gives every xsd:decimal and
xsd:integer the canonical form of XSD 1.0, so that the same value is the same
text from every parser and every store.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from seikg.errors import BadInputError

_XSD_STRING = str(XSD.string)
_XSD_DECIMAL = str(XSD.decimal)
_XSD_INTEGER = str(XSD.integer)
_XSD_DOUBLE = str(XSD.double)
_XSD_FLOAT = str(XSD.float)
_FLOATING = re.compile(
    r"\s*(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN)\s*"
)
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_CANONICAL_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.(?:0|[0-9]*[1-9])")
_CANONICAL_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"\s*([+-]?)([0-9]*)(?:\.([0-9]*))?\s*")
_INTEGER = re.compile(r"\s*([+-]?)([0-9]+)\s*")

Node = URIRef | BNode | Literal


def canonical_lexical(lexical: str, datatype: str) -> str:
    """The canonical lexical form (XSD) of an xsd:decimal, xsd:integer, xsd:double or
    xsd:float; any other datatype, or a form that is not a valid one of its type, is
    returned as it is.

    >>> [canonical_lexical(x, _XSD_DECIMAL) for x in ("6.40", "1", "+5.0", "-0.0", ".5", "-007.")]
    ['6.4', '1.0', '5.0', '0.0', '0.5', '-7.0']
    >>> [canonical_lexical(x, _XSD_INTEGER) for x in ("007", "+5", "-0", "12")]
    ['7', '5', '0', '12']
    >>> doubles = ("1e1", "10", "0.00000015", "-0", "INF", "1e300")
    >>> [canonical_lexical(x, _XSD_DOUBLE) for x in doubles]
    ['1.0E1', '1.0E1', '1.5E-7', '-0.0E0', 'INF', '1.0E300']
    >>> canonical_lexical("123456789.0", _XSD_FLOAT), canonical_lexical("0.1", _XSD_FLOAT)
    ('1.2345679E8', '1.0E-1')
    """
    if datatype in (_XSD_DOUBLE, _XSD_FLOAT):
        return _canonical_floating(lexical, single=datatype == _XSD_FLOAT)
    if datatype == _XSD_DECIMAL:
        if _CANONICAL_DECIMAL.fullmatch(lexical) and lexical != "-0.0":
            return lexical
        match = _DECIMAL.fullmatch(lexical)
        if match is None or not (match.group(2) or match.group(3)):
            return lexical
        sign, whole, fraction = match.group(1), match.group(2), match.group(3) or ""
        whole = whole.lstrip("0") or "0"
        fraction = fraction.rstrip("0") or "0"
        if whole == "0" and fraction == "0":
            sign = ""
        return f"{'-' if sign == '-' else ''}{whole}.{fraction}"
    if datatype == _XSD_INTEGER:
        if _CANONICAL_INTEGER.fullmatch(lexical) and lexical != "-0":
            return lexical
        match = _INTEGER.fullmatch(lexical)
        if match is None:
            return lexical
        digits = match.group(2).lstrip("0") or "0"
        return f"-{digits}" if match.group(1) == "-" and digits != "0" else digits
    return lexical


def _canonical_floating(lexical: str, *, single: bool) -> str:
    """XSD's canonical form of a double (or a float, its value rounded to 32 bits): the
    fewest digits that give the value back, as ``d.dddEn``; ``INF``, ``-INF``, ``NaN``."""
    import math
    import struct

    if not _FLOATING.fullmatch(lexical):
        return lexical
    text = lexical.strip()
    value = float(text.replace("INF", "inf"))
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    if single:
        try:
            value = struct.unpack("f", struct.pack("f", value))[0]
        except OverflowError:
            return "INF" if value > 0 else "-INF"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
    if value == 0:
        return "-0.0E0" if math.copysign(1, value) < 0 else "0.0E0"
    shortest = repr(value)
    if single:
        for precision in range(9):
            shortest = f"{value:.{precision}e}"
            if struct.unpack("f", struct.pack("f", float(shortest)))[0] == value:
                break
    sign, digits, exponent = Decimal(shortest).as_tuple()
    assert isinstance(exponent, int)
    kept = list(digits)
    while len(kept) > 1 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    mantissa = f"{kept[0]}.{''.join(map(str, kept[1:])) or '0'}"
    return f"{'-' if sign else ''}{mantissa}E{exponent + len(kept) - 1}"


def canonical_literal(term: Node) -> Node:
    """The same term, a decimal or integer literal in its canonical lexical form.

    >>> canonical_literal(Literal("6.40", datatype=XSD.decimal))
    rdflib.term.Literal('6.4', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    >>> canonical_literal(URIRef("http://e/a"))
    rdflib.term.URIRef('http://e/a')
    """
    if not isinstance(term, Literal) or term.datatype is None:
        return term
    datatype = str(term.datatype)
    if datatype not in (_XSD_DECIMAL, _XSD_INTEGER, _XSD_DOUBLE, _XSD_FLOAT):
        return term
    lexical = str(term)
    canonical = canonical_lexical(lexical, datatype)
    if canonical == lexical:
        return term
    return Literal(canonical, datatype=term.datatype, normalize=False)  # rdflib's is "10.0"


def to_rdflib(term: object, *, bnode_prefix: str = "") -> Node:
    """Convert a pyoxigraph term to the equal rdflib term.

    Plain strings become rdflib literals without a datatype, so graphs
    compare equal to those rdflib parses itself; decimals and integers get
    their canonical lexical form (:func:`canonical_lexical`), and so do doubles and floats.

    >>> to_rdflib(ox.Literal("31.8", datatype=ox.NamedNode(str(XSD.decimal))))
    rdflib.term.Literal('31.8', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    >>> to_rdflib(ox.Literal("30", datatype=ox.NamedNode(str(XSD.decimal))))
    rdflib.term.Literal('30.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
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
        if datatype in (_XSD_DECIMAL, _XSD_INTEGER):
            return Literal(canonical_lexical(term.value, datatype), datatype=URIRef(datatype))
        if datatype in (_XSD_DOUBLE, _XSD_FLOAT):
            lexical = canonical_lexical(term.value, datatype)
            return Literal(lexical, datatype=URIRef(datatype), normalize=False)
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
