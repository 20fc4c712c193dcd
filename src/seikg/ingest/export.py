"""The other way: the figures of a graph written in the template, and empty templates.

:func:`export_template` writes every reported figure, comparison claim and
source document of a knowledge graph as the rows of the three templates, so
that a spreadsheet round-trips: exported, edited and ingested again, the same
figures give the same observations.  Derived figures are not exported: they
are no stated figure, have no source row, and are recomputed from their
inputs by the rules wherever they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from seikg.errors import BadInputError
from seikg.ingest.numbers import decimal_lexical
from seikg.ingest.schema import TEMPLATE_NAMES, metadata_path, template
from seikg.ingest.vocab import local_name
from seikg.namespaces import QB, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, SEI

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph

Rows = list[dict[str, str]]
FORMATS = ("csv", "xlsx")


def export_template(kg: KnowledgeGraph, fmt: str = "csv") -> dict[str, bytes]:
    """The graph's reported figures, claims and sources in the template: file name → bytes.

    Figures the template cannot carry yet (shares linked to their count and total, figures
    whose place in the source is not recorded: the national census figures) are left out,
    with a warning that says how many.

    ``csv`` gives ``figures.csv``, ``sources.csv`` and ``claims.csv`` (UTF-8,
    with their CSVW metadata files); ``xlsx`` one workbook with a sheet each.

    >>> from seikg.kg import KnowledgeGraph
    >>> files = export_template(KnowledgeGraph.load())
    >>> sorted(files)[:3]
    ['claims.csv', 'claims.csv-metadata.json', 'figures.csv']
    >>> files["figures.csv"].decode().splitlines()[1].split(",")[:6]
    ['F1', '370200', '2019', '', 'IND01', 'SEI']
    """
    figures = _figures(kg)
    cited = {row["source"] for row in figures}
    tables = {
        "figures": figures,
        "sources": [row for row in _sources(kg) if row["id"] in cited],
        "claims": _claims(kg),
    }
    return render_tables(tables, fmt)


def render_tables(tables: Mapping[str, Rows], fmt: str = "csv") -> dict[str, bytes]:
    """Write the rows of each template as CSV files (with metadata) or one workbook."""
    if fmt == "csv":
        out: dict[str, bytes] = {}
        for name in TEMPLATE_NAMES:
            out[f"{name}.csv"] = _csv(name, tables.get(name, []))
            out[f"{name}.csv-metadata.json"] = metadata_path(name).read_bytes()
        return out
    if fmt == "xlsx":
        return {"sei-kg-figures.xlsx": _xlsx(tables)}
    raise BadInputError(f"unknown template format {fmt!r}; expected one of {', '.join(FORMATS)}")


def write_templates(folder: Path) -> list[Path]:
    """Write empty templates into ``folder``: CSV files with their CSVW metadata, and a workbook."""
    from seikg.rdf.write import atomic_write

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in FORMATS:
        for name, data in render_tables({}, fmt).items():
            target = folder / (name if fmt == "csv" else "template.xlsx")
            atomic_write(target, data)
            written.append(target)
    return written


def _csv(name: str, rows: Rows) -> bytes:
    columns = template(name).columns
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([row.get(c.name, "") for c in columns])
    return buffer.getvalue().encode("utf-8")


def _xlsx(tables: Mapping[str, Rows]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name in TEMPLATE_NAMES:
        sheet = book.create_sheet(name)
        columns = template(name).columns
        sheet.append([c.name for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in tables.get(name, []):
            sheet.append([row.get(c.name, "") for c in columns])
            for cell in sheet[sheet.max_row]:
                cell.number_format = "@"  # text: the digits stay as stated
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
                12, len(column.name) + 2
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same workbook gives the same bytes: fixed timestamps in the zip and its properties."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2020-01-01T00:00:00Z", content
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


# ---------------------------------------------------------------------------
# Reading the graph


def _text(graph: Graph, node: Node | None, predicate: URIRef, lang: str | None = None) -> str:
    for value in graph.objects(node, predicate):
        if lang is None or (isinstance(value, Literal) and value.language == lang):
            return str(value)
    return ""


def _code(graph: Graph, node: Node | None) -> str:
    notation = graph.value(node, SKOS.notation)
    return str(notation) if notation is not None else str(node)


def _area(graph: Graph, place: Node | None) -> str:
    code = graph.value(place, SEI.divisionCode)
    return str(code) if code is not None else str(place)


def _plain(literal: Node | None) -> str:
    text = str(literal)
    if (
        isinstance(literal, Literal)
        and literal.datatype is not None
        and str(literal.datatype).endswith("#decimal")
    ):
        from decimal import Decimal

        text = decimal_lexical(Decimal(text))
        text = text[:-2] if text.endswith(".0") else text
    return text


def _unit(graph: Graph, unit: Node | None) -> str:
    import re

    label = _text(graph, unit, RDFS.label, "en")
    return re.split(r"\s*\(", label, maxsplit=1)[0] if label else str(unit)


def _locators(graph: Graph, node: Node | None, row: dict[str, str]) -> None:
    for column, prop in (
        ("paragraph", SEI.sourceParagraph),
        ("page", SEI.sourcePage),
        ("table", SEI.sourceTable),
    ):
        values = sorted(str(v) for v in graph.objects(node, prop))
        if values:
            row[column] = values[0]


def _texts(graph: Graph, node: Node | None, row: dict[str, str]) -> None:
    row["id"] = _text(graph, node, DCTERMS.identifier)
    row["label_en"] = _text(graph, node, RDFS.label, "en")
    row["label_zh"] = _text(graph, node, RDFS.label, "zh")
    row["note"] = _text(graph, node, RDFS.comment)


def _source_ids(graph: Graph) -> dict[Node, str]:
    """Document → the id of the data set named after it (the smallest, if several)."""
    ids: dict[Node, str] = {}
    for dataset in graph.subjects(RDF.type, QB.DataSet):
        for document in graph.objects(dataset, PROV.wasDerivedFrom):
            name = local_name(str(dataset))
            if document not in ids or name < ids[document]:
                ids[document] = name
    return ids


# What the template has no column for yet: such figures are left out of it, and said so.
_NOT_IN_TEMPLATE = (
    (SEI.shareCount, "a share linked to its count and total"),
    (SEI.sourceLocationNotRecorded, "a figure whose place in its source is not recorded"),
)


def _figures(kg: KnowledgeGraph) -> Rows:
    import warnings

    data, graph = kg.data, kg.graph
    rows: Rows = []
    left_out: dict[str, int] = {}
    for obs in data.subjects(RDF.type, QB.Observation):
        if (obs, RDF.type, SEI.DerivedObservation) in data:
            continue
        reason = next((why for prop, why in _NOT_IN_TEMPLATE if (obs, prop, None) in data), None)
        if reason is not None:
            left_out[reason] = left_out.get(reason, 0) + 1
            continue
        row: dict[str, str] = {}
        _texts(data, obs, row)
        row["area"] = _area(graph, data.value(obs, SDMX_DIMENSION.refArea))
        row["year"] = _text(data, obs, SDMX_DIMENSION.refPeriod)
        row["reference_time"] = _text(data, obs, SEI.referenceTime)
        row["indicator"] = _code(graph, data.value(obs, SEI.indicator))
        row["scope"] = _code(graph, data.value(obs, SEI.scope))
        row["value"] = _plain(data.value(obs, SDMX_MEASURE.obsValue))
        row["unit"] = _unit(graph, data.value(obs, SDMX_ATTRIBUTE.unitMeasure))
        row["precision"] = _plain(data.value(obs, SEI.statedPrecision))
        bound = data.value(obs, SEI.bound)
        side = _text(graph, bound, SKOS.prefLabel, "en").split(" (")[0] if bound is not None else ""
        row["bound"] = "less than" if side == "below" else side
        base = data.value(obs, SEI.shareBase)
        row["share_base"] = _code(graph, base) if base is not None else ""
        dataset = data.value(obs, QB.dataSet)
        row["source"] = local_name(str(dataset)) if dataset is not None else ""
        _locators(data, obs, row)
        rows.append(row)
    for reason, count in sorted(left_out.items()):
        warnings.warn(
            f"{count} figure{'s' if count != 1 else ''} left out of the template, which has no "
            f"column yet for {reason} (the national census figures)",
            stacklevel=2,
        )
    return sorted(
        rows,
        key=lambda r: (
            r["source"],
            _id_key(r["id"]),
            r["area"],
            r["year"],
            r["indicator"],
            r["scope"],
        ),
    )


def _id_key(identifier: str) -> tuple[str, int, str]:
    import re

    match = re.fullmatch(r"([^0-9]*)([0-9]+)(.*)", identifier)
    return (match.group(1), int(match.group(2)), match.group(3)) if match else (identifier, 0, "")


def _sources(kg: KnowledgeGraph) -> Rows:
    data, graph = kg.data, kg.graph
    ids = _source_ids(data)
    rows: Rows = []
    for document, sid in ids.items():
        if (document, DCTERMS.title, None) not in graph:
            continue
        publisher = graph.value(document, DCTERMS.publisher)
        stats = graph.value(document, SEI.citesStatisticsFrom)
        page = graph.value(document, FOAF.page)
        date = next(
            (
                str(d)
                for p in (DCTERMS.date, DCTERMS.modified, DCTERMS.issued)
                for d in graph.objects(document, p)
            ),
            "",
        )
        rows.append(
            {
                "id": sid,
                "title": _text(graph, document, DCTERMS.title),
                "publisher": _text(graph, publisher, RDFS.label, "en")
                or _text(graph, publisher, RDFS.label)
                if publisher is not None
                else "",
                "date": date,
                "address": str(page)
                if page is not None
                else (
                    str(document)
                    if str(document).startswith("http")
                    and not str(document).startswith("https://w3id.org/sei-kg/")
                    else ""
                ),
                "kind": _text(graph, document, DCTERMS.type),
                "language": _text(graph, document, DCTERMS.language),
                "statistics_from": (
                    _text(graph, stats, RDFS.label, "en") or _text(graph, stats, RDFS.label)
                )
                if stats is not None
                else "",
                "note": _text(graph, document, RDFS.comment),
            }
        )
    return sorted(rows, key=lambda r: r["id"])


def _claims(kg: KnowledgeGraph) -> Rows:
    data, graph = kg.data, kg.graph
    ids = _source_ids(data)
    rows: Rows = []
    for claim in data.subjects(RDF.type, SEI.ComparisonClaim):
        document = data.value(claim, PROV.wasDerivedFrom)
        sid = ids.get(document, "") if document is not None else ""
        covers = []
        for obs in sorted(data.objects(claim, SEI.coversObservation), key=str):
            ident = data.value(obs, DCTERMS.identifier)
            dataset = data.value(obs, QB.dataSet)
            same_source = dataset is not None and local_name(str(dataset)) == sid
            covers.append(str(ident) if ident is not None and same_source else str(obs))
        row: dict[str, str] = {}
        _texts(data, claim, row)
        row.update(
            covers="; ".join(sorted(covers, key=_id_key)),
            comparator="higher than",
            compared_area=_area(graph, data.value(claim, SEI.comparedArea)),
            compared_year=_text(data, claim, SEI.comparedPeriod),
            compared_indicator=_code(graph, data.value(claim, SEI.comparedIndicator)),
            compared_scope=_code(graph, data.value(claim, SEI.comparedScope)),
            source=sid,
        )
        _locators(data, claim, row)
        rows.append(row)
    return sorted(rows, key=lambda r: (r["source"], _id_key(r["id"])))
