"""The per-triple curve of the national-scale benchmark: validation time per million triples
against the size of the store, for sei-kg and for every engine measured beside it.

Reads ``results/scale.json`` (written by ``bench_scale.py``) and draws
``docs/scale-per-triple.png``.  A flat line is validation that grows linearly
with the data; a peer stopped at its time limit is drawn as a hollow marker at
the limit, with an arrow: its true time is higher.

Usage: python benchmarks/plot_scale.py [RESULTS.json] [OUT.png]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
SERIES = (  # label, where the seconds are in a size's record
    ("sei-kg, Oxigraph store", ("validate", "sei-kg")),
    ("the texts sei-kg runs, bare pyoxigraph, one thread per CPU",
     ("validate", "the texts sei-kg runs, bare pyoxigraph, one thread per CPU")),
    ("the same SPARQL, bare pyoxigraph, one thread per CPU",
     ("validate", "same SPARQL, bare pyoxigraph, one thread per CPU")),
    ("the same SPARQL, bare pyoxigraph, one after another",
     ("validate", "same SPARQL, bare pyoxigraph, one after another")),
)  # fmt: skip


def _seconds(record: dict, path: tuple[str, ...]) -> float | None:
    value: object = record
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return float(value) if isinstance(value, int | float) else None


def curves(records: list[dict]) -> dict[str, list[tuple[int, float, bool]]]:
    """Per series: (store triples, seconds per million triples, stopped at a limit).

    >>> rows = [{"store triples": 2_000_000, "validate": {"sei-kg": 10.0}},
    ...         {"store triples": 4_000_000, "validate": {"sei-kg": 22.0}}]
    >>> curves(rows)["sei-kg, Oxigraph store"]
    [(2000000, 5.0, False), (4000000, 5.5, False)]
    """
    found: dict[str, list[tuple[int, float, bool]]] = {}
    for record in sorted(records, key=lambda r: r.get("store triples", 0)):
        triples = record.get("store triples")
        if not triples:
            continue
        per_million = 1_000_000 / triples
        for label, path in SERIES:
            seconds = _seconds(record, path)
            if seconds is not None:
                found.setdefault(label, []).append((triples, seconds * per_million, False))
        for name, peer in (record.get("peers") or {}).items():
            if not isinstance(peer, dict) or not peer.get("runs the same shapes"):
                continue
            if peer.get("status") == "ran" and "seconds" in peer:
                found.setdefault(name, []).append((triples, peer["seconds"] * per_million, False))
            elif "seconds until stopped" in peer:
                stopped = peer["seconds until stopped"] * per_million
                found.setdefault(name, []).append((triples, stopped, True))
    return found


def draw(records: list[dict], out: Path) -> None:
    """Draw the curves of ``records`` into ``out`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 5.2), dpi=120)
    for label, points in curves(records).items():
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        (line,) = ax.plot(xs, ys, marker="o", label=label)
        for x, y, stopped in points:
            if stopped:
                ax.plot([x], [y], marker="o", markerfacecolor="white", color=line.get_color())
                ax.annotate("", xy=(x, y * 1.6), xytext=(x, y),
                            arrowprops={"arrowstyle": "->", "color": line.get_color()})  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("triples in the store (ontology, reference data and synthetic figures)")
    ax.set_ylabel("validation time per million triples (s)")
    ax.set_title("Validation time per triple as the data grows (flat = linear)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.text(0.01, 0.01, "hollow marker and arrow: stopped at its time limit, the true time is higher",
             fontsize=7, color="#555")  # fmt: skip
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)


def main() -> None:
    """Read the results and draw the picture."""
    results = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "results" / "scale.json"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE.parent / "docs" / "scale-per-triple.png"
    draw(json.loads(results.read_text()), out)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
