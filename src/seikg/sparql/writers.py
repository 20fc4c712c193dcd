"""The W3C SPARQL 1.1 result formats (JSON, XML, CSV, TSV) and a text table, written once.

Each writer takes the variables and the solutions (mappings from variable
names to terms, ``None`` where unbound).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from seikg.namespaces import short_text

if TYPE_CHECKING:
    from rich.text import Text


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def select_csv(variables: Sequence[str], rows: Sequence[Mapping[str, Node | None]]) -> str:
    """SPARQL 1.1 Query Results CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row[v]) for v in variables])
    return buffer.getvalue()


_CONTROL = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]")


def _escape(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", escaped)


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


def select_tsv(variables: Sequence[str], rows: Sequence[Mapping[str, Node | None]]) -> str:
    """SPARQL 1.1 Query Results TSV."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_value(row[v]) for v in variables) for row in rows]
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


def select_json(variables: Sequence[str], rows: Sequence[Mapping[str, Node | None]]) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [
        {v: term_json(row[v]) for v in variables if row[v] is not None}  # type: ignore[arg-type]
        for row in rows
    ]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _xml_text(term: Node) -> str:
    """A term's text for XML 1.0: escaped, a carriage return as ``&#13;``; a character XML
    cannot carry is refused, naming the value."""
    from seikg.errors import BadInputError
    from seikg.rdf.export import xml_problem

    text = str(term)
    problem = xml_problem(text)
    if problem is not None:
        shown = text.encode("unicode_escape").decode("ascii")[:60]
        raise BadInputError(
            f'cannot write XML results: the value "{shown}" holds the control character '
            f"{problem}, which XML 1.0 cannot carry; use --format json, csv or tsv"
        )
    return escape(text).replace("\r", "&#13;")


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_text(term)}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_text(term)}</bnode>"
    assert isinstance(term, Literal)
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None:
        attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{_xml_text(term)}</literal>"


def select_xml(variables: Sequence[str], rows: Sequence[Mapping[str, Node | None]]) -> str:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    out.append("  <head>")
    out += [f"    <variable name={quoteattr(v)}/>" for v in variables]
    out.append("  </head>")
    out.append("  <results>")
    for row in rows:
        out.append("    <result>")
        for v in variables:
            term = row[v]
            if term is not None:
                out.append(f"      <binding name={quoteattr(v)}>{_xml_term(term)}</binding>")
        out.append("    </result>")
    out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _cell(term: Node | None) -> Text:
    """A table cell: like :func:`short_text`, without language tags (columns say the language).

    The text is taken as it is, never as rich markup (a value ``[/x]`` or ``[bold]`` is
    shown, not interpreted), and control characters are shown as ``\\xNN`` escapes, so
    that a value cannot move the cursor, recolour or retitle the terminal.

    >>> _cell(Literal("[/x] \\x1b[31m")).plain
    '[/x] \\\\x1b[31m'
    """
    from seikg.terminal import cell

    return cell(str(term) if isinstance(term, Literal) else short_text(term))


def render_table(
    variables: Sequence[str], rows: Sequence[Mapping[str, Node | None]], *, truncated: bool = False
) -> str:
    """Render SELECT solutions as a text table (rich), for a terminal; values are text,
    never markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold")
    for variable in variables:
        table.add_column(Text(variable), overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row[v]) for v in variables))
    console = Console(record=True, width=200, file=io.StringIO(), force_terminal=False)
    console.print(table)
    footer = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    if truncated:
        footer += " (truncated)"
    return console.export_text() + footer + "\n"
