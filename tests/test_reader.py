"""The one reader: regular files and standard input only, never blocking, counted against
the input limit; every path that reads user files goes through it."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from seikg.errors import BadInputError, LimitError
from seikg.formats import RdfFormat
from seikg.guard import LIMITS, Limits, read_input, read_limited, streamable_input

from conftest import ROOT, character_device, fifo, run_cli

FACT = b"<http://e/a> <http://e/p> <http://e/b> .\n"


def unix_socket(folder: Path, name: str) -> tuple[Path, socket.socket]:
    path = folder / name
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    return path, server


@pytest.fixture
def specials(tmp_path):
    """A FIFO, a zero device, a link to it, a socket and a folder, each named like input."""
    sock, server = unix_socket(tmp_path, "socket.ttl")
    zero = character_device(tmp_path, "zero.ttl", 1, 5)
    link = tmp_path / "link-to-zero.ttl"
    link.symlink_to(zero)
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    yield {
        "fifo": fifo(tmp_path, "fifo.ttl"),
        "device": zero,
        "link to a device": link,
        "socket": sock,
        "folder": folder,
    }
    server.close()


REASONS = {
    "fifo": "named pipe",
    "device": "character device",
    "link to a device": "character device",
    "socket": "socket",
    "folder": "folder",
}


@pytest.mark.parametrize("kind", list(REASONS))
def test_validate_refuses_what_is_not_a_regular_file_without_blocking(specials, kind):
    start = time.monotonic()
    result = run_cli("validate", str(specials[kind]))
    assert result.code == 2, result.err
    assert REASONS[kind] in result.err and str(specials[kind]) in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("kind", ["fifo", "device", "socket"])
def test_every_reader_refuses_it(specials, kind):
    path = specials[kind]
    for read in (
        lambda: read_limited(path),
        lambda: read_input(path, RdfFormat.TURTLE),
        lambda: streamable_input(path, RdfFormat.NTRIPLES),
    ):
        with pytest.raises(BadInputError, match=REASONS[kind]):
            read()


def test_query_and_data_files_are_refused_too(specials, tmp_path):
    query = fifo(tmp_path, "q.rq")
    result = run_cli("query", str(query))
    assert result.code == 2 and "named pipe" in result.err
    result = run_cli("export", "--data", str(specials["fifo"]))
    assert result.code == 2 and "named pipe" in result.err


def test_rdf_from_standard_input():
    facts = (ROOT / "graph" / "qingdao-2019.ttl").read_bytes()
    others = [
        str(ROOT / "graph" / n) for n in ("places.ttl", "sources.ttl", "exchange-rate-bands.ttl")
    ]
    result = run_cli("validate", *others, "-", input=facts)
    assert result.code == 0, result.err
    bad = run_cli("validate", "-", input=b"<http://e/a> <http://e/b> .\n")
    assert bad.code == 2 and bad.err.startswith("sei-kg: error: <stdin>:1:"), bad.err


def test_query_from_standard_input():
    result = run_cli("query", "-", "--format", "csv", input=b"ASK { ?s ?p ?o }")
    assert result.code == 0 and result.out.strip() == "true", result.err


def test_standard_input_is_counted_as_it_is_read(monkeypatch):
    class Stdin:
        buffer = io.BytesIO(FACT * 100)  # no file descriptor: read in chunks, counted

    monkeypatch.setattr(sys, "stdin", Stdin())
    token = LIMITS.set(Limits(max_input_bytes=1000))
    try:
        with pytest.raises(LimitError, match="<stdin>: more than 1,000 bytes"):
            read_limited("-")
    finally:
        LIMITS.reset(token)


@pytest.mark.slow
def test_endless_standard_input_stops_at_the_limit(tmp_path):
    zero = character_device(tmp_path, "zero", 1, 5)
    exe = Path(sys.executable).with_name("sei-kg")
    with zero.open("rb") as endless:
        start = time.monotonic()
        done = subprocess.run(
            [str(exe), "--max-input-mb", "2", "validate", "-"],
            stdin=endless,
            capture_output=True,
            timeout=60,
        )
    assert done.returncode == 4, done.stderr
    assert b"<stdin>: more than 2,097,152 bytes is more than the input limit" in done.stderr
    assert time.monotonic() - start < 30


def test_a_file_larger_than_the_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.nt"
    big.write_bytes(FACT * 1000)
    token = LIMITS.set(Limits(max_input_bytes=1000))
    try:
        with pytest.raises(LimitError, match=r"big\.nt: 41,000 bytes is more than"):
            read_limited(big)
    finally:
        LIMITS.reset(token)


def test_missing_file(tmp_path):
    with pytest.raises(BadInputError, match="no such file"):
        read_limited(tmp_path / "none.ttl")
