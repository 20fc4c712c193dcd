"""The shipped-graph benchmark keeps what it measures: the cold start, run alone, lands in
benchmarks/results/shipped.json beside the other sections (the README quotes that file)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_shipped.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_shipped", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_shipped"] = module
    spec.loader.exec_module(module)
    return module


def test_the_cold_start_alone_lands_in_the_results_file(tmp_path, monkeypatch):
    bench = _bench()
    results = tmp_path / "shipped.json"
    results.write_text(json.dumps({"seconds (median)": {"load": {"sei-kg": 0.1}}}))
    monkeypatch.setattr(bench, "RESULTS", results)
    monkeypatch.setattr(
        bench, "cold_start", lambda runs=7: {"sei-kg validate (shipped graph)": 5.0}
    )
    bench.main(["--only", "cold-start"])
    written = json.loads(results.read_text())["seconds (median)"]
    assert written == {
        "load": {"sei-kg": 0.1},
        "cold start, fresh process": {"sei-kg validate (shipped graph)": 5.0},
    }


def test_a_full_run_measures_each_fresh_process_figure_once():
    """sei-kg validate and sei-kg query in a fresh process are measured in the cold start
    only, so that the README cannot quote two runs of the same measure."""
    text = BENCH.read_text(encoding="utf-8")
    assert text.count('cli_seconds(["validate"]') == 1
    assert text.count('cli_seconds(["query", "share-by-year"') == 1
