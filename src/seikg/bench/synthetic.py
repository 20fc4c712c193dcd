"""A synthetic national data set, for benchmarks only: generated at run time, never shipped.

It follows the model of the real Qingdao facts (every indicator, derived
figures, bounds, a comparison claim, sources) for N places over Y years, with
plausible values, and injects a known list of inconsistencies: the ground
truth a validation must find, no more and no less.  Every generated resource
is typed ``sei:Synthetic``.

Two levels (:class:`Level`): made-up cities in made-up provinces (division
codes 91-99, which GB/T 2260 does not assign), written with the data set; or
the real county-level divisions of the committed skeleton of divisions, named
by their IRIs and not copied (the data set is loaded next to the skeleton and
the shipped graph, whose country the skeleton's provinces lie in).  The
figures are made up at both levels.

The output is written as it is made, one place at a time, so memory stays
bounded whatever the size.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from seikg.bench import terms as t
from seikg.bench.figures import KINDS, place_year
from seikg.bench.places import (
    MAX_CITIES,
    Place,
    cjk_number,
    county_divisions,
    made_up_city,
    made_up_provinces,
    spread,
)

__all__ = [
    "KINDS",
    "Level",
    "Synthetic",
    "generate",
    "generate_counties",
    "truth_path",
    "write_synthetic",
    "write_truth",
]

_cjk = cjk_number  # the name benchmarks/bench_ingest.py uses for made-up city names

MAX_YEARS = 60
Progress = Callable[[int, int], None]
"""Called after each place with the places done and the places in all."""


class Level(StrEnum):
    """Which places the figures are about.

    >>> Level("county").describes
    'real county-level divisions'
    """

    CITY = "city"
    COUNTY = "county"

    @property
    def describes(self) -> str:
        """The places of this level, in words."""
        return "made-up cities" if self is Level.CITY else "real county-level divisions"


@dataclass
class Synthetic:
    """What was generated: the number of triples and the injected inconsistencies."""

    triples: int = 0
    injected: list[dict[str, str]] = field(default_factory=list)
    truth: Path | None = None


def generate(
    out: Path | str | TextIO,
    *,
    cities: int,
    years: int,
    seed: int = 0,
    error_rate: float = 0.01,
    first_year: int = 2005,
    progress: Progress | None = None,
) -> Synthetic:
    """Write a data set about ``cities`` made-up cities as N-Triples to ``out``; return
    counts and the ground truth.

    ``out`` is a text stream to write to, or a path: then the one writer streams
    into a temporary file in the target's folder and renames it at the end
    (nothing is left behind when writing fails or is refused).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "syn.nt"
    >>> result = generate(target, cities=2, years=2, seed=1, error_rate=0)
    >>> result.triples > 400, result.injected
    (True, [])
    """
    if cities < 1 or cities > MAX_CITIES or years < 1 or years > MAX_YEARS:
        raise ValueError(f"cities must be 1 to {MAX_CITIES} and years 1 to {MAX_YEARS}")
    places = [made_up_city(index) for index in range(cities)]
    return _write(
        out, made_up_provinces(), places, years=years, seed=seed, error_rate=error_rate,
        first_year=first_year, progress=progress,
    )  # fmt: skip


def generate_counties(
    out: Path | str | TextIO,
    *,
    divisions: int | None = None,
    years: int,
    seed: int = 0,
    error_rate: float = 0.01,
    first_year: int = 2005,
    progress: Progress | None = None,
    skeleton: Path | None = None,
) -> Synthetic:
    """Write a data set about real county-level divisions as N-Triples to ``out``, as
    :func:`generate` does: all of them, or ``divisions`` of them spread evenly over
    the list in code order (so over every province).  The divisions are the current
    ones of the skeleton (``skeleton``, by default the committed one); their own
    triples are not written.

    >>> import io
    >>> sink = io.StringIO()
    >>> result = generate_counties(sink, divisions=2, years=1, seed=1, error_rate=0)
    >>> "<https://w3id.org/sei-kg/place/110101>" in sink.getvalue(), result.injected
    (True, [])
    """
    if years < 1 or years > MAX_YEARS:
        raise ValueError(f"years must be 1 to {MAX_YEARS}")
    counties = county_divisions(skeleton)
    places = counties if divisions is None else spread(counties, divisions)
    return _write(
        out, (), places, years=years, seed=seed, error_rate=error_rate,
        first_year=first_year, progress=progress,
    )  # fmt: skip


def _write(
    out: Path | str | TextIO,
    head: Iterable[str],
    places: Sequence[Place],
    *,
    years: int,
    seed: int,
    error_rate: float,
    first_year: int,
    progress: Progress | None,
) -> Synthetic:
    """Write ``head``, the source and the band, then each place's figures as they are made."""
    from seikg.rdf.write import open_text_output

    rng = random.Random(seed)
    result = Synthetic()
    opened = open_text_output(out) if isinstance(out, Path | str) else contextlib.nullcontext(out)
    with opened as handle:

        def emit(lines: Sequence[str]) -> None:
            handle.write("".join(lines))
            result.triples += len(lines)

        emit([*head, *_source_and_band(first_year, years)])
        for done, place in enumerate(places, 1):
            emit(place.described)  # apart: the figures are ASCII, which encodes much faster
            emit(_place(rng, place, first_year, years, error_rate, result.injected))
            if progress is not None:
                progress(done, len(places))
    return result


def _source_and_band(first_year: int, years: int) -> list[str]:
    """The one made-up source of every figure, and the exchange-rate band of the years."""
    end = first_year + years
    title = "Synthetic benchmark source (not a real document)"
    note = "SYNTHETIC DATA for benchmarks; every figure is made up."
    return [
        t.triple(t.DOC, t.TYPE, t.ENTITY),
        t.triple(t.DOC, t.TYPE, t.SYNTHETIC),
        t.triple(t.DOC, t.TITLE, t.lit(title, lang="en")),
        t.triple(t.DOC, t.PUBLISHER, t.SEI_KG),
        t.triple(t.DOC, t.MODIFIED, t.lit(f"{end}-06-30", "date")),
        t.triple(t.DOC, t.COMMENT, t.lit(note, lang="en")),
        t.triple(t.BAND, t.TYPE, t.EXCHANGE_RATE_BAND),
        t.triple(t.BAND, t.TYPE, t.SYNTHETIC),
        t.triple(t.BAND, t.COMMENT, t.lit("Synthetic band for the synthetic years.", lang="en")),
        t.triple(t.BAND, t.BASE_CURRENCY, t.USD),
        t.triple(t.BAND, t.QUOTE_CURRENCY, t.CNY),
        t.triple(t.BAND, t.MINIMUM_RATE, t.dec(6.0)),
        t.triple(t.BAND, t.MAXIMUM_RATE, t.dec(8.0)),
        *(t.triple(t.BAND, t.APPLIES_TO, t.lit(str(y), "gYear")) for y in range(first_year, end)),
    ]


def _place(
    rng: random.Random,
    place: Place,
    first_year: int,
    years: int,
    error_rate: float,
    injected: list[dict[str, str]],
) -> list[str]:
    """One place's lines: its two data sets, and its figures year by year."""
    lines: list[str] = []
    reported = f"<{t.DS_NS}synthetic-{place.code}>"
    derived = f"<{t.DS_NS}synthetic-{place.code}-derived>"
    for ds in (reported, derived):
        lines += (
            t.triple(ds, t.TYPE, t.DATA_SET),
            t.triple(ds, t.TYPE, t.SYNTHETIC),
            t.triple(ds, t.STRUCTURE, t.FIGURES_STRUCTURE),
        )
    share = rng.uniform(12, 40)
    for year in range(first_year, first_year + years):
        previous = share
        share = min(max(previous + rng.uniform(-2, 3), 5), 60)
        lines += place_year(
            rng, code=place.code, area=place.area, year=year, share=share, previous=previous,
            has_change=year > first_year, datasets=(reported, derived), error_rate=error_rate,
            injected=injected,
        )  # fmt: skip
    return lines


def write_truth(path: Path, result: Synthetic) -> None:
    """Write the ground truth (the injected inconsistencies) as JSON, through the one writer."""
    from seikg.rdf.write import atomic_write

    text = json.dumps({"triples": result.triples, "injected": result.injected}, indent=2)
    atomic_write(path, (text + "\n").encode("utf-8"))


def truth_path(output: Path | str) -> Path:
    """Where the ground truth of a data set written to ``output`` goes: ``FILE.truth.json``.

    >>> truth_path("/data/synthetic.nt").name
    'synthetic.nt.truth.json'
    """
    output = Path(output)
    return output.with_name(output.name + ".truth.json")


def write_synthetic(
    output: Path | str,
    *,
    level: Level = Level.CITY,
    places: int | None = None,
    years: int,
    seed: int = 0,
    error_rate: float = 0.01,
    progress: Progress | None = None,
) -> Synthetic:
    """Write the data set to ``output`` and its ground truth next to it, both through the
    one writer: each is complete or absent (the truth is written once the data is).

    ``places`` is how many made-up cities (required at the city level) or how many
    county-level divisions (by default all of them).  When ``output`` is standard
    output, a device or a pipe, there is no file to put the truth next to: it is not
    written (``result.truth`` is None).
    """
    import os
    import stat

    to_file = str(output) != "-"
    if to_file:
        with contextlib.suppress(OSError):  # a new file, or one the writer refuses
            mode = os.stat(output).st_mode
            to_file = not stat.S_ISCHR(mode) and not stat.S_ISFIFO(mode)
    target = output if str(output) == "-" else Path(output)
    if level is Level.COUNTY:
        result = generate_counties(
            target, divisions=places, years=years, seed=seed, error_rate=error_rate,
            progress=progress,
        )  # fmt: skip
    elif places is None:
        raise ValueError("the city level needs a number of made-up cities")
    else:
        result = generate(
            target, cities=places, years=years, seed=seed, error_rate=error_rate,
            progress=progress,
        )  # fmt: skip
    if to_file:
        result.truth = truth_path(output)
        write_truth(result.truth, result)
    return result
