"""Commands over the data: export, stats, viz and load."""

from __future__ import annotations

from pathlib import Path

import click

from seikg.cli.app import cli
from seikg.cli.common import (
    DATA_OPTION,
    STORE_OPTION,
    VIEW_NAMES,
    WITH_OPTION,
    run,
    run_into,
    timeout_option,
    view_options,
    write,
)
from seikg.errors import BadInputError

# Long work on a big store (a full export of millions of triples) is stopped after this.
LONG_TIMEOUT = 3600.0
# An export of the memory store (a few files) is stopped sooner, as a validation is.
EXPORT_MEMORY_TIMEOUT = 300.0


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "nt", "jsonld", "trig", "xml", "nquads", "csv", "xlsx"]),
    default="turtle",
    show_default=True,
    help="RDF format of the export; csv (-o DIR) and xlsx (-o FILE) write the figures in the "
    "ingest template instead.  nt from an Oxigraph store or a SPARQL endpoint is streamed "
    "and sorted in bounded memory; the other formats, and nt with blank nodes, first copy "
    "the store into an rdflib graph.",
)
@click.option(
    "--part",
    type=click.Choice(["all", "ontology", "shapes", "data"]),
    default="all",
    show_default=True,
    help="Which part of the knowledge graph to export (parts: memory store).",
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
    default=None,
    help=f"Stop the export after this many seconds (exit code 4); by default "
    f"{EXPORT_MEMORY_TIMEOUT:g} on the memory store and {LONG_TIMEOUT:g} on a store (a "
    "full export of millions of triples).",
)
@DATA_OPTION
@WITH_OPTION
@STORE_OPTION
def export(
    fmt: str, part: str, output: Path | None, timeout: float | None,
    data_files: tuple[Path, ...], reference: tuple[str, ...], store: str,
) -> None:  # fmt: skip
    """Export the knowledge graph as RDF, byte-identical on every run."""
    from seikg.formats import RdfFormat
    from seikg.stores.base import Part

    if timeout is None:
        timeout = EXPORT_MEMORY_TIMEOUT if store == "memory" else LONG_TIMEOUT
    if fmt in ("csv", "xlsx"):
        from seikg.ingest import export_template
        from seikg.ingest.command import write_figures

        files = run(
            lambda kg: export_template(kg.in_memory(), fmt),
            store=store, data=data_files, reference=reference, timeout=timeout, what="the export",
        )  # fmt: skip
        write_figures(files, fmt, output)
        return
    run_into(
        lambda kg, sink: kg.export_to(sink, fmt=RdfFormat(fmt), part=Part(part)),
        output, store=store, data=data_files, reference=reference, timeout=timeout,
        what="the export",
    )  # fmt: skip


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option(
    "--graph",
    "as_graph",
    is_flag=True,
    help="Network facts of a networkx view instead: nodes and edges by kind, degrees, "
    "components (on a store, only what the view draws is read: see viz).",
)
@click.option(
    "--view",
    type=click.Choice(VIEW_NAMES),
    default="overview",
    show_default=True,
    help="The view --graph describes.",
)
@view_options
@timeout_option(LONG_TIMEOUT, "counting")
@DATA_OPTION
@WITH_OPTION
@STORE_OPTION
def stats(
    as_json: bool, as_graph: bool, view: str, city: str | None, province: str | None,
    category: str | None, middle: bool, timeout: float, data_files: tuple[Path, ...],
    reference: tuple[str, ...], store: str,
) -> None:  # fmt: skip
    """Show what the graph holds: triples, observations per place and year, categories.

    The counts are SPARQL aggregates run on the store itself; nothing is copied.
    """
    import json

    from seikg.kg import KnowledgeGraph

    def count(kg: KnowledgeGraph) -> str:
        if as_graph:
            from seikg.views import graph_facts, render_facts, to_networkx
            from seikg.views.kinds import Focus
            from seikg.views.source import view_source

            focus = Focus(city=city, province=province, category=category, middle=middle)
            graph = to_networkx(
                view_source(kg, view, focus), view=view, city=city, province=province,
                category=category, middle=middle,
            )  # fmt: skip
            facts = graph_facts(graph)
            return (
                json.dumps(facts, ensure_ascii=False, indent=2) + "\n"
                if as_json
                else (render_facts(facts) + "\n")
            )
        result = kg.stats()
        if as_json:
            return json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"
        return result.render()

    text = run(count, store=store, data=data_files, reference=reference, timeout=timeout,
               what="stats")  # fmt: skip
    write(text, None)


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
    "comes from; full: every resource of the data; versions: the versions of the "
    "classification side by side, oldest first, with the mappings between them (dashed "
    "where they are the project's belief); divisions: the prefecture- and county-level "
    "divisions of --province, by type, abolished ones marked (needs --with divisions).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the labels.",
)
@view_options
@timeout_option(LONG_TIMEOUT, "drawing")
@DATA_OPTION
@WITH_OPTION
@STORE_OPTION
def viz(
    output: Path, view: str, lang: str, city: str | None, province: str | None,
    category: str | None, middle: bool, timeout: float, data_files: tuple[Path, ...],
    reference: tuple[str, ...], store: str,
) -> None:  # fmt: skip
    """Draw the graph or write it for network tools; the format comes from -o's extension.

    \b
    sei-kg viz -o versions.png --view versions --lang zh
    sei-kg viz -o equipment.svg --view versions --category 高端装备制造产业
    sei-kg viz -o shandong.png --view divisions --province 山东 --with divisions

    On a store only what the view draws is read from it; the overview, provenance and
    full views draw every figure and are refused beyond 2,000 figures.
    """
    from seikg.views.kinds import Focus
    from seikg.views.source import view_source
    from seikg.views.write import render_view, viz_format

    fmt = viz_format(output)
    if view == "city" and not city:
        raise BadInputError("the city view needs --city (for example --city Qingdao)")
    if view == "divisions" and not province:
        raise BadInputError(
            "the divisions view needs --province (for example --province 山东 --with divisions)"
        )
    focus = Focus(city=city, province=province, category=category, middle=middle)
    data, notes = run(
        lambda kg: render_view(
            view_source(kg, view, focus), fmt, view=view, lang=lang, city=city,
            province=province, category=category, middle=middle,
        ),
        store=store, data=data_files, reference=reference, timeout=timeout, what="drawing",
    )  # fmt: skip
    for note in notes:
        click.echo(f"sei-kg: warning: {note}", err=True)
    write(data, output)


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
@click.option(
    "--with",
    "reference",
    multiple=True,
    type=click.Choice(["divisions"]),
    help="Also load a reference part of graph/reference/ (repeatable): 'divisions' is the "
    "national skeleton of divisions (about 23,000 triples), whose provinces lie in the "
    "country of the shipped graph: load it with --shipped (or without FILES).  A synthetic "
    "county-level set goes with it: sei-kg load FILE --shipped --with divisions --store S.",
)
@timeout_option(LONG_TIMEOUT, "the load")
def load(
    files: tuple[Path, ...], store: str, shipped: bool | None, update_url: str | None,
    graph_store_url: str | None, reference: tuple[str, ...], timeout: float,
) -> None:  # fmt: skip
    """Load FILES (and the ontology) into a store, checked as strictly as ever.

    Every file is checked before anything is written.  An Oxigraph store is
    bulk loaded; a SPARQL store receives the triples over HTTP.
    """
    from seikg import resources
    from seikg.guard import deadline
    from seikg.kg import KnowledgeGraph

    # In the command's own process (it writes to the store it opened), under a deadline.
    with deadline(timeout, "the load"):
        kg = KnowledgeGraph.open(
            store, create=True, update_url=update_url, graph_store_url=graph_store_url
        )
        if not kg.store.keeps_data:
            raise BadInputError("load fills a store: use --store oxigraph:PATH or sparql:URL")
        with_shipped = shipped if shipped is not None else not files
        parts = resources.reference_files()
        missing = [name for name in reference if name not in parts]
        if missing:
            raise BadInputError(f"this installation has no graph/reference/{missing[0]}.ttl")
        added = kg.add(
            [
                *(resources.graph_files() if with_shipped else []),
                *(parts[name] for name in reference),
                *files,
            ]
        )
        total = len(kg)
    click.echo(f"loaded {added:,} triples into {kg.store.name} ({total:,} in all)")
