"""Typed query results and the W3C SPARQL 1.1 result formats.

A SELECT gives a :class:`SelectResult` (rows with named fields), an ASK an
:class:`AskResult`, a CONSTRUCT or DESCRIBE a :class:`GraphResult`.  Each
writes itself in the formats the W3C defines: SPARQL 1.1 Query Results
JSON, XML, CSV and TSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from seikg.export import serialize
from seikg.formats import RdfFormat


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

    @classmethod
    def collect(
        cls, variables: tuple[str, ...], solutions: Iterable[tuple[Any, ...]], limit: int | None
    ) -> SelectResult:
        """Keep at most ``limit`` solutions (each a tuple of values), saying whether some were cut.

        >>> SelectResult.collect(("x",), [(1,), (2,), (3,)], 2).truncated
        True
        """
        rows: list[Row] = []
        for values in solutions:
            if limit is not None and len(rows) >= limit:
                return cls(variables, tuple(rows), True)
            rows.append(Row(variables, tuple(values)))
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
        if fmt is ResultFormat.CSV:
            return _select_csv(self)
        if fmt is ResultFormat.TSV:
            return _select_tsv(self)
        if fmt is ResultFormat.JSON:
            return _select_json(self)
        if fmt is ResultFormat.XML:
            return _select_xml(self)
        if fmt is ResultFormat.TABLE:
            return render_table(self)
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


# ---------------------------------------------------------------------------
# W3C formats


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _select_csv(result: SelectResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(row[v]) for v in result.variables])
    return buffer.getvalue()


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


def _tsv_value(term: Node | None) -> str:
    """Encode a term for TSV: Turtle/N-Triples syntax, one line, tabs escaped."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    assert isinstance(term, Literal)
    quoted = f'"{_escape(str(term))}"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype is not None:
        return f"{quoted}^^<{term.datatype}>"
    return quoted


def _select_tsv(result: SelectResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_value(row[v]) for v in result.variables) for row in result.rows]
    return "\n".join(lines) + "\n"


def term_json(term: Node) -> dict[str, str]:
    """Encode one RDF term as in the SPARQL 1.1 Query Results JSON format.

    >>> term_json(Literal("青岛", lang="zh"))
    {'type': 'literal', 'value': '青岛', 'xml:lang': 'zh'}
    """
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def _select_json(result: SelectResult) -> str:
    bindings = [
        {v: term_json(row[v]) for v in result.variables if row[v] is not None}  # type: ignore[arg-type]
        for row in result.rows
    ]
    doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None:
        attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def _select_xml(result: SelectResult) -> str:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    out.append("  <head>")
    out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("  </head>")
    out.append("  <results>")
    for row in result.rows:
        out.append("    <result>")
        for v in result.variables:
            term = row[v]
            if term is not None:
                out.append(f"      <binding name={quoteattr(v)}>{_xml_term(term)}</binding>")
        out.append("    </result>")
    out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


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
        from seikg.namespaces import PREFIXES

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


def _cell(term: Node | None) -> str:
    """A table cell: like :func:`short_text`, without language tags (columns say the language)."""
    if isinstance(term, Literal):
        return str(term)
    return short_text(term)


def render_table(result: SelectResult) -> str:
    """Render a SELECT result as a text table (rich), for a terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for variable in result.variables:
        table.add_column(variable, overflow="fold")
    for row in result.rows:
        table.add_row(*(_cell(row[v]) for v in result.variables))
    console = Console(record=True, width=200, file=io.StringIO(), force_terminal=False)
    console.print(table)
    footer = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    if result.truncated:
        footer += " (truncated)"
    return console.export_text() + footer + "\n"
