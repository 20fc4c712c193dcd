"""The validate command: every rule, on any store, one report."""

from __future__ import annotations

from pathlib import Path

import click

from seikg.cli.app import cli
from seikg.cli.common import STORE_OPTION, WITH_OPTION, progress, run, write
from seikg.errors import ExitCode

# The default time limit: the memory store is small; a store may hold millions of triples.
MEMORY_TIMEOUT, STORE_TIMEOUT = 300.0, 3600.0


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
@WITH_OPTION
@STORE_OPTION
def validate(
    files: tuple[Path, ...], shapes: tuple[Path, ...], fmt: str, output: Path | None,
    timeout: float | None, reference: tuple[str, ...], store: str,
) -> None:  # fmt: skip
    """Check the facts against every rule; FILES replace the shipped graph/ (memory store).

    The ontology and the shapes always come along.  Exit code 0 when every
    rule holds, 1 when one is broken, 2 on bad input.  On an Oxigraph or SPARQL
    store the same shapes run as SPARQL queries on the store itself, and the
    report is the same.
    """
    from seikg.kg import KnowledgeGraph
    from seikg.validation import ReportFormat

    def check(kg: KnowledgeGraph) -> tuple[str, bool]:
        with progress("checking rules") as advance:
            report = kg.validate(progress=advance)
        return report.render(ReportFormat(fmt)), report.conforms

    if timeout is None:
        timeout = MEMORY_TIMEOUT if store == "memory" else STORE_TIMEOUT
    text, conforms = run(
        check,
        store=store,
        data=files,
        shapes=shapes,
        reference=reference,
        timeout=timeout,
        what="validation",
    )
    write(text, output)
    if not conforms:
        raise SystemExit(int(ExitCode.RULE_BROKEN))
