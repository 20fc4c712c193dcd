"""National-scale benchmark: sei-kg on an Oxigraph store against the bare engines, same run.

For each size a synthetic data set is generated (never shipped), then:
load (sei-kg's checked bulk load vs pyoxigraph's bulk_load of the same files),
validate (the shapes translated to SPARQL vs the same queries run bare on
pyoxigraph, one after another and one thread per CPU, and pyshacl run directly
at 10^4), an aggregate query and a point query (the first call of a text, and
repeated calls), export (sorted N-Triples vs Oxigraph's dump) and the networkx
projection.  Then the peers (peers.py): the same shapes on the same files with
TopBraid SHACL and shacl-engine, the same SPARQL on bare pyoxigraph, and sei-kg
itself from files, each in processes of its own, timed from files to report.
Medians of RUNS runs (one run above 500 000 triples); each size runs in its own
process, whose peak memory is reported.  Results are merged into
results/scale.json by size.

Usage: python benchmarks/bench_scale.py [--sizes 1e4,1e5,1e6,county]
           [--peers sei-kg,bare,topbraid,shacl-engine,rdf-validate-shacl | none]
           [--peer-seconds 1800] [--peer-memory-mb N] [--peers-only]
(--peers-only measures validation and the peers, and keeps the other figures of
the size from the last run; SEIKG_BENCH_SKIP_PYSHACL=1 keeps the last pyshacl
figure instead of spending minutes on it again; the record says what was
carried over.)
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

# name: (cities, years); the county sizes: (county-level divisions, None for all; years),
# loaded with the skeleton of divisions and the shipped graph.
SIZES = {
    "tiny": (2, 2),  # the smoke test in make test
    "1e4": (10, 5),
    "1e5": (100, 5),
    "1e6": (340, 15),
    "largest": (882, 30),
    "county-smoke": (12, 10),  # the county level's smoke test (slow tests)
    "county": (None, 30),  # every county-level division: about 17 million triples
}
ERROR_RATES = {"tiny": 1.0}  # the smoke test injects every kind; the others one figure in 100
RUNS = 3
BIG = 2_000_000  # above this, validation runs once and the rules are not also run whole
QUERY_RUNS = 7  # queries are quick: more runs at every size

AGGREGATE = """PREFIX sei: <https://w3id.org/sei-kg/ontology#>
PREFIX ind: <https://w3id.org/sei-kg/indicator/>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
SELECT ?province ?year (AVG(?share) AS ?meanShare) (COUNT(?obs) AS ?cities) WHERE {
  ?obs sei:indicator ind:industry-share ; sdmx-dimension:refArea ?city ;
       sdmx-dimension:refPeriod ?year ; sdmx-measure:obsValue ?share .
  ?city sei:locatedIn ?province .
} GROUP BY ?province ?year ORDER BY ?province ?year"""

POINT = """PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sei: <https://w3id.org/sei-kg/ontology#>
SELECT ?obs ?indicator ?value WHERE {
  ?obs sdmx-dimension:refArea <https://w3id.org/sei-kg/place/910100> ;
       sdmx-dimension:refPeriod "2007"^^<http://www.w3.org/2001/XMLSchema#gYear> ;
       sei:indicator ?indicator ; sdmx-measure:obsValue ?value .
}"""


def median(func, runs: int = RUNS) -> float:
    """Median wall time of ``runs`` calls (the same measure as bench_shipped.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_shipped import median_seconds

    return median_seconds(func, runs)


def one_size(name: str, *, peers: Any = None, only_peers: bool = False) -> dict:
    """Measure one size (run in its own process); ``peers`` (peers.Options) also runs the
    peers, and ``only_peers`` leaves out the load, query, export and projection figures."""
    import networkx as nx
    import pyoxigraph as ox

    from seikg import resources
    from seikg.bench.synthetic import generate, generate_counties
    from seikg.formats import RdfFormat
    from seikg.guard import LIMITS, Limits
    from seikg.kg import KnowledgeGraph
    from seikg.stores import OxigraphStore
    from seikg.validation.translate import translate_shapes

    cities, years = SIZES[name]
    level = "county" if name.startswith("county") else "city"
    LIMITS.set(Limits(max_input_bytes=8 << 30))  # the county file is about 3 GB
    work = Path(tempfile.mkdtemp(prefix=f"sei-kg-bench-{name}-"))
    data = work / "synthetic.nt"
    rate = ERROR_RATES.get(name, 0.01)
    files = [data]  # made-up cities come with their places; counties lie in the real skeleton
    if level == "county":
        made = generate_counties(data, divisions=cities, years=years, seed=7, error_rate=rate)
        files = [*resources.graph_files(), resources.reference_files()["divisions"], data]
    else:
        made = generate(data, cities=cities, years=years, seed=7, error_rate=rate)
    truth = {(i["rule"], i["focus"]) for i in made.injected}
    out: dict = {"size": name, "cities": cities, "years": years, "data triples": made.triples}
    out["level"] = level
    counter = iter(range(10**6))

    def fresh() -> Path:
        path = work / f"store-{next(counter)}"
        return path

    loaded: list[Path] = []

    def ours_load() -> None:
        loaded.append(fresh())
        OxigraphStore(loaded[-1]).load(files)

    def bare_load() -> None:  # the same files: the ontology and the data
        bare = ox.Store(str(fresh()))
        for path in resources.ontology_files():
            bare.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        for path in files:
            bare.bulk_load(path=str(path), format=RdfFormat.from_path(path).oxigraph)

    runs = RUNS if made.triples < 500_000 else 1
    if not only_peers:
        out["load"] = {
            "sei-kg": median(ours_load, runs),
            "pyoxigraph bulk_load": median(bare_load, runs),
        }
    shapes = _shapes()  # the store's shapes, and the file the peers read
    if loaded:  # the store sei-kg loaded last: loading a large set again takes minutes
        gc.collect()
        store = OxigraphStore(loaded[-1], shapes=shapes, create=False)
    else:
        store = OxigraphStore(fresh(), shapes=shapes)
        store.load(files)
    out["store triples"] = len(store)
    checks = [c.query for c in translate_shapes(shapes)]

    def ours_validate():
        return store.validate(meta=False)

    def bare_validate() -> None:
        for query in checks:
            list(store.store.query(query))

    def bare_validate_threads() -> None:
        with ThreadPoolExecutor(os.cpu_count()) as pool:
            list(pool.map(lambda q: list(store.store.query(q)), checks))

    began = time.perf_counter()
    report, ran = _recording_texts(store, ours_validate)
    first_validate = time.perf_counter() - began
    found = report.broken()

    def bare_ran_texts() -> None:  # the very texts sei-kg ran, grouped ones included
        with ThreadPoolExecutor(os.cpu_count()) as pool:
            list(pool.map(lambda q: list(store.store.query(q)), ran))

    big = made.triples > BIG
    out["validate"] = {  # one run at the largest sizes: the first, which noted the texts
        "sei-kg": first_validate if big else median(ours_validate, runs),
        "the texts sei-kg runs, bare pyoxigraph, one thread per CPU": median(bare_ran_texts, runs),
    }
    if not big:  # the rules run whole, as they were before they were grouped
        out["validate"]["same SPARQL, bare pyoxigraph, one after another"] = median(
            bare_validate, runs
        )
        out["validate"]["same SPARQL, bare pyoxigraph, one thread per CPU"] = median(
            bare_validate_threads, runs
        )
    out["injected"] = len(truth)
    out["found exactly the injected"] = found == truth
    if peers is not None:
        from peers import Reference, run_peers, write_inputs

        options = dataclasses.replace(peers, runs=min(peers.runs, runs))
        inputs = write_inputs(work / "peers", files, shapes)
        out["peers"] = run_peers(
            inputs,
            Reference(truth, report, store, shapes),
            options,
            seikg_validate=out["validate"]["sei-kg"],
        )
    if only_peers:
        shutil.rmtree(work, ignore_errors=True)
        return out

    def first_call(text: str) -> float:
        """One run of a text sei-kg has not seen yet: parsing and inspecting it included."""
        from seikg.sparql.policy import _prepare

        _prepare.cache_clear()
        return median(lambda: store.query(text), 1)

    point = POINT if level == "city" else POINT.replace("place/910100", "place/370211")
    for label, text in (("aggregate query", AGGREGATE), ("point query", point)):
        out[label] = {
            "sei-kg, first call of the text": first_call(text),
            "sei-kg": median(lambda text=text: store.query(text), QUERY_RUNS),
            "bare pyoxigraph": median(lambda text=text: list(store.store.query(text)), QUERY_RUNS),
        }
    exported = work / "export.nt"

    def ours_export() -> None:
        with exported.open("wb") as sink:
            store.export_to(sink, fmt=RdfFormat.NTRIPLES)

    out["export n-triples"] = {  # both written to a file: the export streams, in bounded memory
        "sei-kg (sorted)": median(ours_export, runs),
        "pyoxigraph dump": median(
            lambda: store.store.dump(
                str(exported), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()
            ),
            runs,
        ),
    }
    from seikg.views.kinds import Focus
    from seikg.views.projection import to_networkx
    from seikg.views.source import _CITY_FIGURES, _NO_FIGURES, view_source

    # a made-up city, or at the county level Qingdao (the shipped graph's city, with its figures)
    city = f"https://w3id.org/sei-kg/place/{'910100' if level == 'city' else '370200'}"

    def ours_city_view() -> None:
        to_networkx(view_source(KnowledgeGraph(store), "city", Focus(city=city)), view="city",
                    city=city)  # fmt: skip

    def bare_city_view() -> None:  # the same two CONSTRUCTs, every IRI-to-IRI triple an edge
        graph = nx.MultiDiGraph()
        bound = _CITY_FIGURES.replace("?city", f"<{city}>")
        for text in (_NO_FIGURES, bound):
            for t in store.store.query(text):
                if isinstance(t.object, ox.NamedNode):
                    graph.add_edge(t.subject.value, t.object.value, key=t.predicate.value)

    out["city view (networkx), from the store"] = {
        "sei-kg": median(ours_city_view, runs),
        "bare: the same CONSTRUCTs as edges": median(bare_city_view, runs),
    }
    out["stats"] = {"sei-kg": median(store.stats, runs)}
    if name == "1e4" and not os.environ.get("SEIKG_BENCH_SKIP_PYSHACL"):
        import pyshacl

        kg = KnowledgeGraph.load([data])
        graph, shapes = kg.graph, kg.shapes
        out["pyshacl directly (data shapes, in memory)"] = median(
            lambda: pyshacl.validate(
                graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
            ),
            1,
        )
    shutil.rmtree(work, ignore_errors=True)
    return out


def _recording_texts(store: Any, validate: Any) -> tuple[Any, list[str]]:
    """Validate once, noting every text the store runs as it runs it (grouped checks with
    their area bound); the report and the texts."""
    from seikg.stores.convert import lateral

    texts: list[str] = []
    run = store._run

    def recording(text: str, form: str, bindings: Any = None) -> Any:
        texts.append(lateral(text, bindings) if bindings else text)
        return run(text, form, bindings)

    store._run = recording
    try:
        return validate(), texts
    finally:
        del store._run


def _shapes():
    from seikg import resources
    from seikg.rdf.parsing import parse_files

    return parse_files(resources.shapes_files())


def main() -> None:
    """Run every size in its own process; write results/scale.json and print a table."""
    args = _arguments()
    if args.one:
        result = one_size(args.one, peers=_peer_options(args), only_peers=args.peers_only)
        result["peak memory (MiB)"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        )
        print(json.dumps(result))
        return
    results = []
    passed = ["--peers", args.peers, "--peer-seconds", str(args.peer_seconds)]
    passed += ["--peer-memory-mb", str(args.peer_memory_mb)]
    passed += ["--peers-only"] if args.peers_only else []
    for name in args.sizes.split(","):
        done = subprocess.run(
            [sys.executable, __file__, "--one", name, *passed], capture_output=True, text=True
        )
        if done.returncode != 0:
            sys.exit(f"size {name} failed:\n{done.stderr}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1], indent=1), flush=True)
    target = Path(__file__).with_name("results") / "scale.json"
    target.parent.mkdir(exist_ok=True)
    kept = json.loads(target.read_text()) if target.exists() else []
    merged = {r["size"]: r for r in kept}  # sizes not run this time keep their last results
    for new in results:
        if new["size"] == "tiny":
            continue
        old = merged.get(new["size"], {})
        skipped = [k for k in old if k not in new and k != "carried over from an earlier run"]
        if skipped:  # measured earlier, skipped this time (--peers-only, SEIKG_BENCH_SKIP_PYSHACL)
            new.update({k: old[k] for k in skipped})
            new["carried over from an earlier run"] = skipped
        merged[new["size"]] = new
    ordered = [merged[name] for name in SIZES if name in merged]
    target.write_text(json.dumps(ordered, indent=2) + "\n")
    print(f"written to {target}")
    from peers import table

    for result in results:
        if "peers" in result:
            print(table(result))


def _arguments() -> argparse.Namespace:
    from peers import PEER_KEYS, Limits

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="sizes, comma-separated")
    parser.add_argument("--one", choices=list(SIZES), help=argparse.SUPPRESS)
    parser.add_argument(
        "--peers",
        default=",".join(PEER_KEYS),
        help=f"peers to run, comma-separated, of {', '.join(PEER_KEYS)}; or none",
    )
    parser.add_argument("--peer-seconds", type=float, default=Limits().seconds)
    parser.add_argument("--peer-memory-mb", type=int, default=Limits().memory_mb)
    parser.add_argument("--peers-only", action="store_true")
    args = parser.parse_args()
    unknown = set(args.peers.split(",")) - {*PEER_KEYS, "none"}
    if unknown:
        parser.error(f"unknown peers: {', '.join(sorted(unknown))}")
    return args


def _peer_options(args: argparse.Namespace) -> Any:
    from peers import Limits, Options

    if args.peers == "none":
        return None
    limits = Limits(args.peer_seconds, args.peer_memory_mb)
    return Options(tuple(args.peers.split(",")), limits, RUNS)


if __name__ == "__main__":
    main()
