"""The limits a command works within: input size, nesting, rows, and more.

The command line sets them once per command (a context variable, so that a
limit set by one command ends with it).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Input limits; the command line can change them."""

    max_input_bytes: int = 512 * 1024 * 1024
    max_nesting: int = 64
    max_rows: int = 100_000


LIMITS: ContextVar[Limits] = ContextVar("seikg_limits", default=Limits())  # noqa: B039 (frozen)
