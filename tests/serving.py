"""Start the real ``sei-kg serve`` on a free loopback port, and stop it."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass
class Served:
    """A running server: its base URL and its log so far."""

    url: str
    log_path: Path
    process: subprocess.Popen[bytes]

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, trust_env=False, **kwargs)  # type: ignore[arg-type]


@contextlib.contextmanager
def serving(*args: str, ready_timeout: float = 60) -> Iterator[Served]:
    """Run ``sei-kg [global options] serve --port 0 ARGS`` until the block ends.

    Options that belong before ``serve`` (``--max-rows``) are passed as
    ``("--max-rows", "3", "serve", ...)``; without ``serve`` in ``args`` it is added.
    """
    argv = list(args)
    if "serve" not in argv:
        argv = ["serve", *argv]
    index = argv.index("serve")
    argv[index + 1 : index + 1] = ["--port", "0"]
    log_file = Path(tempfile.mkstemp(prefix="sei-kg-serve-", suffix=".log")[1])
    with log_file.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", "from seikg.cli import main; main()", *argv],
            stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
    deadline = time.monotonic() + ready_timeout
    url = None
    try:
        while time.monotonic() < deadline:
            text = log_file.read_text(encoding="utf-8", errors="replace")
            match = re.search(r"at (http://127\.0\.0\.1:\d+)/", text)
            if match:
                url = match.group(1)
                break
            if process.poll() is not None:
                raise RuntimeError(f"sei-kg serve exited: {text}")
            time.sleep(0.05)
        if url is None:
            raise RuntimeError("sei-kg serve did not start in time")
        yield Served(url, log_file, process)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with contextlib.suppress(OSError):
            log_file.unlink()
