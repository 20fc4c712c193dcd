"""Benchmark the national skeleton of divisions (graph/reference/divisions.ttl).

What it costs to load and check the skeleton, to decide how it should load:
parsing it alone (rdflib, the project's strict parser, pyoxigraph's parser), a
cold start (a fresh process loading the knowledge graph) with and without it,
and a full pyshacl validation with and without it.  Medians of a few runs
(validation: one run, it takes about a minute).  Results go to
benchmarks/results/divisions.json and are printed.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKELETON = ROOT / "graph" / "reference" / "divisions.ttl"

COLD_START = """
import sys, time
start = time.perf_counter()
from pathlib import Path
from seikg import resources
from seikg.kg import KnowledgeGraph
files = [*resources.graph_files(), *[Path(p) for p in sys.argv[1:]]]
kg = KnowledgeGraph.load(files)
print(time.perf_counter() - start)
"""


def median_seconds(func: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls of ``func``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_start(extra: list[Path], runs: int = 3) -> float:
    """Median time, inside a fresh process, to import sei-kg and load the graph."""
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", COLD_START, *map(str, extra)],
            check=True,
            capture_output=True,
            text=True,
        )
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def main() -> None:
    """Run the benchmark and write the results."""
    import pyoxigraph as ox
    from rdflib import Graph

    from seikg import resources
    from seikg.kg import KnowledgeGraph
    from seikg.parsing import parse_files
    from seikg.validation import validate

    load_before = os.getloadavg()[0]  # other work on the machine skews every figure
    results: dict[str, float | int] = {}
    graph = Graph().parse(SKELETON)
    results["triples"] = len(graph)
    results["bytes"] = SKELETON.stat().st_size
    results["parse rdflib"] = median_seconds(lambda: Graph().parse(SKELETON), 5)
    results["parse sei-kg"] = median_seconds(lambda: parse_files([SKELETON]), 5)
    results["parse pyoxigraph"] = median_seconds(
        lambda: list(ox.parse(path=str(SKELETON), format=ox.RdfFormat.TURTLE)), 5
    )
    results["cold start, shipped graph"] = cold_start([])
    results["cold start, with skeleton"] = cold_start([SKELETON])
    shipped = KnowledgeGraph.load()
    results["validate, shipped graph"] = median_seconds(lambda: validate(shipped), 1)
    both = KnowledgeGraph.load([*resources.graph_files(), SKELETON])
    results["validate, with skeleton"] = median_seconds(lambda: validate(both), 1)

    record = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "load average before": round(load_before, 2),
        "load average after": round(os.getloadavg()[0], 2),
        "results": {k: round(v, 3) if isinstance(v, float) else v for k, v in results.items()},
    }
    out = ROOT / "benchmarks" / "results" / "divisions.json"
    out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for key, value in record["results"].items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
