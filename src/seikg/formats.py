"""RDF serialization formats, named once for parsing and exporting."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pyoxigraph as ox

from seikg.errors import BadInputError


class RdfFormat(StrEnum):
    """An RDF serialization format.

    >>> RdfFormat.from_path(Path("facts.ttl"))
    <RdfFormat.TURTLE: 'turtle'>
    >>> RdfFormat.JSONLD.extension
    'jsonld'
    """

    TURTLE = "turtle"
    NTRIPLES = "nt"
    JSONLD = "jsonld"
    TRIG = "trig"
    RDFXML = "xml"
    NQUADS = "nquads"

    @property
    def extension(self) -> str:
        """The usual file extension, without the dot."""
        return _EXTENSIONS[self][0]

    @property
    def rdflib_name(self) -> str:
        """The name rdflib's serializers know the format by."""
        return _RDFLIB[self]

    @property
    def oxigraph(self) -> ox.RdfFormat:
        """The matching pyoxigraph format."""
        return _OXIGRAPH[self]

    @property
    def is_dataset(self) -> bool:
        """Whether the format holds named graphs (TriG, N-Quads)."""
        return self in (RdfFormat.TRIG, RdfFormat.NQUADS)

    @classmethod
    def from_path(cls, path: Path) -> RdfFormat:
        """Guess the format from a file name, or refuse with a clear message."""
        suffix = path.suffix.lower().lstrip(".")
        for fmt, exts in _EXTENSIONS.items():
            if suffix in exts:
                return fmt
        known = ", ".join("." + e for exts in _EXTENSIONS.values() for e in exts)
        raise BadInputError(
            f"cannot tell the RDF format from the extension '.{suffix}' (known: {known})",
            path=path,
        )


_EXTENSIONS: dict[RdfFormat, tuple[str, ...]] = {
    RdfFormat.TURTLE: ("ttl", "turtle"),
    RdfFormat.NTRIPLES: ("nt", "ntriples"),
    RdfFormat.JSONLD: ("jsonld", "json"),
    RdfFormat.TRIG: ("trig",),
    RdfFormat.RDFXML: ("rdf", "owl", "xml"),
    RdfFormat.NQUADS: ("nq", "nquads"),
}

_RDFLIB: dict[RdfFormat, str] = {
    RdfFormat.TURTLE: "turtle",
    RdfFormat.NTRIPLES: "nt",
    RdfFormat.JSONLD: "json-ld",
    RdfFormat.TRIG: "trig",
    RdfFormat.RDFXML: "xml",
    RdfFormat.NQUADS: "nquads",
}

_OXIGRAPH: dict[RdfFormat, ox.RdfFormat] = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.JSONLD: ox.RdfFormat.JSON_LD,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.RDFXML: ox.RdfFormat.RDF_XML,
    RdfFormat.NQUADS: ox.RdfFormat.N_QUADS,
}
