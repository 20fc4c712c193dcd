"""Errors and exit codes shared by every command.

Each error knows its exit code, so the command line can turn any failure
into one clear line on stderr and a distinct exit status.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit codes of the ``sei-kg`` command, the same for every subcommand.

    >>> int(ExitCode.RULE_BROKEN), int(ExitCode.BAD_INPUT)
    (1, 2)
    """

    OK = 0
    RULE_BROKEN = 1
    BAD_INPUT = 2
    REFUSED = 3
    LIMIT = 4
    INTERNAL = 5
    STORE = 6


class SeiKgError(Exception):
    """Base class of every error the project raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL


class BadInputError(SeiKgError):
    """Input that cannot be used: a missing file, a syntax error, a bad option.

    The message names the file and, for syntax errors, the line and column.

    >>> str(BadInputError("unexpected token", path=Path("a.ttl"), line=3, column=7))
    'a.ttl:3:7: unexpected token'
    """

    exit_code = ExitCode.BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.reason = message
        where = ""
        if self.path is not None:
            where = self.path
            if line is not None:
                where += f":{line}"
                if column is not None:
                    where += f":{column}"
            where += ": "
        super().__init__(where + message)


class PolicyError(SeiKgError):
    """A request the project refuses on principle (a federated query, an update)."""

    exit_code = ExitCode.REFUSED


class LimitError(SeiKgError):
    """A limit was hit: time, size or depth."""

    exit_code = ExitCode.LIMIT


class StoreError(SeiKgError):
    """A store could not be reached or refused a request (a remote SPARQL endpoint)."""

    exit_code = ExitCode.STORE
