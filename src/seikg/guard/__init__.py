"""Defences for untrusted input: limits, no network, input checks, workers with deadlines.

* :mod:`~seikg.guard.limits`: the limits a command works within;
* :mod:`~seikg.guard.network`: no sockets while a command works, but to the
  endpoints a user names;
* :mod:`~seikg.guard.reader`: the one reader of user files (regular files and
  standard input, counted against the input limit);
* :mod:`~seikg.guard.tokens`: a tokenizer for SPARQL, Turtle and JSON;
* :mod:`~seikg.guard.readings`: the checks of a SPARQL text, in every way an engine
  could read its ``<``;
* :mod:`~seikg.guard.inputs`: size, encoding and nesting checks on input files;
* :mod:`~seikg.guard.worker`: a forked worker process killed at its deadline, its
  memory capped, dying with its parent;
* :mod:`~seikg.guard.sandbox`: a worker's own, empty network namespace.
"""

from __future__ import annotations

from seikg.guard.inputs import (
    STREAM_ABOVE_BYTES,
    InputWarning,
    check_input,
    check_nesting,
    check_query,
    format_hint,
    read_input,
    read_rdf,
    streamable_input,
)
from seikg.guard.limits import LIMITS, Limits
from seikg.guard.network import allow_endpoint, no_network
from seikg.guard.reader import check_regular, read_limited
from seikg.guard.worker import deadline, run_with_timeout

__all__ = [
    "LIMITS",
    "STREAM_ABOVE_BYTES",
    "InputWarning",
    "Limits",
    "allow_endpoint",
    "check_input",
    "check_nesting",
    "check_query",
    "check_regular",
    "deadline",
    "format_hint",
    "no_network",
    "read_input",
    "read_limited",
    "read_rdf",
    "run_with_timeout",
    "streamable_input",
]
