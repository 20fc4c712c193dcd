"""Stores that answer where they are: ``stats`` and sorted N-Triples ``export`` on an
Oxigraph store, against Oxigraph's own dump of the same store, in the same run.

Each measure runs in a child process of its own (so its peak memory, ``ru_maxrss``, is
its own); times are of the work only (the store opened, nothing imported), medians of
RUNS runs.  A synthetic store is generated and loaded once per size.

Usage: python benchmarks/bench_stores.py [--sizes 1e5,1e6] [--store PATH]
(``--store`` measures an existing Oxigraph store instead of generating one.)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

SIZES = {"tiny": (2, 2), "1e5": (100, 5), "1e6": (340, 15)}  # name: (cities, years)
RUNS = 3
MEASURES = ("stats", "export n-triples (sei-kg, sorted)", "pyoxigraph dump n-triples")


def measure(what: str, store: str, target: str) -> dict:
    """One measure in this process: seconds and peak memory (MiB)."""
    import resource
    import time

    import pyoxigraph as ox

    from seikg.formats import RdfFormat
    from seikg.stores import OxigraphStore

    opened = OxigraphStore.read_only(store)
    start = time.perf_counter()
    if what == "stats":
        opened.stats()
    elif what.startswith("export"):
        with open(target, "wb") as out:
            opened.export_to(out, fmt=RdfFormat.NTRIPLES)
    else:
        opened.store.dump(target, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak MiB": round(peak)}


def one_store(store: str, work: Path) -> dict:
    """Every measure, RUNS times each, alternating, in child processes."""
    runs: dict[str, list[dict]] = {m: [] for m in MEASURES}
    for _ in range(RUNS):
        for what in MEASURES:
            done = subprocess.run(
                [sys.executable, __file__, "--one", what, store, str(work / "out.nt")],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            runs[what].append(json.loads(done.stdout.strip().splitlines()[-1]))
    out: dict = {}
    for what, found in runs.items():
        out[what] = {
            "seconds (median)": round(statistics.median(r["seconds"] for r in found), 3),
            "peak MiB (max)": max(r["peak MiB"] for r in found),
        }
    ours = out["export n-triples (sei-kg, sorted)"]["seconds (median)"]
    dump = out["pyoxigraph dump n-triples"]["seconds (median)"]
    out["export / dump"] = round(ours / dump, 2)
    return out


def main() -> None:
    """Generate, load and measure each size (or measure --store); print JSON lines."""
    args = sys.argv[1:]
    if args[:1] == ["--one"]:
        print(json.dumps(measure(*args[1:4])))
        return
    work = Path(tempfile.mkdtemp(prefix="sei-kg-bench-stores-"))
    if args[:1] == ["--store"]:
        print(json.dumps({"store": args[1], **one_store(args[1], work)}, indent=1))
        return
    from seikg.bench.synthetic import generate
    from seikg.guard import LIMITS, Limits
    from seikg.stores import OxigraphStore

    LIMITS.set(Limits(max_input_bytes=8 << 30))
    names = args[1].split(",") if args[:1] == ["--sizes"] else ["1e5", "1e6"]
    for name in names:
        cities, years = SIZES[name]
        data = work / f"{name}.nt"
        generate(data, cities=cities, years=years, seed=7, error_rate=0.01)
        store = work / f"store-{name}"
        OxigraphStore(store).load([data])
        triples = len(OxigraphStore.read_only(store))
        print(json.dumps({"size": name, "triples": triples, **one_store(str(store), work)}))


if __name__ == "__main__":
    main()
