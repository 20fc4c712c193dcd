"""The SPARQL 1.1 Service Description, served at the endpoint URL.

It names the endpoint, the language (SPARQL 1.1 Query only: no update), the
result formats, and the dataset: the default graph and the named graphs a
query may pick with ``FROM`` / ``FROM NAMED``.  It does not claim
``sd:DereferencesURIs``: nothing is ever fetched.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                   "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")  # fmt: skip


def service_description(endpoint: str, graph_names: Sequence[str], *, triples: int | None) -> Graph:
    """The description of the endpoint at ``endpoint`` as an RDF graph.

    >>> g = service_description("http://127.0.0.1:7878/sparql", [], triples=3)
    >>> (None, SD.endpoint, URIRef("http://127.0.0.1:7878/sparql")) in g
    True
    """
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    graph.bind("void", VOID)
    service = URIRef(endpoint + "#service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add(
        (
            service,
            DCTERMS.title,
            Literal("sei-kg: China's strategic emerging industries", lang="en"),
        )
    )
    graph.add((service, DCTERMS.title, Literal("sei-kg：中国战略性新兴产业知识图谱", lang="zh")))
    for name in _RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    if triples is not None:
        graph.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    for i, name in enumerate(graph_names):
        named = BNode(f"named{i}")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    return graph
