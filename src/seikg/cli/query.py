"""Commands over the SPARQL catalogue: queries and query."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from seikg.cli.app import cli
from seikg.cli.common import DATA_OPTION, STORE_OPTION, WITH_OPTION, run, timeout_option, write
from seikg.errors import BadInputError

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph
    from seikg.sparql.results import QueryResult, ResultFormat

DEFAULT_TIMEOUT = 30.0


@cli.command(name="queries")
def list_queries() -> None:
    """List the SPARQL catalogue: name, title and parameters of each query."""
    import io

    from rich.console import Console
    from rich.table import Table

    from seikg.sparql.catalog import catalog
    from seikg.terminal import cell

    table = Table(header_style="bold")
    for column in ("name", "title", "parameters"):
        table.add_column(column, overflow="fold")
    for query in catalog():
        table.add_row(
            cell(query.name), cell(query.title), cell(" ".join(p.describe() for p in query.params))
        )
    console = Console(record=True, width=160, file=io.StringIO(), force_terminal=False)
    console.print(table)
    click.echo(console.export_text(), nl=False)


@cli.command()
@click.argument("query")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set a query parameter declared in its header (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld"]),
    default=None,
    help="Result format. SELECT/ASK: table (default on a terminal, else csv), csv, tsv, "
    "json, xml. CONSTRUCT/DESCRIBE: turtle (default), nt, jsonld.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write here (atomically) instead of stdout.",
)
@timeout_option(DEFAULT_TIMEOUT, "the query")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Return at most this many rows (default: --max-rows); a notice says when rows were cut.",
)
@DATA_OPTION
@WITH_OPTION
@STORE_OPTION
def query(
    query: str, params: tuple[str, ...], fmt: str | None, output: Path | None, timeout: float,
    limit: int | None, data_files: tuple[Path, ...], reference: tuple[str, ...], store: str,
) -> None:  # fmt: skip
    """Run QUERY, a catalogue name or a .rq file, over ontology and facts.

    SERVICE, FROM / FROM NAMED and updates are refused (exit code 3).
    """
    from seikg.guard import LIMITS
    from seikg.sparql.catalog import find_query
    from seikg.sparql.results import ResultFormat, SelectResult
    from seikg.stores import StoreSpec

    entry = find_query(query)
    given = _parameters(params)
    chosen = ResultFormat(fmt) if fmt else None
    limit = limit or LIMITS.get().max_rows
    to_terminal = sys.stdout.isatty() or output is not None

    def answer(kg: KnowledgeGraph) -> tuple[str, bool]:
        bindings = entry.bindings(given, kg=kg)  # labels are looked up in the store queried
        result = kg.query(entry.text, bindings=bindings, source=str(entry.path), limit=limit)
        target = _format_for(result, chosen, to_terminal=to_terminal)
        truncated = isinstance(result, SelectResult) and result.truncated
        return result.serialize(target), truncated

    if StoreSpec.parse(store).reads_files:
        reference = tuple(dict.fromkeys((*reference, *entry.reads)))
    text, truncated = run(
        answer,
        store=store,
        data=data_files,
        reference=reference,
        timeout=timeout,
        what=f"query {entry.name}",
    )
    write(text, output)
    if truncated:
        click.echo(f"sei-kg: notice: results truncated to {limit} rows (--limit)", err=True)


def _parameters(params: tuple[str, ...]) -> dict[str, str]:
    given: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInputError(f"--param needs NAME=VALUE, got {item!r}")
        given[name.strip().lstrip("?$")] = value
    return given


def _format_for(
    result: QueryResult, chosen: ResultFormat | None, *, to_terminal: bool
) -> ResultFormat:
    """The format a result is written in: the one asked for, if it fits the query's form."""
    from seikg.sparql.results import GraphResult, ResultFormat

    is_graph = isinstance(result, GraphResult)
    target = chosen
    if target is None:
        if is_graph:
            return ResultFormat.TURTLE
        return ResultFormat.TABLE if to_terminal else ResultFormat.CSV
    if is_graph != target.for_graphs and target is not ResultFormat.TABLE:
        kind = "CONSTRUCT/DESCRIBE" if is_graph else "SELECT/ASK"
        raise BadInputError(f"a {kind} result cannot be written as {target.value}")
    return target
