"""``sei-kg ingest``: a thin command over :func:`seikg.ingest.ingest`."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from seikg import terminal
from seikg.errors import BadInputError, ExitCode


@contextlib.contextmanager
def _progress() -> Iterator[object]:
    """A transient rich progress bar on stderr (on a terminal): one task per phase."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        tasks: dict[str, object] = {}

        def advance(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)  # type: ignore[arg-type]

        yield advance


@click.command(name="ingest")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--store",
    "store",
    default="memory",
    show_default=True,
    metavar="memory|oxigraph:PATH",
    help="Where the figures go and what they are checked against: memory (the shipped graph "
    "and the files already in --into) or an Oxigraph store, written directly.",
)
@click.option(
    "--into",
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder to write the new Turtle file into (memory store); never the installed "
    "package.",
)
@click.option(
    "--dry-run", is_flag=True, help="Check everything and show what would be added; write nothing."
)
@click.option(
    "--template",
    "template_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write empty templates into this folder instead (CSV with CSVW metadata, and .xlsx).",
)
@click.option("--quiet", "-q", is_flag=True, help="Only problems and the summary line.")
def ingest_command(
    files: tuple[Path, ...],
    store: str,
    into: Path | None,
    dry_run: bool,
    template_dir: Path | None,
    quiet: bool,
) -> None:
    """Add figures from filled-in templates (FILES: .csv or .xlsx), all or nothing.

    Three templates: figures (one row per stated figure: area, year,
    indicator, scope, value as stated, unit, precision, bound, source and where
    in it), sources (id, title, publisher, date, address, kind, statistics
    from) and comparison claims.  The rows become observations of a data set
    per source, in the model of the shipped facts, and every rule is run on
    them together with what the store holds.  Only when nothing breaks are
    they written: a new Turtle file under --into DIR, or into --store
    oxigraph:PATH, in one step.

    Exit codes: 0 added (or nothing new), 1 a rule breaks (every figure is
    named by file, row and column; nothing is written), 2 bad input (one line
    per problem, file:row:column, all of them).
    """
    from seikg.ingest import IngestRefused, RulesBroken, ingest, write_templates

    if template_dir is not None:
        if files:
            raise BadInputError("--template writes empty templates; give no FILES with it")
        for path in write_templates(template_dir):
            click.echo(str(path))
        return
    if not files:
        raise BadInputError("give the filled-in templates to ingest (or --template DIR)")
    if store == "memory" and into is None and not dry_run:
        raise BadInputError(
            "say where the figures go: --into DIR (a Turtle file), --store oxigraph:PATH, "
            "or --dry-run to only check them"
        )
    try:
        with _progress() as advance:
            outcome = ingest(files, store=store, into=into, dry_run=dry_run, progress=advance)  # type: ignore[arg-type]
    except IngestRefused as refused:
        for problem in refused.problems:
            click.echo(terminal.shown(problem.line()), err=True)
        n = len(refused.problems)
        click.echo(
            f"sei-kg: ingest refused: {n} problem{'s' if n != 1 else ''} in the input; "
            "nothing was written",
            err=True,
        )
        raise SystemExit(int(ExitCode.BAD_INPUT)) from None
    except RulesBroken as broken:
        click.echo(terminal.shown(broken.outcome.render()), nl=False)
        raise SystemExit(int(ExitCode.RULE_BROKEN)) from None
    _notices(outcome.notices, quiet)
    if dry_run and outcome.batch is not None and not quiet:
        from seikg.ingest.gate import batch_turtle

        sys.stdout.buffer.write(batch_turtle(outcome.batch))
        sys.stdout.flush()
    click.echo(terminal.shown(outcome.render()), nl=False, err=dry_run)


def _notices(notices: list[str], quiet: bool, *, shown: int = 10) -> None:
    if quiet or not notices:
        return
    for notice in notices[:shown]:
        click.echo(f"notice: {terminal.shown(notice)}", err=True)
    if len(notices) > shown:
        click.echo(f"notice: and {len(notices) - shown:,} more of the same kind", err=True)


def write_figures(files: dict[str, bytes], fmt: str, output: Path | None) -> None:
    """``sei-kg export --format csv|xlsx``: write the figures in the ingest template.

    csv writes figures.csv, sources.csv and claims.csv with their CSVW metadata
    into the folder ``-o`` names; xlsx writes one workbook to the file ``-o`` names.
    """
    from seikg.rdf.write import atomic_write

    if output is None:
        where = "a folder" if fmt == "csv" else "a workbook file"
        raise BadInputError(f"--format {fmt} writes files: give -o with {where}")
    if fmt == "csv":
        output.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            atomic_write(output / name, data)
        return
    atomic_write(output, next(iter(files.values())))
