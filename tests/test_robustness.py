"""Robustness: corrupted bytes end cleanly, and a killed export leaves the old file intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_cli

FACTS = (ROOT / "graph" / "qingdao-2019.ttl").read_bytes()


@st.composite
def corrupted(draw) -> bytes:
    """The shipped facts with one to three bytes replaced, deleted or inserted."""
    data = bytearray(FACTS)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["replace", "delete", "insert"]))
        byte = draw(st.integers(0, 255))
        if action == "replace":
            data[where] = byte
        elif action == "delete":
            del data[where]
        else:
            data.insert(where, byte)
    return bytes(data)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow
@given(data=corrupted())
def test_corrupted_facts_end_cleanly(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "facts.ttl"
    path.write_bytes(data)
    others = [
        str(ROOT / "graph" / name)
        for name in ("places.ttl", "sources.ttl", "exchange-rate-bands.ttl")
    ]
    start = time.monotonic()
    result = run_cli("validate", *others, str(path))
    assert result.code in (0, 1, 2), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    if result.code == 2:
        assert str(path) in result.err
    assert time.monotonic() - start < 120  # a hang, not a slow run on a busy machine


def test_kill_during_export_leaves_the_old_file(tmp_path):
    lines = [
        f'<http://example.org/s{i}> <http://example.org/p> "value {i}" ; '
        f"<http://example.org/q> [ <http://example.org/r> {i} ] .\n"
        for i in range(60_000)
    ]
    data = tmp_path / "big.ttl"
    data.write_text("".join(lines))
    target = tmp_path / "export.ttl"
    old = b"@prefix ex: <http://example.org/> .\nex:old ex:file ex:here .\n"
    target.write_bytes(old)
    exe = Path(sys.executable).with_name("sei-kg")
    process = subprocess.Popen([str(exe), "export", "--data", str(data), "-o", str(target)])
    time.sleep(2.0)
    assert process.poll() is None, (
        "the export finished before it could be killed; make the data larger"
    )
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert target.read_bytes() == old
