"""The limits a command works within: input size, nesting, rows, and more.

The command line sets them once per command (a context variable, so that a
limit set by one command ends with it).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Input limits; the command line can change them.

    ``max_memory_mb`` caps the address space of each worker process (queries,
    validation): 16 GiB by default, two thirds of the 24 GiB development
    machine, so that a runaway query stops with a clear message (exit 4) long
    before the machine swaps or the kernel kills something else.
    """

    max_input_bytes: int = 512 * 1024 * 1024
    max_nesting: int = 64
    max_rows: int = 100_000
    max_memory_mb: int = 16 * 1024


LIMITS: ContextVar[Limits] = ContextVar("seikg_limits", default=Limits())  # noqa: B039 (frozen)
