"""The options of ``sei-kg serve``, kept here so that the command line stays a thin wrapper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

DEFAULT_TIMEOUT = 30.0

_OPTIONS = [
    click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on."),
    click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
                 help="Port to listen on (0: a free one)."),
    click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
                 help="Also answer to this Host name (repeatable); others are refused."),
    click.option("--cors", "cors", metavar="ORIGIN", help="Let pages of ORIGIN read the answers."),
    click.option("--workers", type=click.IntRange(1, 64), default=3, show_default=True,
                 help="Worker processes that run queries."),
    click.option("--max-queries", type=click.IntRange(1), default=8, show_default=True,
                 help="Queries running or waiting at once; more get 429."),
    click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
                 show_default=True, help="Stop a query after this many seconds (503)."),
    click.option("--max-body-kb", type=click.IntRange(1), default=1024, show_default=True,
                 help="Refuse request bodies larger than this (413)."),
    click.option("--max-query-kb", type=click.IntRange(1), default=128, show_default=True,
                 help="Refuse query texts larger than this (413, or 414 for GET)."),
]  # fmt: skip


def serve_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options of ``sei-kg serve`` to a click command."""
    for option in reversed(_OPTIONS):
        func = option(func)
    return func


def serve_from_options(
    store: str, data: tuple[Any, ...], options: dict[str, object], *, debug: bool = False
) -> None:
    """Run the server as ``sei-kg serve`` was told (the row limit is ``--max-rows``)."""
    from seikg.guard import LIMITS
    from seikg.serve import ServeConfig, run

    run(ServeConfig.from_options(store, data, LIMITS.get().max_rows, options, debug=debug))
