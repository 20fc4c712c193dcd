"""Defences for untrusted input: limits, no network, input checks, workers with deadlines.

* :mod:`~seikg.guard.limits`: the limits a command works within;
* :mod:`~seikg.guard.network`: no sockets while a command works, but to the
  endpoints a user names;
* :mod:`~seikg.guard.inputs`: size, encoding and nesting checks on input files;
* :mod:`~seikg.guard.worker`: a forked worker process killed at its deadline.
"""

from __future__ import annotations

from seikg.guard.inputs import (
    STREAM_ABOVE_BYTES,
    InputWarning,
    check_input,
    check_nesting,
    format_hint,
    read_input,
    streamable_input,
)
from seikg.guard.limits import LIMITS, Limits
from seikg.guard.network import allow_endpoint, no_network
from seikg.guard.worker import run_with_timeout

__all__ = [
    "LIMITS",
    "STREAM_ABOVE_BYTES",
    "InputWarning",
    "Limits",
    "allow_endpoint",
    "check_input",
    "check_nesting",
    "format_hint",
    "no_network",
    "read_input",
    "run_with_timeout",
    "streamable_input",
]
