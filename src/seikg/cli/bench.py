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
    "--cities", type=click.IntRange(1, 891), required=True, help="How many made-up cities."
)
@click.option("--years", type=click.IntRange(1, 60), required=True, help="How many years per city.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random values.")
@click.option(
    "--error-rate",
    type=click.FloatRange(0, 1),
    default=0.01,
    show_default=True,
    help="Share of city-years with one injected inconsistency.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The N-Triples file to write; the ground truth goes to FILE.truth.json.",
)
def generate(cities: int, years: int, seed: int, error_rate: float, output: Path) -> None:
    """Write a synthetic data set in the model of the real facts, marked synthetic."""
    from seikg.bench.synthetic import write_synthetic as make

    if output.is_dir():
        raise BadInputError("is a folder; give a file name to write to", path=output)
    with progress("generating") as advance:
        made = [0]

        def step(n: int) -> None:
            made[0] += n
            advance(made[0], cities)

        result = make(
            output, cities=cities, years=years, seed=seed, error_rate=error_rate, progress=step
        )
    found = len(result.injected)
    click.echo(f"{result.triples:,} synthetic triples, {found} injected inconsistencies: {output}")
