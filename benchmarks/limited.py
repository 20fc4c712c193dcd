"""Run a process as a benchmark measures it: wall time, peak memory, and limits on both.

The process starts in a new process group.  Its wall time runs from the start to its exit;
its peak memory is its maximum resident set, or that of one of its own children if larger,
and its CPU time its own and its children's, as ``wait4`` reports them for this one child
(not for the benchmark's other children): on a busy machine, CPU time says what wall time
cannot.  While
it runs, the resident memory of its whole group is read every quarter second: a process
over the time or memory limit is stopped (the group killed) and said to be so.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def default_memory_mb() -> int:
    """Half of the machine's memory, at most 16 GiB: room for the other work on it."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1 << 20)
    return int(min(16384, total // 2))


@dataclass(frozen=True)
class Limits:
    """What one run of a peer may take: wall time and resident memory (its children too)."""

    seconds: float = 1800.0
    memory_mb: int = field(default_factory=default_memory_mb)


@dataclass
class Outcome:
    """One process run: wall time, peak memory, exit code, output, and why it was stopped."""

    seconds: float
    peak_mib: float
    cpu_seconds: float  # user and system time, its own children's too
    returncode: int
    stdout: str
    stderr: str
    stopped: str | None = None


def _group_rss_mib(group: int) -> float:
    """The resident memory of every process of a process group, in MiB."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        if int(fields[2]) == group:  # field 5, the process group; field 24 is the RSS
            total += int(fields[21]) * page
    return total / (1 << 20)


# How the engines say they ran out of their own heap: Java, V8, Python, sei-kg's worker.
_OWN_OOM = re.compile(r"OutOfMemoryError|heap out of memory|MemoryError|needed more memory")


def run_process(
    command: Sequence[str], *, limits: Limits, env: dict[str, str] | None = None
) -> Outcome:
    """Run ``command`` in a new process group; stop it (the whole group) when it runs over
    the time or memory limit."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            start_new_session=True,
        )
        ended: dict[str, Any] = {}

        def reap() -> None:  # wait4: the exit status and this child's own resource usage
            _pid, status, usage = os.wait4(process.pid, 0)
            ended.update(seconds=time.perf_counter() - start, status=status, usage=usage)

        waiter = threading.Thread(target=reap, daemon=True)
        waiter.start()
        stopped = None
        while True:
            waiter.join(0.25)
            if not waiter.is_alive():
                break
            if time.perf_counter() - start > limits.seconds:
                stopped = f"did not finish in {limits.seconds:g} s"
            elif _group_rss_mib(process.pid) > limits.memory_mb:
                stopped = f"out of memory (over the limit of {limits.memory_mb} MiB)"
            if stopped:
                os.killpg(process.pid, signal.SIGKILL)
                waiter.join()
                break
        process.returncode = os.waitstatus_to_exitcode(ended["status"])
        out.seek(0)
        err.seek(0)
        outcome = Outcome(
            seconds=ended["seconds"],
            peak_mib=ended["usage"].ru_maxrss / 1024,
            cpu_seconds=ended["usage"].ru_utime + ended["usage"].ru_stime,
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            stopped=stopped,
        )
    said = outcome.stderr
    if '"error"' in outcome.stdout[:300]:  # a runner of tests/engines failing on its case
        said += outcome.stdout[:4000]
    if outcome.stopped is None and _OWN_OOM.search(said):
        outcome.stopped = f"out of memory (its own heap limit, {limits.memory_mb} MiB)"
    return outcome
