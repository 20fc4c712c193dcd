"""The ``sei-kg`` command: thin commands over the library.

Exit codes are the same for every command: 0 fine, 1 the data breaks a rule,
2 bad input, syntax or usage, 3 refused by policy, 4 a limit was hit,
5 an internal error, 6 a store could not be reached or refused a request.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from seikg.errors import BadInputError, ExitCode, SeiKgError

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph
    from seikg.stores import Store

DEFAULT_TIMEOUT = 30.0
VIEW_NAMES = ["overview", "categories", "city", "provenance", "full"]


def _write(text: str | bytes, output: Path | None) -> None:
    """Write to ``output`` atomically, or to stdout."""
    from seikg.rdf.write import atomic_write

    data = text.encode("utf-8") if isinstance(text, str) else text
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write(output, data)


@contextlib.contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int], None]]:
    """A transient progress bar on stderr (only on a terminal); yields ``advance(done, total)``."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(what, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _load(files: tuple[Path, ...] = (), shapes: tuple[Path, ...] = ()) -> KnowledgeGraph:
    from seikg.kg import KnowledgeGraph

    return KnowledgeGraph.load(list(files) if files else None, extra_shapes=list(shapes))


_STORE_OPTION = click.option(
    "--store",
    "store",
    default="memory",
    show_default=True,
    metavar="memory|oxigraph:PATH|sparql:URL",
    help="Where the graph lives: in memory (the shipped graph or --data files), an on-disk "
    "Oxigraph store filled by 'sei-kg load', or a SPARQL 1.1 query endpoint.",
)


def _store(store: str, files: tuple[Path, ...] = ()) -> Store | None:
    """The store named by --store, or None for the memory store (which alone takes --data)."""
    from seikg.stores import StoreSpec

    opened = StoreSpec.parse(store).open()
    if opened is not None and files:
        raise BadInputError(
            f"files to read need the memory store; load them into {store} with 'sei-kg load'"
        )
    return opened


def _load_any(store: str, files: tuple[Path, ...] = ()) -> KnowledgeGraph:
    """The knowledge graph from memory, or materialized from a store (small stores)."""
    opened = _store(store, files)
    return _load(files) if opened is None else opened.to_knowledge_graph()


_DATA_OPTION = click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Use these fact files instead of the shipped graph/ (repeatable).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback of internal errors.")
@click.option(
    "--max-input-mb",
    type=click.FloatRange(min=0.001),
    default=512,
    show_default=True,
    help="Refuse input files larger than this (exit code 4).",
)
@click.option(
    "--max-nesting",
    type=click.IntRange(min=1),
    default=64,
    show_default=True,
    help="Refuse input whose brackets or blank nodes nest deeper than this (exit code 4).",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="Cut query results after this many rows, with a notice on stderr.",
)
@click.version_option(package_name="sei-kg", prog_name="sei-kg")
def cli(debug: bool, max_input_mb: float, max_nesting: int, max_rows: int) -> None:
    """sei-kg: a knowledge graph of China's strategic emerging industries.

    Figures are W3C Data Cube observations with SKOS categories and
    indicators and PROV sources; SHACL shapes check that they agree.

    Exit codes: 0 fine, 1 the data breaks a rule, 2 bad input or usage,
    3 refused by policy, 4 a limit was hit, 5 internal error, 6 a store could
    not be reached or refused a request.

    Nothing is fetched from the network: federated queries, FROM, updates,
    remote JSON-LD contexts and owl:imports are refused or ignored, and the
    process denies itself sockets while it works, except towards a SPARQL
    endpoint named with --store sparql:URL.
    """
    from seikg.guard import LIMITS, Limits

    LIMITS.set(Limits(int(max_input_mb * 1024 * 1024), max_nesting, max_rows))


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "nt", "jsonld", "trig", "xml", "nquads"]),
    default="turtle",
    show_default=True,
    help="RDF format of the export.",
)
@click.option(
    "--part",
    type=click.Choice(["all", "ontology", "shapes", "data"]),
    default="all",
    show_default=True,
    help="Which part of the knowledge graph to export.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write here (atomically) instead of stdout.",
)
@_DATA_OPTION
@_STORE_OPTION
def export(
    fmt: str, part: str, output: Path | None, data_files: tuple[Path, ...], store: str
) -> None:
    """Export the knowledge graph as RDF, byte-identical on every run."""
    from seikg.formats import RdfFormat
    from seikg.kg import Part

    opened = _store(store, data_files)
    if opened is not None:
        if part != "all":
            raise BadInputError("--part needs the memory store; a store exports all it holds")
        _write(opened.export(RdfFormat(fmt)), output)
        return
    kg = _load(data_files)
    _write(kg.export(RdfFormat(fmt), part=Part(part)), output)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option(
    "--graph",
    "as_graph",
    is_flag=True,
    help="Network facts of a networkx view instead: nodes and edges by kind, degrees, components.",
)
@click.option(
    "--view",
    type=click.Choice(VIEW_NAMES),
    default="overview",
    show_default=True,
    help="The view --graph describes.",
)
@click.option("--city", help="The city of the city view (a name in either language, or an IRI).")
@_DATA_OPTION
@_STORE_OPTION
def stats(
    as_json: bool,
    as_graph: bool,
    view: str,
    city: str | None,
    data_files: tuple[Path, ...],
    store: str,
) -> None:
    """Show what the graph holds: triples, observations per place and year, categories."""
    import json

    kg = _load_any(store, data_files)
    if as_graph:
        from seikg.views.facts import graph_facts, render_facts
        from seikg.views.projection import to_networkx

        facts = graph_facts(to_networkx(kg, view=view, city=city))
        click.echo(
            json.dumps(facts, ensure_ascii=False, indent=2) if as_json else render_facts(facts)
        )
        return
    result = kg.stats()
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.render(), nl=False)


@cli.command()
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The file to write; its extension chooses the format: .png .svg .pdf (pictures), "
    ".graphml .gexf (Gephi, Cytoscape), .json (node-link), .html (interactive page).",
)
@click.option(
    "--view",
    type=click.Choice(VIEW_NAMES),
    default="overview",
    show_default=True,
    help="overview: places, figures, indicators, scopes, categories, sources; categories: the "
    "schemes as trees; city: everything about --city; provenance: each figure and where it "
    "comes from; full: every resource of the data.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the labels.",
)
@click.option("--city", help="The city of the city view (a name in either language, or an IRI).")
@_DATA_OPTION
@_STORE_OPTION
def viz(
    output: Path, view: str, lang: str, city: str | None, data_files: tuple[Path, ...], store: str
) -> None:
    """Draw the graph or write it for network tools; the format comes from -o's extension."""
    from seikg.views.write import viz_format, write_view

    viz_format(output)
    if view == "city" and not city:
        raise BadInputError("the city view needs --city (for example --city Qingdao)")
    for note in write_view(_load_any(store, data_files), output, view=view, lang=lang, city=city):
        click.echo(f"sei-kg: warning: {note}", err=True)


@cli.command(name="queries")
def list_queries() -> None:
    """List the SPARQL catalogue: name, title and parameters of each query."""
    import io

    from rich.console import Console
    from rich.table import Table

    from seikg.sparql.catalog import catalog

    table = Table(header_style="bold")
    for column in ("name", "title", "parameters"):
        table.add_column(column, overflow="fold")
    for query in catalog():
        table.add_row(query.name, query.title, " ".join(p.describe() for p in query.params))
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
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Stop the query after this many seconds (exit code 4).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Return at most this many rows (default: --max-rows); a notice says when rows were cut.",
)
@_DATA_OPTION
@_STORE_OPTION
def query(
    query: str,
    params: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    timeout: float,
    limit: int | None,
    data_files: tuple[Path, ...],
    store: str,
) -> None:
    """Run QUERY, a catalogue name or a .rq file, over ontology and facts.

    SERVICE, FROM / FROM NAMED and updates are refused (exit code 3).
    """
    from seikg.guard.worker import run_with_timeout
    from seikg.sparql.catalog import find_query
    from seikg.sparql.results import ResultFormat, SelectResult

    entry = find_query(query)
    given: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInputError(f"--param needs NAME=VALUE, got {item!r}")
        given[name.strip().lstrip("?$")] = value
    from seikg.guard import LIMITS

    on_store = _store(store, data_files) is not None
    kg = _load(() if on_store else data_files)  # on a store, for the labels of parameters only
    bindings = entry.bindings(given, kg=kg)
    chosen = ResultFormat(fmt) if fmt else None
    limit = limit or LIMITS.get().max_rows

    def run() -> tuple[str, bool]:
        engine = _store(store) if on_store else kg  # the worker opens the store itself
        assert engine is not None
        result = engine.query(entry.text, bindings=bindings, source=str(entry.path), limit=limit)
        target = chosen
        if target is None:
            if hasattr(result, "graph"):
                target = ResultFormat.TURTLE
            else:
                target = ResultFormat.TABLE if sys.stdout.isatty() or output else ResultFormat.CSV
        if hasattr(result, "graph") != target.for_graphs and target is not ResultFormat.TABLE:
            kind = "CONSTRUCT/DESCRIBE" if hasattr(result, "graph") else "SELECT/ASK"
            raise BadInputError(f"a {kind} result cannot be written as {target.value}")
        truncated = isinstance(result, SelectResult) and result.truncated
        return result.serialize(target), truncated

    text, truncated = run_with_timeout(run, timeout=timeout, what=f"query {entry.name}")
    _write(text, output)
    if truncated:
        click.echo(f"sei-kg: notice: results truncated to {limit} rows (--limit)", err=True)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--store",
    "store",
    required=True,
    metavar="oxigraph:PATH|sparql:URL",
    help="The store to fill: an on-disk Oxigraph store (created if missing) or a SPARQL "
    "endpoint (its query URL).",
)
@click.option(
    "--shipped/--no-shipped",
    default=None,
    help="Also load the shipped graph/ (default: only when no FILES are given).",
)
@click.option(
    "--update-url",
    metavar="URL",
    help="SPARQL store: the SPARQL Update endpoint (default: the query URL ending in "
    "/update instead of /query or /sparql).",
)
@click.option(
    "--graph-store-url",
    metavar="URL",
    help="SPARQL store: load whole files into the default graph with the Graph Store "
    "Protocol at this URL instead of SPARQL Update (faster).",
)
def load(
    files: tuple[Path, ...],
    store: str,
    shipped: bool | None,
    update_url: str | None,
    graph_store_url: str | None,
) -> None:
    """Load FILES (and the ontology) into a store, checked as strictly as ever.

    Every file is checked before anything is written.  An Oxigraph store is
    bulk loaded; a SPARQL store receives the triples over HTTP.
    """
    from seikg import resources
    from seikg.stores import SparqlStore, StoreKind, StoreSpec

    spec = StoreSpec.parse(store)
    if spec.kind is StoreKind.MEMORY:
        raise BadInputError("load fills a store: use --store oxigraph:PATH or sparql:URL")
    if spec.kind is StoreKind.SPARQL:
        target = SparqlStore(spec.location, update_url=update_url, graph_store_url=graph_store_url)
    elif update_url or graph_store_url:
        raise BadInputError("--update-url and --graph-store-url are for a sparql: store")
    else:
        target = spec.open(create=True)  # type: ignore[assignment]
    with_shipped = shipped if shipped is not None else not files
    paths = [*(resources.graph_files() if with_shipped else []), *files]
    added = target.load(paths)
    click.echo(f"loaded {added:,} triples into {spec.location} ({len(target):,} in all)")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--shapes",
    "shapes",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Add the shapes in this file to the shipped ones (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report format; turtle is the SHACL report graph itself.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the report here instead of stdout.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Stop validation after this many seconds (exit code 4); by default 300 on the "
    "memory store and 3600 on a store (about 5 million triples validate in 4-5 minutes).",
)
@_STORE_OPTION
def validate(
    files: tuple[Path, ...],
    shapes: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    timeout: float | None,
    store: str,
) -> None:
    """Check the facts against every rule; FILES replace the shipped graph/.

    The ontology and the shapes always come along.  Exit code 0 when every
    rule holds, 1 when one is broken, 2 on bad input.  On an Oxigraph or SPARQL
    store the same shapes run as SPARQL queries on the store itself.
    """
    from seikg.guard.worker import run_with_timeout
    from seikg.validation import ReportFormat
    from seikg.validation import validate as run_validation

    if _store(store, files) is not None:
        if shapes:
            raise BadInputError("--shapes needs the memory store")
        if fmt == "turtle":
            raise BadInputError("--format turtle (the pyshacl report graph) needs the memory store")

        def run() -> tuple[str, bool]:
            opened = _store(store)  # the worker opens the store itself
            assert opened is not None
            with _progress("checking rules") as advance:
                report = opened.validate(progress=advance)
            return report.render(ReportFormat(fmt)), report.conforms

    else:
        kg = _load(files, shapes)

        def run() -> tuple[str, bool]:
            report = run_validation(kg)
            return report.render(ReportFormat(fmt)), report.conforms

    if timeout is None:
        timeout = 300.0 if store == "memory" else 3600.0
    text, conforms = run_with_timeout(run, timeout=timeout, what="validation")
    _write(text, output)
    if not conforms:
        raise SystemExit(int(ExitCode.RULE_BROKEN))


@cli.group()
def bench() -> None:
    """Benchmark helpers: a synthetic national data set (never shipped)."""


@bench.command()
@click.option(
    "--cities", type=click.IntRange(1, 891), required=True, help="How many made-up cities."
)
@click.option("--years", type=click.IntRange(1, 60), required=True, help="How many years per city.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random values.")
@click.option(
    "--error-rate",
    type=click.FloatRange(0, 1),
    default=0.01,
    show_default=True,
    help="Share of city-years with one injected inconsistency.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The N-Triples file to write; the ground truth goes to FILE.truth.json.",
)
def generate(cities: int, years: int, seed: int, error_rate: float, output: Path) -> None:
    """Write a synthetic data set in the model of the real facts, marked synthetic."""
    from seikg.bench.synthetic import write_synthetic as make

    if output.is_dir():
        raise BadInputError("is a folder; give a file name to write to", path=output)
    with _progress("generating") as advance:
        made = [0]

        def step(n: int) -> None:
            made[0] += n
            advance(made[0], cities)

        result = make(
            output, cities=cities, years=years, seed=seed, error_rate=error_rate, progress=step
        )
    found = len(result.injected)
    click.echo(f"{result.triples:,} synthetic triples, {found} injected inconsistencies: {output}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``sei-kg`` console script."""
    import warnings

    from seikg.guard import InputWarning, no_network

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args

    def show(
        message: Warning | str, category: type[Warning], *_args: object, **_kw: object
    ) -> None:
        click.echo(f"sei-kg: warning: {message}", err=True)

    def run() -> None:
        with warnings.catch_warnings(), no_network():
            warnings.simplefilter("always", InputWarning)
            warnings.showwarning = show
            cli.main(args=args, prog_name="sei-kg", standalone_mode=False)

    try:
        contextvars.copy_context().run(run)  # limits set by options end with the command
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.UsageError as exc:
        exc.show()
        raise SystemExit(int(ExitCode.BAD_INPUT)) from None
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(int(ExitCode.BAD_INPUT)) from None
    except click.Abort:
        click.echo("sei-kg: aborted", err=True)
        raise SystemExit(int(ExitCode.INTERNAL)) from None
    except SeiKgError as exc:
        if debug and getattr(exc, "details", None):  # a worker's traceback (guard.worker)
            click.echo(exc.details, err=True)  # type: ignore[attr-defined]
        click.echo(f"sei-kg: error: {exc}", err=True)
        raise SystemExit(int(exc.exit_code)) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except SystemExit:
        raise
    except Exception as exc:
        if debug:
            traceback.print_exc()
            sys.stderr.flush()
        else:
            click.echo(
                f"sei-kg: internal error: {type(exc).__name__}: {exc}\n"
                "sei-kg: this is a bug; run again with --debug for the traceback and report it.",
                err=True,
            )
        raise SystemExit(int(ExitCode.INTERNAL)) from None
    raise SystemExit(0)


if __name__ == "__main__":  # pragma: no cover
    main()
