"""The ``sei-kg`` command group, its global options, and the entry point.

Exit codes are the same for every command: 0 fine, 1 the data breaks a rule,
2 bad input, syntax or usage, 3 refused by policy, 4 a limit was hit,
5 an internal error, 6 a store could not be reached or refused a request.
"""

from __future__ import annotations

import sys
import traceback

import click

from seikg.errors import ExitCode, SeiKgError


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
@click.option(
    "--max-memory-mb",
    type=click.IntRange(min=64),
    default=16 * 1024,
    show_default=True,
    help="Stop a query, validation or export whose worker needs more memory (exit code 4).",
)
@click.version_option(package_name="sei-kg", prog_name="sei-kg")
def cli(
    debug: bool, max_input_mb: float, max_nesting: int, max_rows: int, max_memory_mb: int
) -> None:
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

    LIMITS.set(Limits(int(max_input_mb * 1024 * 1024), max_nesting, max_rows, max_memory_mb))


def run_command(args: list[str]) -> None:
    """Run the command line ``args`` with the network denied and warnings shown as one line."""
    import warnings

    from seikg.guard import InputWarning, no_network

    def show(message: Warning | str, category: type[Warning], *_a: object, **_k: object) -> None:
        click.echo(f"sei-kg: warning: {message}", err=True)

    with warnings.catch_warnings(), no_network():
        warnings.simplefilter("always", InputWarning)
        warnings.showwarning = show
        cli.main(args=args, prog_name="sei-kg", standalone_mode=False)


def exit_code(exc: BaseException, *, debug: bool) -> int:
    """Say what went wrong in one line on stderr; the exit code for it."""
    if isinstance(exc, click.exceptions.Exit):
        return exc.exit_code
    if isinstance(exc, click.ClickException):  # usage errors too
        exc.show()
        return int(ExitCode.BAD_INPUT)
    if isinstance(exc, click.Abort):
        click.echo("sei-kg: aborted", err=True)
        return int(ExitCode.INTERNAL)
    if isinstance(exc, SeiKgError):
        from seikg.guard.worker import WorkerCrashed

        if debug and getattr(exc, "details", None):  # a worker's traceback (guard.worker)
            click.echo(exc.details, err=True)  # type: ignore[attr-defined]
        kind = "internal error" if isinstance(exc, WorkerCrashed) else "error"
        click.echo(f"sei-kg: {kind}: {exc}", err=True)
        return int(exc.exit_code)
    if isinstance(exc, BrokenPipeError):
        return 0
    if isinstance(exc, KeyboardInterrupt):
        return 130
    if debug:
        traceback.print_exception(exc)
        sys.stderr.flush()
    else:
        click.echo(
            f"sei-kg: internal error: {type(exc).__name__}: {exc}\n"
            "sei-kg: this is a bug; run again with --debug for the traceback and report it.",
            err=True,
        )
    return int(ExitCode.INTERNAL)
