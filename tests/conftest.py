"""Shared fixtures: the shipped knowledge graph and a CLI runner."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from seikg.cli import main
from seikg.kg import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, input: bytes | str | None = None) -> CliResult:
    """Run ``sei-kg`` in-process, as the console script does, and capture everything
    (``input``: what standard input holds)."""
    runner = CliRunner()
    with runner.isolation(input=input) as streams:
        stdout, stderr = streams[0], streams[1]
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = stdout.getvalue(), stderr.getvalue()
    return CliResult(code, out.decode("utf-8"), err.decode("utf-8"))


def character_device(folder: Path, name: str, major: int, minor: int) -> Path:
    """A private device node (as /dev/null 1,3, /dev/zero 1,5, /dev/full 1,7) in a test's own
    folder: tests never aim the tool at a system path."""
    path = folder / name
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
    return path


def fifo(folder: Path, name: str) -> Path:
    """A named pipe in a test's own folder."""
    path = folder / name
    os.mkfifo(path)
    return path


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph.load()


@pytest.fixture
def cli():
    return run_cli
