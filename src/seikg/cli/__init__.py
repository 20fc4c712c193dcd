"""The ``sei-kg`` command: thin commands over the library, one path each.

Every command opens the knowledge graph of the store the user names and
works through it (:mod:`seikg.cli.common`); none asks which kind of store it
has.  Exit codes are the same for every command: 0 fine, 1 the data breaks a
rule, 2 bad input, syntax or usage, 3 refused by policy, 4 a limit was hit,
5 an internal error, 6 a store could not be reached or refused a request.
"""

from __future__ import annotations

import contextvars
import sys

from seikg.cli import bench, data, query, serve, validate
from seikg.cli.app import cli, exit_code, run_command
from seikg.ingest.command import ingest_command

cli.add_command(ingest_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``sei-kg`` console script: every failure is one line and an exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        contextvars.copy_context().run(
            run_command, args
        )  # limits set by options end with the command
    except SystemExit:
        raise
    except BaseException as exc:
        raise SystemExit(exit_code(exc, debug="--debug" in args)) from None
    raise SystemExit(0)


__all__ = ["bench", "cli", "data", "main", "query", "serve", "validate"]
