"""Benchmark the shipped graph: load, validate, query, export, and the CLI end to end.

Each measurement is the median of several runs, next to the bare engine doing
the same work in the same run (pyshacl called directly on the same graphs;
rdflib parsing the same files).  Run with ``make bench``; results go to
benchmarks/results/shipped.json and are printed as a table.  ``--only cold-start``
runs the cold start alone (``sei-kg query`` and ``sei-kg validate`` in fresh
processes, beside bare rdflib) and writes its section into the same file, keeping
the others: every figure the README quotes is in that file.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

RUNS = 7


def median_seconds(func: Callable[[], object], runs: int = RUNS) -> float:
    """Median wall time of ``runs`` calls of ``func``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_seconds(args: list[str], runs: int = 5) -> float:
    """Median wall time of the ``sei-kg`` command, a fresh process each run."""
    exe = Path(sys.executable).with_name("sei-kg")
    return median_seconds(
        lambda: subprocess.run([str(exe), *args], check=False, capture_output=True), runs
    )


BARE_QUERY = """
import sys
from rdflib import Graph
graph = Graph().parse(sys.argv[1], format="turtle")
rows = list(graph.query(open(sys.argv[2], encoding="utf-8").read()))
"""


def cold_start(runs: int = 7) -> dict[str, float]:
    """``sei-kg query`` (``runs`` fresh processes) and ``sei-kg validate`` (5), with and
    without the skeleton of divisions for the query, beside bare rdflib parsing the same
    export and running the same query in a fresh process (the ratio the README states)."""
    import tempfile

    from seikg import resources
    from seikg.formats import RdfFormat
    from seikg.kg import KnowledgeGraph
    from seikg.sparql.catalog import find_query

    query = find_query("share-by-year")
    with tempfile.TemporaryDirectory() as tmp:
        timings: dict[str, float] = {}
        for name, files, args in (
            ("shipped graph", resources.graph_files(), []),
            (
                "with the skeleton of divisions",
                [*resources.graph_files(), resources.reference_files()["divisions"]],
                ["--with", "divisions"],
            ),
        ):
            export = Path(tmp) / "export.ttl"
            export.write_bytes(KnowledgeGraph.load(files).export(RdfFormat.TURTLE))
            # The catalogue query binds ?city to Qingdao; the bare run states it in the text.
            text = query.text.replace("?city", "<https://w3id.org/sei-kg/place/370200>")
            rq = Path(tmp) / "query.rq"
            rq.write_text(text, encoding="utf-8")
            ours = cli_seconds(["query", "share-by-year", "--format", "csv", *args], runs)
            bare = median_seconds(
                lambda export=export, rq=rq: subprocess.run(
                    [sys.executable, "-c", BARE_QUERY, str(export), str(rq)], check=True
                ),
                runs,
            )
            timings[f"sei-kg query share-by-year ({name})"] = ours
            timings[f"bare rdflib: parse the export, same query ({name})"] = bare
            timings[f"ratio query / bare ({name})"] = ours / bare
        timings["sei-kg validate (shipped graph)"] = cli_seconds(["validate"], 5)
        return timings


RESULTS = Path(__file__).with_name("results") / "shipped.json"


def write_results(results: dict[str, dict[str, float]], *, keep_others: bool = False) -> Path:
    """Write the measured sections to benchmarks/results/shipped.json (with ``keep_others``,
    the sections of an earlier run that were not measured now stay as they were)."""
    sections: dict[str, dict[str, float]] = {}
    if keep_others and RESULTS.exists():
        sections = json.loads(RESULTS.read_text())["seconds (median)"]
    sections.update(results)
    out = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "runs": RUNS,
        "seconds (median)": sections,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    for task, values in results.items():
        for engine, seconds in values.items():
            unit = "" if engine.startswith("ratio") else " s"
            print(f"{task:34} {engine:62} {seconds:8.3f}{unit}")
    print(f"written to {RESULTS}")
    return RESULTS


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark (all of it, or the cold start alone) and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["cold-start"], help="run one part and keep the rest")
    args = parser.parse_args(argv)
    if args.only == "cold-start":
        write_results({"cold start, fresh process": cold_start()}, keep_others=True)
        return
    import pyshacl
    from rdflib import Graph

    from seikg import resources
    from seikg.formats import RdfFormat
    from seikg.kg import KnowledgeGraph
    from seikg.validation import validate

    files = [*resources.ontology_files(), *resources.graph_files()]
    results: dict[str, dict[str, float]] = {}

    def bare_parse() -> None:
        graph = Graph()
        for path in files:
            graph.parse(path, format="turtle")

    results["load"] = {
        "sei-kg": median_seconds(KnowledgeGraph.load),
        "bare rdflib parse": median_seconds(bare_parse),
    }

    kg = KnowledgeGraph.load()
    data, shapes = kg.graph, kg.shapes

    def bare_pyshacl() -> None:
        pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )

    results["validate (data and meta shapes)"] = {
        "sei-kg": median_seconds(lambda: validate(kg)),
        "bare pyshacl (data shapes only)": median_seconds(bare_pyshacl, runs=3),
    }
    results["export turtle"] = {
        "sei-kg": median_seconds(lambda: kg.export(RdfFormat.TURTLE)),
        "bare rdflib serialize": median_seconds(lambda: kg.part().serialize(format="turtle")),
    }
    from seikg.views.write import render_view

    results["draw a view"] = {
        f"{view} {fmt}": median_seconds(
            lambda view=view, fmt=fmt: render_view(kg, fmt, view=view), runs=3
        )
        for view, fmt in (
            ("overview", "png"),
            ("overview", "svg"),
            ("full", "png"),
            ("overview", "html"),
        )
    }
    results["networkx projection"] = {
        "overview view": median_seconds(lambda: __import__("seikg.views").views.to_networkx(kg)),
        "full view": median_seconds(
            lambda: __import__("seikg.views").views.to_networkx(kg, view="full")
        ),
    }
    # sei-kg validate and sei-kg query in a fresh process are measured once, in the cold
    # start below (the README quotes those figures).
    results["command line, fresh process"] = {
        "sei-kg export": cli_seconds(["export"]),
        "sei-kg viz -o overview.png": cli_seconds(["viz", "-o", "/tmp/sei-kg-bench-overview.png"]),
        "python -c pass": median_seconds(
            lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 5
        ),
    }
    results["cold start, fresh process"] = cold_start()
    write_results(results)


if __name__ == "__main__":
    main()
