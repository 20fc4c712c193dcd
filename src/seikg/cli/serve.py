"""The serve command: a read-only SPARQL endpoint, resource pages and the browser UI."""

from __future__ import annotations

from pathlib import Path

import click

from seikg.cli.app import cli
from seikg.cli.common import DATA_OPTION, STORE_OPTION, WITH_OPTION, with_reference
from seikg.serve.options import serve_from_options, serve_options


@cli.command()
@STORE_OPTION
@DATA_OPTION
@WITH_OPTION
@serve_options
@click.pass_context
def serve(
    ctx: click.Context,
    store: str,
    data_files: tuple[Path, ...],
    reference: tuple[str, ...],
    **options: object,
) -> None:
    """Serve a SPARQL endpoint, a page for every resource, and the browser UI (read-only)."""
    debug = bool(ctx.find_root().params.get("debug"))
    serve_from_options(store, with_reference(data_files, reference), options, debug=debug)
