"""The namespaces sei-kg uses, and the prefixes its exports declare."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

BASE = "https://w3id.org/sei-kg/"

SEI = Namespace(BASE + "ontology#")
SEIU = Namespace(BASE + "unit/")
SCHEME = Namespace(BASE + "scheme/")
CAT = Namespace(BASE + "category/")
IND = Namespace(BASE + "indicator/")
SCOPE = Namespace(BASE + "scope/")
BOUND = Namespace(BASE + "bound/")
SBASE = Namespace(BASE + "share-base/")
PLACE = Namespace(BASE + "place/")
OBS = Namespace(BASE + "observation/")
DS = Namespace(BASE + "dataset/")
DSD = Namespace(BASE + "structure/")
AGENT = Namespace(BASE + "agent/")
CLAIM = Namespace(BASE + "claim/")
AIM = Namespace(BASE + "aim/")
DIVTYPE = Namespace(BASE + "division-type/")
SOURCE = Namespace(BASE + "source/")
SEISH = Namespace(BASE + "shapes#")

QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
QUDT = Namespace("http://qudt.org/schema/qudt/")
SH = Namespace("http://www.w3.org/ns/shacl#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, str] = {
    "sei": str(SEI),
    "seiu": str(SEIU),
    "scheme": str(SCHEME),
    "cat": str(CAT),
    "ind": str(IND),
    "scope": str(SCOPE),
    "bound": str(BOUND),
    "sbase": str(SBASE),
    "place": str(PLACE),
    "obs": str(OBS),
    "ds": str(DS),
    "dsd": str(DSD),
    "agent": str(AGENT),
    "claim": str(CLAIM),
    "aim": str(AIM),
    "divtype": str(DIVTYPE),
    "source": str(SOURCE),
    "seish": str(SEISH),
    "qb": str(QB),
    "sdmx-dimension": str(SDMX_DIMENSION),
    "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-attribute": str(SDMX_ATTRIBUTE),
    "unit": str(UNIT),
    "qudt": str(QUDT),
    "sh": str(SH),
    "wd": str(WD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}
"""Prefix → namespace IRI, in the order exports declare them."""


def sparql_prologue() -> str:
    """Return ``PREFIX`` lines for every known namespace, for built-in queries.

    >>> "PREFIX qb: <http://purl.org/linked-data/cube#>" in sparql_prologue()
    True
    """
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def short_text(term: Node | None, graph: Graph | None = None) -> str:
    """Render a term for people: prefixed names for IRIs, bare text for literals.

    >>> short_text(URIRef("http://purl.org/linked-data/cube#Observation"))
    'qb:Observation'
    >>> short_text(Literal("青岛市", lang="zh"))
    '青岛市@zh'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        best = max(
            ((p, ns) for p, ns in PREFIXES.items() if text.startswith(ns)),
            key=lambda pair: len(pair[1]),
            default=None,
        )
        if best is not None:
            local = text[len(best[1]) :]
            if local and all(c.isalnum() or c in "-_." for c in local):
                return f"{best[0]}:{local}"
        return f"<{text}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    return f"{term}@{term.language}" if term.language else str(term)
