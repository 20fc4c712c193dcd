"""Sorted, unique lines in bounded memory: the external sort behind streamed N-Triples.

Lines come in batches (lists of ``bytes``, each ending in a line feed); at most
``run_bytes`` of them are held at once.  Each full run is sorted, freed of
duplicates and written to a temporary file; at the end the runs are merged.
The result is what ``b"".join(sorted(set(lines)))`` gives, byte for byte, but
nothing is written to ``output`` before the last batch has been read: an
exception raised by the batches leaves ``output`` untouched.

>>> import io
>>> out = io.BytesIO()
>>> write_sorted_unique([[b"b .\\n", b"a .\\n"], [b"c .\\n", b"a .\\n"]], out, run_bytes=8)
3
>>> out.getvalue()
b'a .\\nb .\\nc .\\n'
"""

from __future__ import annotations

import heapq
import itertools
import tempfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

RUN_BYTES = 32 << 20
"""Bytes of lines held in memory at once (a run); past it, runs go to temporary files."""

_WRITE_BATCH = 8192  # lines joined per write while merging


def write_sorted_unique(
    batches: Iterable[list[bytes]], output: BinaryIO, *, run_bytes: int | None = None
) -> int:
    """Write the distinct lines of ``batches`` to ``output`` in byte order; how many lines.

    Memory holds at most about ``run_bytes`` of lines (and one read buffer per run
    while merging; :data:`RUN_BYTES` if None); the runs live in a temporary folder
    removed at the end.
    """
    run_bytes = RUN_BYTES if run_bytes is None else run_bytes
    with tempfile.TemporaryDirectory(prefix="sei-kg-sort-") as folder:
        runs: list[BinaryIO] = []
        held: set[bytes] = set()
        size = 0
        try:
            for batch in batches:
                held.update(batch)
                size += sum(map(len, batch))
                if size >= run_bytes:
                    runs.append(_spill(sorted(held), folder, len(runs)))
                    held, size = set(), 0
            last = sorted(held)
            del held
            if not runs:
                output.write(b"".join(last))
                return len(last)
            return _merge([*(_read(run) for run in runs), iter(last)], output)
        finally:
            for run in runs:
                run.close()


def _spill(lines: list[bytes], folder: str, number: int) -> BinaryIO:
    run = open(f"{folder}/run-{number}", "w+b")  # noqa: SIM115 (closed by the caller)
    run.write(b"".join(lines))
    run.flush()
    run.seek(0)
    return run


def _read(run: BinaryIO) -> Iterator[bytes]:
    yield from run  # lines, read through the file's own buffer


def _merge(runs: list[Iterator[bytes]], output: BinaryIO) -> int:
    written = 0
    batch: list[bytes] = []
    for line, _same in itertools.groupby(heapq.merge(*runs)):
        batch.append(line)
        if len(batch) >= _WRITE_BATCH:
            output.write(b"".join(batch))
            written += len(batch)
            batch.clear()
    output.write(b"".join(batch))
    return written + len(batch)
