"""The peers of sei-kg's validation, run in the same benchmark on the same data and shapes.

Each peer reads files and runs in a process of its own, started afresh for every run (a new
JVM, a new node), the way a user runs it:

- **sei-kg from files**: ``sei-kg load`` into a new Oxigraph store, then ``sei-kg validate``
  on it (two processes; the validation includes the ontology's meta-shapes, a fraction of a
  second, which the peers do not run);
- **bare pyoxigraph from files**: a new store bulk-loaded with the same files, then the same
  SPARQL sei-kg's validation runs (the shapes as translated by
  :mod:`seikg.validation.translate`), one thread per CPU, in this file's ``--bare`` mode;
- **TopBraid SHACL** (Jena) through tests/engines/TopBraidBatch.java, which validates as
  TopBraid's own command line does;
- **shacl-engine** (RDF/JS, with its SHACL-SPARQL plugin) through
  tests/engines/run-shacl-engine.mjs;
- **rdf-validate-shacl** (RDF/JS), which implements SHACL Core only and stops at the
  shapes' first ``sh:sparql``: it is run to show that it still cannot, not timed.

The SHACL engines read one data file (the ontology and the data, as N-Triples, the fastest
form for Jena and N3.js) and one shapes file (the data shapes, ``resources.shapes_files()``,
as N-Triples, blank node labels kept so that a result names its shape).  They are installed
and found by tests/engines/install.py, as for the engine test.

Every run has a time limit and a memory limit: a peer over either is stopped and reported
as "did not finish in N s" or "out of memory", never a failure of the benchmark.  Wall time
includes starting the process and reading the files; a runner also says how long reading
and validating took.  Peak memory is the child's (and its own children's) maximum resident
set, from ``wait4``.

What a peer found is compared with the injected inconsistencies as sei-kg's own report is:
the (rule, focus node) pairs of its violations, the rule being the nearest named shape of
the result's source shape.  Where an engine differs, the differences that
tests/engines/differences.py lists for it (the list the engine test checks) are applied to
its results against sei-kg's report, and the report says which difference accounts for
which missing or extra pair, and what is left unexplained.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from judging import VIOLATION, Pair, Reference, engines_module, judge
from limited import Limits, Outcome, run_process

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SLOW_RUN = 120.0  # seconds: a peer run that takes longer is not repeated


# ---------------------------------------------------------------------------
# The files every peer reads


@dataclass
class Inputs:
    """The files of one size, and the shapes graph they were written from."""

    folder: Path
    data: list[Path]  # the data files (what sei-kg loads; it adds the ontology itself)
    ontology: list[Path]  # the ontology files as shipped (bare pyoxigraph loads them too)
    combined: Path  # ontology and data as one N-Triples file (what the SHACL engines read)
    shapes_file: Path  # the data shapes as one N-Triples file
    checks: Path  # the shapes as SPARQL, with the rule of each (what bare pyoxigraph runs)
    shapes: Any  # the rdflib graph of the shapes


def write_inputs(folder: Path, data: list[Path], shapes: Any) -> Inputs:
    """Write the files the peers read into ``folder``: ``data`` are the files of the size
    (the synthetic N-Triples, and at the county level the shipped graph and the skeleton of
    divisions), ``shapes`` the data shapes."""
    from seikg import resources
    from seikg.rdf.parsing import parse_files
    from seikg.validation.rules import ShapeNames
    from seikg.validation.translate import translate_shapes

    folder.mkdir(parents=True, exist_ok=True)
    shapes_file = folder / "shapes.nt"
    shapes.serialize(destination=shapes_file, format="nt", encoding="utf-8")
    # One N-Triples file: the ontology and the files that are not N-Triples as rdflib writes
    # them (fresh blank node labels), then the N-Triples files as they are.
    parsed = folder / "ontology-and-small-files.nt"
    small = [p for p in data if p.suffix != ".nt"]
    parse_files([*resources.ontology_files(), *small]).serialize(
        destination=parsed, format="nt", encoding="utf-8"
    )
    combined = folder / "ontology-and-data.nt"
    with combined.open("wb") as sink:
        for part in (parsed, *(p for p in data if p.suffix == ".nt")):
            with part.open("rb") as source:
                shutil.copyfileobj(source, sink, 1 << 20)
    parsed.unlink()
    names = ShapeNames(shapes)
    checks = folder / "checks.json"
    checks.write_text(
        json.dumps(
            [
                {
                    "rule": names.name(names.rule_of(c.source_shape)),
                    "severity": str(c.severity),
                    "query": c.query,
                }
                for c in translate_shapes(shapes)
            ]
        ),
        encoding="utf-8",
    )
    return Inputs(folder, data, resources.ontology_files(), combined, shapes_file, checks, shapes)


# ---------------------------------------------------------------------------
# The peers


class Unavailable(RuntimeError):
    """A peer cannot run here (not installed); the message says why."""


@dataclass
class Found:
    """What one run of a peer found: pairs, the runner's own results (SHACL engines), phases."""

    pairs: set[Pair]
    results: list[dict[str, Any]] | None = None
    phases: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Peer:
    """A peer: how to run it once on the inputs, and whether it runs the same shapes."""

    key: str  # short name, for --peers
    label: str
    engine: str | None  # its name in tests/engines/differences.py, if it has differences
    same_shapes: bool  # a SHACL engine running the shapes themselves
    run: Callable[[Inputs, Limits, Path], tuple[list[Outcome], Found | None, str | None]]


def _child_env() -> dict[str, str]:
    """The environment of a Python child: this checkout's sources first."""
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


def _run_seikg(inputs: Inputs, limits: Limits, work: Path) -> tuple[list, Found | None, str | None]:
    script = Path(sys.executable).parent / "sei-kg"
    seikg = [str(script)] if script.is_file() else [sys.executable, "-m", "seikg.cli"]
    store = work / "seikg-store"
    report = work / "seikg-report.json"
    shutil.rmtree(store, ignore_errors=True)
    report.unlink(missing_ok=True)
    common = [*seikg, "--max-input-mb", "65536", "--max-memory-mb", str(limits.memory_mb)]
    load = run_process(
        [*common, "load", "--store", f"oxigraph:{store}", "--timeout", f"{limits.seconds:g}",
         *(str(p) for p in inputs.data)],
        limits=limits, env=_child_env(),
    )  # fmt: skip
    if load.stopped or load.returncode != 0:
        return [load], None, load.stopped or f"sei-kg load failed ({load.returncode})"
    left = Limits(max(1.0, limits.seconds - load.seconds), limits.memory_mb)
    check = run_process(
        [*common, "validate", "--store", f"oxigraph:{store}", "--format", "json",
         "-o", str(report), "--timeout", f"{left.seconds:g}"],
        limits=left, env=_child_env(),
    )  # fmt: skip
    shutil.rmtree(store, ignore_errors=True)
    if check.stopped or check.returncode not in (0, 1):  # 1: the data breaks a rule
        return [load, check], None, check.stopped or f"sei-kg validate failed ({check.returncode})"
    results = json.loads(report.read_text(encoding="utf-8"))["results"]
    pairs = {(r["rule_id"], r["focus_node"]) for r in results if r["severity"] == "Violation"}
    phases = {"load": load.seconds, "validate": check.seconds}
    return [load, check], Found(pairs, phases=phases), None


def _run_bare(inputs: Inputs, limits: Limits, work: Path) -> tuple[list, Found | None, str | None]:
    store = work / "bare-store"
    shutil.rmtree(store, ignore_errors=True)
    files = [str(p) for p in (*inputs.ontology, *inputs.data)]
    done = run_process(
        [sys.executable, __file__, "--bare", str(store), str(inputs.checks), *files],
        limits=limits,
        env=_child_env(),
    )
    shutil.rmtree(store, ignore_errors=True)
    if done.stopped or done.returncode != 0:
        return [done], None, done.stopped or f"failed ({done.returncode}): {done.stderr[-500:]}"
    answer = json.loads(done.stdout)
    return [done], Found({tuple(p) for p in answer["pairs"]}, phases=answer["seconds"]), None


def _runner_output(done: Outcome) -> tuple[Found | None, str | None]:
    """The one JSON line a runner of tests/engines prints for the one case it is given."""
    if done.stopped:
        return None, done.stopped
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or len(lines) != 1:
        return None, f"the runner failed ({done.returncode}): {done.stderr.strip()[-1500:]}"
    line = json.loads(lines[0])
    if "error" in line:
        return None, line["error"].splitlines()[0]
    return Found(set(), results=line["results"], phases=line.get("seconds", {})), None


def _run_topbraid(
    inputs: Inputs, limits: Limits, work: Path
) -> tuple[list, Found | None, str | None]:
    install = engines_module("install")
    try:
        topbraid = install.install_topbraid()
    except install.Unavailable as exc:
        raise Unavailable(str(exc)) from exc
    manifest = work / "topbraid.tsv"
    manifest.write_text(f"run\t{inputs.combined}\t{inputs.shapes_file}\n", encoding="utf-8")
    # The JVM's heap may take the memory limit (its default is a quarter of the machine's).
    done = run_process(topbraid.batch(manifest, heap_mb=limits.memory_mb), limits=limits)
    return [done], *_runner_output(done)


def _rdfjs(engine: str) -> Callable[[Inputs, Limits, Path], tuple[list, Found | None, str | None]]:
    def run(inputs: Inputs, limits: Limits, work: Path) -> tuple[list, Found | None, str | None]:
        install = engines_module("install")
        try:
            node = install.install_node_engines()
        except install.Unavailable as exc:
            raise Unavailable(str(exc)) from exc
        manifest = work / f"{engine}.json"
        case = {"id": "run", "data": str(inputs.combined), "shapes": str(inputs.shapes_file)}
        manifest.write_text(json.dumps([case]), encoding="utf-8")
        command = install.rdfjs_command(node, engine, manifest, heap_mb=limits.memory_mb)
        done = run_process(command, limits=limits)
        return [done], *_runner_output(done)

    return run


def peers() -> list[Peer]:
    """Every peer, in the order they run."""
    install = engines_module("install")
    return [
        Peer("sei-kg", "sei-kg from files (sei-kg load, then sei-kg validate)", None, False,
             _run_seikg),
        Peer("bare", "bare pyoxigraph from files (bulk_load, the same SPARQL)", None, False,
             _run_bare),
        Peer("topbraid", f"TopBraid SHACL {install.TOPBRAID_VERSION}", "topbraid", True,
             _run_topbraid),
        Peer("shacl-engine", f"shacl-engine {install.npm_version('shacl-engine')}",
             "shacl-engine", True, _rdfjs("shacl-engine")),
        Peer("rdf-validate-shacl",
             f"rdf-validate-shacl {install.npm_version('rdf-validate-shacl')}",
             "rdf-validate-shacl", True, _rdfjs("rdf-validate-shacl")),
    ]  # fmt: skip


PEER_KEYS = ("sei-kg", "bare", "topbraid", "shacl-engine", "rdf-validate-shacl")


# ---------------------------------------------------------------------------
# Running every peer on one size


@dataclass(frozen=True)
class Options:
    """Which peers run, with which limits, how many times."""

    which: tuple[str, ...] = PEER_KEYS
    limits: Limits = field(default_factory=Limits)
    runs: int = 3


def run_peers(
    inputs: Inputs, reference: Reference, options: Options, *, seikg_validate: float | None
) -> dict[str, Any]:
    """Run each chosen peer (up to ``options.runs`` times, once if a run takes over
    SLOW_RUN s); its median time, phases, peak memory and what it found, judged; and the
    ratios to sei-kg."""
    work = inputs.folder / "peer-runs"
    work.mkdir(exist_ok=True)
    out: dict[str, Any] = {
        "limits": {"seconds": options.limits.seconds, "memory (MiB)": options.limits.memory_mb},
    }
    for peer in peers():
        if peer.key not in options.which:
            continue
        began = time.monotonic()
        out[peer.label] = _one_peer(peer, inputs, reference, options, work)
        out[peer.label]["benchmark time, every run (s)"] = round(time.monotonic() - began, 1)
    out["ratios"] = ratios(out, seikg_validate)
    shutil.rmtree(work, ignore_errors=True)
    return out


def _one_peer(
    peer: Peer, inputs: Inputs, reference: Reference, options: Options, work: Path
) -> dict[str, Any]:
    entry: dict[str, Any] = {"runs the same shapes": peer.same_shapes}
    times: list[float] = []
    cpu: list[float] = []
    peaks: list[float] = []
    phases: list[dict[str, float]] = []
    first: Found | None = None
    for _ in range(1 if peer.key == "rdf-validate-shacl" else options.runs):
        try:
            outcomes, found, failure = peer.run(inputs, options.limits, work)
        except Unavailable as exc:
            entry["status"] = f"not installed here: {exc}"
            return entry
        peaks.append(max(o.peak_mib for o in outcomes))
        if failure is not None:
            entry.update(_failure(peer, failure, outcomes))
            entry["peak memory (MiB)"] = round(max(peaks))
            return entry
        assert found is not None
        times.append(sum(o.seconds for o in outcomes))
        cpu.append(sum(o.cpu_seconds for o in outcomes))
        phases.append(found.phases)
        first = first or found
        if times[-1] > SLOW_RUN:
            break
    assert first is not None
    if peer.key == "rdf-validate-shacl":  # it ran the shapes whole: it is now SHACL-SPARQL
        entry["note"] = "rdf-validate-shacl ran the shapes: update the expected failure"
    entry["status"] = "ran"
    entry["seconds"] = statistics.median(times)
    entry["runs"] = len(times)
    entry["each run (s)"] = [round(t, 3) for t in times]
    entry["CPU seconds, median"] = statistics.median(cpu)
    if phases and phases[0]:
        entry["phases (s), median"] = {
            k: statistics.median(p[k] for p in phases if k in p) for k in phases[0]
        }
    entry["peak memory (MiB)"] = round(max(peaks))
    entry.update(judge(first.pairs, reference, results=first.results, engine=peer.engine))
    return entry


def _failure(peer: Peer, failure: str, outcomes: list[Outcome]) -> dict[str, Any]:
    expected = engines_module("differences").EXPECTED_FAILURES.get((peer.key, "shipped"))
    if expected is not None and expected in failure:
        return {
            "status": "cannot run the same shapes: it implements SHACL Core only and stops "
            f"at the first sh:sparql ({failure})",
            "runs the same shapes": False,
        }
    status = (
        failure
        if failure.startswith(("did not finish", "out of memory"))
        else (f"failed: {failure}")
    )
    return {
        "status": status,
        "seconds until stopped": round(sum(o.seconds for o in outcomes), 1),
        "CPU seconds until stopped": round(sum(o.cpu_seconds for o in outcomes), 1),
    }


def ratios(out: dict[str, Any], seikg_validate: float | None) -> dict[str, Any]:
    """Each peer's time over sei-kg's: from files over sei-kg from files, and its own
    validating phase over sei-kg's validation of the loaded store; the fastest peer that
    runs the same shapes, against the target (2x)."""
    ours = next((v for k, v in out.items() if k.startswith("sei-kg from files")), None)
    from_files = ours.get("seconds") if isinstance(ours, dict) else None
    result: dict[str, Any] = {
        "sei-kg from files (s)": from_files,
        "sei-kg validate on the loaded store (s)": seikg_validate,
    }
    best = None
    for label, entry in out.items():
        if not isinstance(entry, dict) or "runs the same shapes" not in entry:
            continue
        if label.startswith("sei-kg") or entry.get("status") != "ran":
            continue
        mine: dict[str, Any] = {}
        if from_files:
            mine["over sei-kg from files"] = round(entry["seconds"] / from_files, 2)
        validating = entry.get("phases (s), median", {}).get("validate")
        if validating is not None and seikg_validate:
            mine["its validating phase over sei-kg on the loaded store"] = round(
                validating / seikg_validate, 2
            )
        result[label] = mine
        if entry["runs the same shapes"] and (best is None or entry["seconds"] < best[1]):
            best = (label, entry["seconds"])
    unfinished = {
        label: e["status"]
        for label, e in out.items()
        if isinstance(e, dict) and e.get("runs the same shapes") and e.get("status") != "ran"
    }
    if best is not None and from_files:
        result["fastest peer running the same shapes"] = best[0]
        result["it over sei-kg from files"] = round(best[1] / from_files, 2)
    if unfinished:
        result["peers running the same shapes that gave no time"] = unfinished
    timed_out = [s for s in unfinished.values() if s.startswith("did not finish")]
    if best is None and from_files and timed_out and len(timed_out) == len(unfinished):
        # None finished within the time limit: each took longer than that.
        result["the fastest peer running the same shapes over sei-kg from files, at least"] = round(
            out["limits"]["seconds"] / from_files, 1
        )
    return result


def table(result: dict[str, Any]) -> str:
    """The peers of one size (a result of bench_scale.one_size) as a text table."""
    peers = result["peers"]
    from_files = peers["ratios"].get("sei-kg from files (s)")
    on_store = result["validate"]["sei-kg"]
    rows = [
        ("peer", "files to report", "CPU", "x sei-kg", "validating", "x sei-kg", "peak MiB",
         "found exactly the injected"),
        ("sei-kg, validate on the loaded store", "", "", "", _s(on_store), "1.00x", "",
         _yes(result["found exactly the injected"])),
    ]  # fmt: skip
    for label, entry in peers.items():
        if not isinstance(entry, dict) or "runs the same shapes" not in entry:
            continue
        memory = f"{entry['peak memory (MiB)']:,}" if "peak memory (MiB)" in entry else ""
        if entry.get("status") != "ran":
            status = entry.get("status", "")
            limit = _s(peers["limits"]["seconds"])
            wall = f"> {limit}" if status.startswith("did not finish") else "-"
            cpu = _s(entry.get("CPU seconds until stopped"))
            rows.append((label, wall, cpu, "", "", "", memory, status[:100]))
            continue
        found = _yes(entry["found exactly the injected"])
        if not entry["found exactly the injected"]:
            aside = entry["found exactly the injected, known engine differences aside"]
            found += f" ({entry['missing']} missing, {entry['extra']} extra: "
            found += "all known engine differences" if aside else "not all explained"
            found += (
                ", as sei-kg's report)" if entry.get("same violations as sei-kg's report") else ")"
            )
        validating = entry.get("phases (s), median", {}).get("validate")
        rows.append(
            (label, _s(entry["seconds"]), _s(entry.get("CPU seconds, median")),
             _x(entry["seconds"], from_files), _s(validating),
             _x(validating, on_store), memory, found)
        )  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    head = f"size {result['size']}: {result['store triples']:,} triples in the store, "
    head += f"{result['injected']} injected inconsistencies"
    return "\n".join(
        [head] + ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    )


def _s(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds:.3g} s" if seconds < 100 else f"{seconds:,.0f} s"


def _x(seconds: float | None, ours: float | None) -> str:
    return f"{seconds / ours:.2f}x" if seconds is not None and ours else ""


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


# ---------------------------------------------------------------------------
# --bare: the same SPARQL on a bare pyoxigraph store, in a process of its own


def bare_main(store_path: str, checks_path: str, files: list[str]) -> None:
    """Bulk-load ``files`` into a new store, run every check, one thread per CPU; print the
    (rule, focus) pairs of the violations and the seconds of each phase, as JSON."""
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph as ox

    start = time.perf_counter()
    store = ox.Store(store_path)
    for path in files:
        store.bulk_load(path=path, format=ox.RdfFormat.from_extension(Path(path).suffix[1:]))
    loaded = time.perf_counter()
    checks = json.loads(Path(checks_path).read_text(encoding="utf-8"))

    def focus_nodes(query: str) -> list[str]:
        return [_text(solution["this"]) for solution in store.query(query)]

    with ThreadPoolExecutor(os.cpu_count()) as pool:
        answers = list(pool.map(focus_nodes, [c["query"] for c in checks]))
    pairs = {
        (c["rule"], focus)
        for c, found in zip(checks, answers, strict=True)
        if c["severity"] == VIOLATION
        for focus in found
    }
    seconds = {"load": loaded - start, "validate": time.perf_counter() - loaded}
    print(json.dumps({"pairs": sorted(pairs), "seconds": seconds}))


def _text(term: Any) -> str:
    import pyoxigraph as ox

    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--bare":
        bare_main(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit("usage: peers.py --bare STORE CHECKS.json FILE... (bench_scale.py runs it)")
