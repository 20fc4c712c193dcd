"""Stores behind one interface: rdflib in memory, Oxigraph on disk, any SPARQL 1.1 endpoint.

``memory`` (the default) holds the shipped graph in rdflib and validates with
pyshacl; ``oxigraph:PATH`` is an embedded, on-disk Oxigraph store, filled once
with ``sei-kg load`` and reopened without reloading; ``sparql:URL`` is the
query endpoint of a triple store someone already runs.  Every store answers
the same way: queries inspected first (no SERVICE, FROM or update), the same
typed results, the same validation report.
"""

from __future__ import annotations

from seikg.rdf.terms import to_oxigraph
from seikg.stores.base import Part, Store, StoreKind
from seikg.stores.memory import MemoryStore
from seikg.stores.oxigraph import OxigraphStore
from seikg.stores.remote import SparqlStore
from seikg.stores.spec import StoreSpec, open_store

__all__ = [
    "MemoryStore",
    "OxigraphStore",
    "Part",
    "SparqlStore",
    "Store",
    "StoreKind",
    "StoreSpec",
    "open_store",
    "to_oxigraph",
]
