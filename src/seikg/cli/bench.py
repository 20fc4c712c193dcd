"""Benchmark helpers: the synthetic national data set (never shipped)."""

from __future__ import annotations

from pathlib import Path

import click

from seikg.cli.app import cli
from seikg.cli.common import progress
from seikg.errors import BadInputError


@cli.group()
def bench() -> None:
    """Benchmark helpers: a synthetic national data set (never shipped)."""


@bench.command()
@click.option(
    "--level",
    type=click.Choice(["city", "county"]),
    default="city",
    show_default=True,
    help="city: made-up cities in made-up provinces (codes 91-99), written with the data; "
    "county: the real county-level divisions of graph/reference/divisions.ttl, named by "
    "their IRIs and not copied, so load the data next to the skeleton and the shipped graph "
    "(sei-kg load FILE --shipped --with divisions --store oxigraph:PATH).  The figures are "
    "made up at both levels.",
)
@click.option(
    "--places",
    "--cities",
    "places",
    type=click.IntRange(min=1),
    help="How many places: made-up cities at the city level (1 to 891; required), "
    "county-level divisions at the county level (1 to 2,847, spread evenly over every "
    "province; default all).",
)
@click.option(
    "--years",
    type=click.IntRange(1, 60),
    required=True,
    help="How many years per place, from 2005 (30 years of every county is about 17 million "
    "triples).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random values.")
@click.option(
    "--error-rate",
    type=click.FloatRange(0, 1),
    default=0.01,
    show_default=True,
    help="Share of place-years with one injected inconsistency.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The N-Triples file to write; the ground truth goes to FILE.truth.json.",
)
def generate(
    level: str, places: int | None, years: int, seed: int, error_rate: float, output: Path
) -> None:
    """Write a synthetic data set in the model of the real facts, marked synthetic.

    Every generated resource is typed sei:Synthetic; FILE.truth.json lists the
    injected inconsistencies, which validation must find and nothing else.
    """
    from seikg.bench.synthetic import Level
    from seikg.bench.synthetic import write_synthetic as make

    if output.is_dir():
        raise BadInputError("is a folder; give a file name to write to", path=output)
    if level == "city" and places is None:
        raise BadInputError("the city level needs --places (how many made-up cities, 1 to 891)")
    with progress("generating") as advance:
        try:
            result = make(
                output, level=Level(level), places=places, years=years, seed=seed,
                error_rate=error_rate, progress=advance,
            )  # fmt: skip
        except ValueError as exc:
            raise BadInputError(str(exc)) from None
    found = len(result.injected)
    click.echo(f"{result.triples:,} synthetic triples, {found} injected inconsistencies: {output}")
