"""Typed query results and the W3C SPARQL 1.1 result formats.

A SELECT gives a :class:`SelectResult` (rows with named fields), an ASK an
:class:`AskResult`, a CONSTRUCT or DESCRIBE a :class:`GraphResult`.  Each
writes itself in the formats the W3C defines: SPARQL 1.1 Query Results
JSON, XML, CSV and TSV.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rdflib import Graph, Literal
from rdflib.term import Node

from seikg.formats import RdfFormat
from seikg.rdf.export import serialize


class ResultFormat(StrEnum):
    """Output formats of query results."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"
    TURTLE = "turtle"
    NTRIPLES = "nt"
    JSONLD = "jsonld"

    @property
    def for_graphs(self) -> bool:
        """Whether the format is for CONSTRUCT and DESCRIBE results."""
        return self in (ResultFormat.TURTLE, ResultFormat.NTRIPLES, ResultFormat.JSONLD)


class Row(Mapping[str, Node | None]):
    """One solution of a SELECT: read a value by name, attribute or position.

    >>> r = Row(("a", "b"), (Literal("x"), None))
    >>> r["a"], r.b, r[0]
    (rdflib.term.Literal('x'), None, rdflib.term.Literal('x'))
    """

    __slots__ = ("_names", "_values")

    def __init__(self, names: Sequence[str], values: Sequence[Node | None]) -> None:
        self._names = tuple(names)
        self._values = tuple(values)

    def __getitem__(self, key: str | int) -> Node | None:
        if isinstance(key, int):
            return self._values[key]
        try:
            return self._values[self._names.index(key)]
        except ValueError:
            raise KeyError(key) from None

    def __getattr__(self, name: str) -> Node | None:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        pairs = ", ".join(f"{n}={v!r}" for n, v in zip(self._names, self._values, strict=True))
        return f"Row({pairs})"

    def python(self) -> dict[str, Any]:
        """Return the row as a dict of plain Python values (numbers, strings, IRIs as str)."""
        return {n: _to_python(v) for n, v in zip(self._names, self._values, strict=True)}


def _to_python(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return str(term)


@dataclass(frozen=True)
class SelectResult:
    """The solutions of a SELECT query."""

    variables: tuple[str, ...]
    rows: tuple[Row, ...]
    truncated: bool = False

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def with_columns(self, variables: tuple[str, ...]) -> SelectResult:
        """The same solutions, with the columns in the order of ``variables`` (the same names).

        >>> r = SelectResult(("a", "b"), (Row(("a", "b"), (Literal(1), None)),))
        >>> r.with_columns(("b", "a")).rows[0]
        Row(b=None, a=rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')))
        """
        if variables == self.variables:
            return self
        rows = tuple(Row(variables, tuple(row[name] for name in variables)) for row in self.rows)
        return SelectResult(variables, rows, self.truncated)

    @classmethod
    def collect(
        cls, variables: tuple[str, ...], solutions: Iterable[tuple[Any, ...]], limit: int | None
    ) -> SelectResult:
        """Keep at most ``limit`` solutions (each a tuple of values), saying whether some were cut.

        Decimals and integers get their canonical lexical form
        (:func:`seikg.rdf.terms.canonical_literal`), whatever engine computed them.

        >>> SelectResult.collect(("x",), [(1,), (2,), (3,)], 2).truncated
        True
        >>> from rdflib.namespace import XSD
        >>> one = Literal("1.00", datatype=XSD.decimal)
        >>> str(SelectResult.collect(("x",), [(one,)], None).rows[0].x)
        '1.0'
        """
        from seikg.rdf.terms import canonical_literal

        rows: list[Row] = []
        for values in solutions:
            if limit is not None and len(rows) >= limit:
                return cls(variables, tuple(rows), True)
            rows.append(Row(variables, tuple(canonical_literal(v) for v in values)))
        return cls(variables, tuple(rows), False)

    def to_pandas(self) -> Any:
        """Return the rows as a ``pandas.DataFrame`` of plain Python values.

        Needs the optional ``pandas`` extra (``pip install sei-kg[pandas]``).
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas() needs pandas: pip install 'sei-kg[pandas]'") from exc
        return pd.DataFrame([row.python() for row in self.rows], columns=list(self.variables))

    def serialize(self, fmt: ResultFormat) -> str:
        """Write the solutions in a W3C SPARQL 1.1 results format (or a text table)."""
        from seikg.sparql import writers

        if fmt is ResultFormat.CSV:
            return writers.select_csv(self.variables, self.rows)
        if fmt is ResultFormat.TSV:
            return writers.select_tsv(self.variables, self.rows)
        if fmt is ResultFormat.JSON:
            return writers.select_json(self.variables, self.rows)
        if fmt is ResultFormat.XML:
            return writers.select_xml(self.variables, self.rows)
        if fmt is ResultFormat.TABLE:
            return writers.render_table(self.variables, self.rows, truncated=self.truncated)
        raise ValueError(f"a SELECT result cannot be written as {fmt.value}")


@dataclass(frozen=True)
class AskResult:
    """The answer of an ASK query."""

    value: bool

    def __bool__(self) -> bool:
        return self.value

    def serialize(self, fmt: ResultFormat) -> str:
        """Write the answer in a W3C SPARQL 1.1 results format (or as text)."""
        word = "true" if self.value else "false"
        if fmt is ResultFormat.JSON:
            return json.dumps({"head": {}, "boolean": self.value}, indent=2) + "\n"
        if fmt is ResultFormat.XML:
            return (
                '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
                f"  <head/>\n  <boolean>{word}</boolean>\n</sparql>\n"
            )
        if fmt in (ResultFormat.CSV, ResultFormat.TSV):
            return f"{word}\n"
        if fmt is ResultFormat.TABLE:
            return f"{word}\n"
        raise ValueError(f"an ASK result cannot be written as {fmt.value}")


@dataclass(frozen=True)
class GraphResult:
    """The graph a CONSTRUCT or DESCRIBE query builds."""

    graph: Graph = field(repr=False)

    def __len__(self) -> int:
        return len(self.graph)

    def serialize(self, fmt: ResultFormat) -> str:
        """Write the graph deterministically as Turtle, N-Triples or JSON-LD."""
        target = {
            ResultFormat.TURTLE: RdfFormat.TURTLE,
            ResultFormat.TABLE: RdfFormat.TURTLE,
            ResultFormat.NTRIPLES: RdfFormat.NTRIPLES,
            ResultFormat.JSONLD: RdfFormat.JSONLD,
        }.get(fmt)
        if target is None:
            raise ValueError(f"a graph result cannot be written as {fmt.value}")
        return serialize(self.graph, target).decode("utf-8")


QueryResult = SelectResult | AskResult | GraphResult
