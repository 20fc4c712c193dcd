"""Ingest benchmark: 100,000 synthetic figure rows into an Oxigraph store, against a bare load.

The rows are made up at run time (never shipped): made-up cities typed
sei:Synthetic in provinces 91-99, which GB/T 2260 does not assign, over 25
years, eight figures each.  Measured, each in a fresh store that holds the
ontology and the places:

* ``sei-kg ingest`` of the CSV files (read, resolve, convert, load, run every
  rule on the store, keep or undo), with its rich progress bar on stderr;
* the bare load of the same observations as N-Triples (``sei-kg load``'s
  ``store.load``), the baseline;
* a failed ingest of the same size (one share of 130 percent at the end),
  and that the store is as it was afterwards.

Usage: python benchmarks/bench_ingest.py [--rows 100000]; results go to
benchmarks/results/ingest.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

INDICATORS = (  # (indicator, scope, unit, low, high, decimals): no rule relates these to each other
    ("IND01", "SEI", "percent", 5, 60, 1),
    ("IND03", "SEI-MFG", "percent", -3, 15, 1),
    ("IND03", "IADS", "percent", -3, 12, 1),
    ("IND05", "SEI", "percent", 10, 45, 1),
    ("IND06", "SEI", "percent", -5, 35, 1),
    ("IND06", "HTM", "percent", -5, 35, 1),
    ("IND06", "UPG", "percent", -5, 35, 1),
    ("IND08", "SEI", "number", 10, 900, 0),
)
FIRST_YEAR = 1995
YEARS = 25


def places(path: Path, cities: int) -> None:
    """Made-up provinces and cities, in the model of graph/places.ttl, typed sei:Synthetic."""
    from seikg.bench.synthetic import _cjk

    sei = "https://w3id.org/sei-kg/ontology#"
    place = "https://w3id.org/sei-kg/place/"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    a = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines = [
        f"<{place}synthetic-country> {a} <{sei}Country> .",
        f'<{place}synthetic-country> {label} "Synthetic country"@en .',
        f'<{place}synthetic-country> {label} "合成国家"@zh .',
    ]
    for code in range(91, 100):
        p = f"<{place}{code}0000>"
        lines += [
            f"{p} {a} <{sei}Province> .", f"{p} {a} <{sei}Synthetic> .",
            f'{p} {label} "Synthetic province {code}"@en .', f'{p} {label} "合成省{_cjk(code)}"@zh .',
            f'{p} <{sei}divisionCode> "{code}0000" .', f"{p} <{sei}locatedIn> <{place}synthetic-country> .",
        ]  # fmt: skip
    for index in range(cities):
        province = 91 + index // 99
        code = f"{province}{index % 99 + 1:02d}00"
        c = f"<{place}{code}>"
        lines += [
            f"{c} {a} <{sei}City> .", f"{c} {a} <{sei}Synthetic> .",
            f'{c} {label} "Synthetic city {code}"@en .', f'{c} {label} "合成市{_cjk(index)}"@zh .',
            f'{c} <{sei}divisionCode> "{code}" .', f"{c} <{sei}locatedIn> <{place}{province}0000> .",
        ]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def rows(folder: Path, count: int, *, bad: bool = False) -> list[Path]:
    """The filled-in templates: ``count`` figure rows and one source."""
    from seikg.ingest.schema import template

    rng = random.Random(0)
    cities = -(-count // (len(INDICATORS) * YEARS))
    figures = folder / "figures.csv"
    columns = [c.name for c in template("figures").columns]
    with open(figures, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        written = 0
        for index in range(cities):
            code = f"{91 + index // 99}{index % 99 + 1:02d}00"
            for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
                for indicator, scope, unit, low, high, decimals in INDICATORS:
                    if written == count:
                        break
                    value = f"{rng.uniform(low, high):.{decimals}f}"
                    if bad and written == count - 1:
                        indicator, scope, unit, value = "IND01", "SEI", "percent", "130.0"
                    cells = {
                        "area": code, "year": str(year), "indicator": indicator, "scope": scope,
                        "value": value, "unit": unit, "precision": "1" if decimals == 0 else "0.1",
                        "source": "synthetic-bench", "paragraph": str(1 + written % 40),
                    }  # fmt: skip
                    writer.writerow([cells.get(c, "") for c in columns])
                    written += 1
    sources = folder / "sources.csv"
    source_columns = [c.name for c in template("sources").columns]
    with open(sources, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(source_columns)
        source = {
            "id": "synthetic-bench",
            "title": "Synthetic benchmark source (not a real document)",
            "publisher": "sei-kg benchmark",
            "date": f"{FIRST_YEAR + YEARS}-06-30",
            "note": "SYNTHETIC DATA for benchmarks; every figure is made up.",
        }
        writer.writerow([source.get(c, "") for c in source_columns])
    return [figures, sources]


def fresh_store(folder: Path, places_file: Path) -> str:
    """A new Oxigraph store holding the ontology and the made-up places."""
    from seikg.stores import open_store

    name = f"oxigraph:{folder}"
    store = open_store(name, create=True)
    store.load([places_file])
    del store
    return name


def main() -> None:
    """Run the three measurements and write results/ingest.json."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    from seikg.errors import SeiKgError
    from seikg.guard import LIMITS, Limits
    from seikg.ingest import ingest
    from seikg.ingest.command import _progress
    from seikg.stores import open_store

    LIMITS.set(Limits(4 * 1024**3, 64, 100_000))
    work = Path(tempfile.mkdtemp(prefix="sei-kg-bench-ingest-"))
    try:
        cities = -(-args.rows // (len(INDICATORS) * YEARS))
        places_file = work / "places.nt"
        places(places_file, cities)
        good, bad = work / "good", work / "bad"
        good.mkdir()
        bad.mkdir()
        files = rows(good, args.rows)
        bad_files = rows(bad, args.rows, bad=True)

        phases: dict[str, float] = {}
        last = {"phase": "", "at": time.perf_counter()}

        def timed(advance):
            def progress(phase: str, done: int, total: int | None) -> None:
                now = time.perf_counter()
                if phase != last["phase"]:
                    if last["phase"]:
                        phases[last["phase"]] = phases.get(last["phase"], 0.0) + now - last["at"]
                    last.update(phase=phase, at=now)
                advance(phase, done, total)

            return progress

        store = fresh_store(work / "ingest.oxigraph", places_file)
        with _progress() as advance:
            start = time.perf_counter()
            outcome = ingest(files, store=store, progress=timed(advance))
            ingest_seconds = time.perf_counter() - start
        phases[last["phase"]] = phases.get(last["phase"], 0.0) + time.perf_counter() - last["at"]
        assert outcome.batch is not None
        observations = work / "observations.nt"
        observations.write_bytes(outcome.batch.ntriples())
        triples = outcome.new_triples

        baseline = fresh_store(work / "baseline.oxigraph", places_file)
        opened = open_store(baseline)
        start = time.perf_counter()
        opened.load([observations])
        load_seconds = time.perf_counter() - start
        del opened

        target = fresh_store(work / "failed.oxigraph", places_file)
        opened = open_store(target)
        before = len(opened)
        del opened
        start = time.perf_counter()
        try:
            ingest(bad_files, store=target)
            refused = False
        except SeiKgError:
            refused = True
        failed_seconds = time.perf_counter() - start
        opened = open_store(target)
        after = len(opened)
        del opened

        record = {
            "rows": args.rows,
            "triples": triples,
            "ingest_seconds": round(ingest_seconds, 2),
            "ingest_phases_seconds": {k: round(v, 2) for k, v in phases.items()},
            "bare_load_seconds": round(load_seconds, 2),
            "ratio": round(ingest_seconds / load_seconds, 2),
            "failed_ingest_seconds": round(failed_seconds, 2),
            "failed_ingest_refused": refused,
            "store_as_it_was_after_failure": before == after,
        }
        print(json.dumps(record, indent=2))
        out = Path(__file__).parent / "results" / "ingest.json"
        out.write_text(json.dumps(record, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
