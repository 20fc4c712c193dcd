"""Shared fixtures: the shipped knowledge graph and a CLI runner."""

from __future__ import annotations

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


def run_cli(*args: str) -> CliResult:
    """Run ``sei-kg`` in-process, as the console script does, and capture everything."""
    runner = CliRunner()
    with runner.isolation() as streams:
        stdout, stderr = streams[0], streams[1]
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = stdout.getvalue(), stderr.getvalue()
    return CliResult(code, out.decode("utf-8"), err.decode("utf-8"))


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph.load()


@pytest.fixture
def cli():
    return run_cli
