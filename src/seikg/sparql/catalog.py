"""The SPARQL catalogue: one query per ``queries/*.rq`` file, with a header.

A header is a block of comment lines at the top of the file, so the file
stays valid SPARQL::

    #+ title: Share of strategic emerging industries, year by year
    #+ description: The share and its change, for one city.
    #+ param: city iri-or-label Qingdao

Each ``param`` names a variable of the query, its type and its default.
Values are bound to the variable (``initBindings``), never pasted into the
query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from seikg import resources
from seikg.errors import BadInputError

PARAM_TYPES = ("iri", "iri-or-label", "string", "decimal", "integer", "year", "lang")
_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*?)\s*$")
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


@dataclass(frozen=True)
class Param:
    """A declared query parameter: the variable it binds, its type and default."""

    name: str
    type: str
    default: str | None

    def describe(self) -> str:
        """Render as ``name:type=default`` for listings."""
        return f"{self.name}:{self.type}" + (f"={self.default}" if self.default else "")


@dataclass(frozen=True)
class CatalogQuery:
    """A query of the catalogue (or any ``.rq`` file), with its header."""

    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    reads: tuple[str, ...] = ()
    """Reference parts of graph/reference/ the query is about (``#+ reads: divisions``): read
    along with the graph on the memory store."""

    @classmethod
    def from_file(cls, path: Path) -> CatalogQuery:
        """Read a ``.rq`` file (or standard input, ``-``) and its ``#+`` header.

        The file goes through the one reader: a regular file or standard input,
        at most the input limit, UTF-8 (a byte-order mark is taken off).

        >>> q = CatalogQuery.from_file(resources.data_dir("queries") / "categories.rq")
        >>> q.name, bool(q.title)
        ('categories', True)
        """
        from seikg.guard.reader import display_name, is_stdin, read_limited

        if is_stdin(path):
            path = Path("<stdin>")
            data = read_limited("-")
        else:
            path = Path(path)
            try:
                data = read_limited(path)
            except BadInputError as exc:
                if exc.reason == "no such file":
                    raise BadInputError("no such query file", path=path) from None
                raise
        text = _decode(data, display_name(path))
        title, description, params, reads = path.stem, "", [], []
        for number, line in enumerate(text.splitlines(), start=1):
            match = _HEADER.match(line.strip())
            if not match:
                continue
            key, value = match.group(1).lower(), match.group(2)
            if key == "title":
                title = value
            elif key == "description":
                description = (description + " " + value).strip()
            elif key == "param":
                params.append(_parse_param(value, path=path, line=number))
            elif key == "reads":
                known = resources.reference_files()
                for name in value.split():
                    if name not in known:
                        raise BadInputError(
                            f"reads: no reference part {name!r} (known: {', '.join(known)})",
                            path=path, line=number,
                        )  # fmt: skip
                    reads.append(name)
        return cls(path.stem, path, title, description, tuple(params), text, tuple(reads))

    def bindings(self, given: dict[str, str], *, kg: object) -> dict[str, Node]:
        """Turn parameter values (given, else defaults) into typed RDF terms.

        Unknown parameter names are refused; ``iri-or-label`` values are
        looked up by label in the graph.
        """
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            names = ", ".join(known) or "none"
            raise BadInputError(
                f"unknown parameter {', '.join(unknown)} (this query takes: {names})",
                path=self.path,
            )
        out: dict[str, Node] = {}
        for param in self.params:
            raw = given.get(param.name, param.default)
            if raw is None or raw == "":
                continue
            out[param.name] = to_term(raw, param, kg=kg, source=self.path)
        return out


def _decode(data: bytes, name: str) -> str:
    """A query text from its bytes: UTF-8, a byte-order mark taken off; bad bytes named."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BadInputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            path=name,
            line=line,
            column=column,
        ) from None


def _parse_param(spec: str, *, path: Path, line: int) -> Param:
    parts = spec.split()
    if len(parts) < 2:
        raise BadInputError("a param line needs a name and a type", path=path, line=line)
    name, kind = parts[0].lstrip("?$"), parts[1]
    if kind not in PARAM_TYPES:
        raise BadInputError(
            f"unknown parameter type {kind!r} (known: {', '.join(PARAM_TYPES)})",
            path=path,
            line=line,
        )
    rest = parts[2:]
    if rest and rest[0] == "default":
        rest = rest[1:]
    return Param(name, kind, " ".join(rest) if rest else None)


def to_term(raw: str, param: Param, *, kg: object, source: Path | str) -> Node:
    """Convert one parameter value to an RDF term of the declared type.

    >>> to_term("2019", Param("year", "year", None), kg=None, source="q.rq")
    rdflib.term.Literal('2019', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))

    A place is named by a label in either language, an IRI, or its six-digit
    division code (GB/T 2260), which needs no label lookup (so it works for
    places that only a store holds):

    >>> to_term("910100", Param("city", "iri-or-label", None), kg=None, source="q.rq")
    rdflib.term.URIRef('https://w3id.org/sei-kg/place/910100')
    """
    kind = param.type
    if kind == "iri":
        return _strict_iri(raw, param, source)
    if kind == "iri-or-label":
        if re.match(r"^(https?|urn|file|ftp):", raw, re.IGNORECASE):
            return _strict_iri(raw, param, source)
        if re.fullmatch(r"[0-9]{6}", raw.strip()):  # a GB/T 2260 division code names a place
            from seikg.namespaces import PLACE

            return URIRef(PLACE[raw.strip()])
        return resolve_label(raw, kg=kg, param=param, source=source)
    if kind == "year":
        if not re.fullmatch(r"-?[0-9]{4}", raw):
            raise BadInputError(
                f"parameter {param.name}: {raw!r} is not a year like 2019", path=source
            )
        return Literal(raw, datatype=XSD.gYear)
    if kind in ("decimal", "integer"):
        return _number(raw, param, source)
    if kind == "lang":
        if not re.fullmatch(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*", raw):
            raise BadInputError(
                f"parameter {param.name}: {raw!r} is not a language tag", path=source
            )
        return Literal(raw.lower())
    return Literal(raw)


# Parameters are figures, thresholds and counts: a thousand digits is more than enough.
MAX_PARAM_DIGITS = 1000

# What every store holds: Oxigraph keeps a decimal as 128 bits with 18 fractional digits
# and an integer as 64 bits, and takes a literal beyond that for an invalid one (so a
# filter on it is false: no rows), where rdflib computes with any precision.
STORE_FRACTION_DIGITS = 18
STORE_WHOLE_DIGITS = 20
STORE_INTEGERS = range(-(2**63), 2**63)


def _number(raw: str, param: Param, source: Path | str) -> Literal:
    """A decimal or integer parameter: a finite number of sensible size, canonical form.

    >>> _number("6.40", Param("t", "decimal", None), "q.rq")
    rdflib.term.Literal('6.4', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    >>> _number("NaN", Param("t", "decimal", None), "q.rq")
    Traceback (most recent call last):
    ...
    seikg.errors.BadInputError: q.rq: parameter t: 'NaN' is not a finite number
    """
    from seikg.rdf.terms import canonical_lexical

    try:
        number = Decimal(raw.strip())
    except InvalidOperation:
        raise BadInputError(
            f"parameter {param.name}: {raw!r} is not a number", path=source
        ) from None
    if not number.is_finite():
        raise BadInputError(f"parameter {param.name}: {raw!r} is not a finite number", path=source)
    if "_" in raw or not raw.strip().isascii():
        raise BadInputError(f"parameter {param.name}: {raw!r} is not a number", path=source)
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    if (number and abs(number.adjusted()) > MAX_PARAM_DIGITS) or -exponent > MAX_PARAM_DIGITS:
        raise BadInputError(
            f"parameter {param.name}: {raw!r} has more than {MAX_PARAM_DIGITS} digits",
            path=source,
        )
    if param.type == "integer":
        if number != number.to_integral_value():
            raise BadInputError(
                f"parameter {param.name}: {raw!r} is not a whole number", path=source
            )
        if int(number) not in STORE_INTEGERS:
            raise BadInputError(
                f"parameter {param.name}: {raw!r} is beyond the 64-bit integers every store "
                "holds (Oxigraph's), so the answer would depend on the store",
                path=source,
            )
        return Literal(str(int(number)), datatype=XSD.integer)
    _check_store_decimal(number, raw, param, source)
    return Literal(canonical_lexical(f"{number:f}", str(XSD.decimal)), datatype=XSD.decimal)


def _check_store_decimal(number: Decimal, raw: str, param: Param, source: Path | str) -> None:
    """Refuse a decimal that not every store can hold (see :data:`STORE_FRACTION_DIGITS`).

    >>> t = Param("t", "decimal", None)
    >>> _check_store_decimal(Decimal("1e-19"), "1e-19", t, "q.rq")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.BadInputError: q.rq: parameter t: '1e-19' has more than 18 digits after ...
    """
    exponent = number.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > STORE_FRACTION_DIGITS:
        raise BadInputError(
            f"parameter {param.name}: {raw!r} has more than {STORE_FRACTION_DIGITS} digits "
            f"after the decimal point, more than every store keeps (Oxigraph keeps "
            f"{STORE_FRACTION_DIGITS}), so the answer would depend on the store",
            path=source,
        )
    if abs(number) >= Decimal(10) ** STORE_WHOLE_DIGITS:
        raise BadInputError(
            f"parameter {param.name}: {raw!r} has more than {STORE_WHOLE_DIGITS} digits before "
            "the decimal point, more than every store keeps (Oxigraph's decimals), so the "
            "answer would depend on the store",
            path=source,
        )


def _strict_iri(raw: str, param: Param, source: Path | str) -> URIRef:
    import pyoxigraph as ox

    try:
        ox.NamedNode(raw)
    except ValueError:
        raise BadInputError(
            f"parameter {param.name}: {raw!r} is not a valid IRI", path=source
        ) from None
    if not _IRI.match(raw):
        raise BadInputError(f"parameter {param.name}: {raw!r} is not a valid IRI", path=source)
    return URIRef(raw)


def resolve_label(raw: str, *, kg: object, param: Param, source: Path | str) -> URIRef:
    """Find the resource whose label (any language) is ``raw``, case-insensitively.

    The match is exact on the whole label; a place like "Qingdao" also matches
    its Chinese name "青岛市", the short form "青岛" and its division code.  The
    labels are looked up in the store the query runs on (``kg.find_labelled``).
    """
    found = kg.find_labelled(raw)  # type: ignore[attr-defined]
    if not found:
        raise BadInputError(
            f"parameter {param.name}: nothing in the graph is labelled {raw!r}", path=source
        )
    if len(found) > 1:
        names = ", ".join(sorted(str(f) for f in found))
        raise BadInputError(
            f"parameter {param.name}: {raw!r} names several resources ({names}); give an IRI",
            path=source,
        )
    return URIRef(found[0])


def catalog() -> list[CatalogQuery]:
    """Return every query of the shipped catalogue, sorted by name."""
    return [CatalogQuery.from_file(p) for p in resources.query_files()]


def find_query(name_or_path: str) -> CatalogQuery:
    """Return the catalogue query called ``name_or_path``, or read it as a file
    (``-``: standard input)."""
    import os

    path = Path(name_or_path)
    if name_or_path == "-" or path.suffix == ".rq" or os.path.lexists(path):
        return CatalogQuery.from_file(path)
    for query in catalog():
        if query.name == name_or_path:
            return query
    names = ", ".join(q.name for q in catalog())
    raise BadInputError(f"no query called {name_or_path!r} in the catalogue (known: {names})")
