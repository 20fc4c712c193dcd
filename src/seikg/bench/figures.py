"""The figures of one place in one year, in the model of the real Qingdao facts.

Every indicator of the Qingdao article, three derived figures with their
rules, a comparison claim, and at most one injected inconsistency, which is
recorded as the rule it breaks and the node it breaks it at.  The values are
made up; only their relations follow the shapes.  Each function writes one
group of figures; they draw their random values in a fixed order, so a seed
gives the same bytes on every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from seikg.bench import terms as t

KINDS = (
    "negative-count",
    "unit-in-money",
    "change-off",
    "dollars-off-by-ten",
    "claim-broken",
    "duplicate",
)
"""The kinds of injected inconsistency; a place-year has at most one."""

GAP_RULE = "growth of the manufacturing part minus its lead"
SHAPES = "https://w3id.org/sei-kg/shapes#"
SCOPES = ("sei", "high-tech-manufacturing", "industrial-upgrading")
"""The scopes of the three investment growth rates the claim covers."""


@dataclass
class PlaceYear:
    """One place in one year: where its figures go, and what is wrong with it.

    ``lines`` collects the N-Triples lines written; ``injected`` the ground
    truth (shared by every place-year of a data set).
    """

    rng: random.Random
    key: str
    area: str
    period: str
    reported: str
    derived: str
    error: str | None
    injected: list[dict[str, str]]
    lines: list[str] = field(default_factory=list)

    def node(self, figure: str) -> str:
        """The observation ``figure`` of this place-year, as N-Triples text."""
        return f"<{t.OBS_NS}syn-{self.key}-{figure}>"

    def observation(
        self,
        figure: str,
        indicator: str,
        scope: str,
        value: str,
        unit: str,
        precision: str,
        *,
        derived: bool = False,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> None:
        """Write one observation; a reported one comes from the source, at a paragraph."""
        s = self.node(figure)
        self.lines += (
            t.triple(s, t.TYPE, t.OBSERVATION),
            t.triple(s, t.TYPE, t.SYNTHETIC),
            t.triple(s, t.IN_DATA_SET, self.derived if derived else self.reported),
            t.triple(s, t.REF_AREA, self.area),
            t.triple(s, t.REF_PERIOD, self.period),
            t.triple(s, t.INDICATOR, f"<{t.INDICATOR_NS}{indicator}>"),
            t.triple(s, t.SCOPE_OF, f"<{t.SCOPE_NS}{scope}>"),
            t.triple(s, t.VALUE, value),
            t.triple(s, t.UNIT_OF, unit),
            t.triple(s, t.PRECISION, t.lit(precision, "decimal")),
        )
        if not derived:
            paragraph = t.lit(str(self.rng.randint(1, 12)), "integer")
            self.lines += (
                t.triple(s, t.DERIVED_FROM, t.DOC),
                t.triple(s, t.PARAGRAPH, paragraph),
            )
        self.lines += (t.triple(s, p, o) for p, o in extra)

    def broken(self, rule: str, figure: str, *, claim: bool = False) -> None:
        """Record that the injected error breaks ``rule`` at ``figure`` (or at the claim)."""
        base = t.CLAIM_NS if claim else t.OBS_NS
        focus = f"{base}syn-{self.key}-{figure}"
        self.injected.append({"kind": str(self.error), "rule": SHAPES + rule, "focus": focus})


def place_year(
    rng: random.Random,
    *,
    code: str,
    area: str,
    year: int,
    share: float,
    previous: float,
    has_change: bool,
    datasets: tuple[str, str],
    error_rate: float,
    injected: list[dict[str, str]],
) -> list[str]:
    """The N-Triples lines of one place-year; what is injected is appended to ``injected``."""
    error = rng.choice(KINDS) if rng.random() < error_rate else None
    if error == "change-off" and not has_change:
        error = None
    cell = PlaceYear(
        rng, f"{code}-{year}", area, t.lit(str(year), "gYear"), *datasets, error, injected
    )
    shares(cell, share, previous, has_change=has_change)
    growth, gap = value_added(cell)
    growths = investment(cell)
    cny, usd = large_projects(cell)
    gap_rule(cell, growth, gap)
    minimum_rule(cell, growths)
    ratio_rule(cell, cny, usd)
    claim(cell)
    broken_claim(cell, growths)
    duplicate(cell)
    return cell.lines


def shares(cell: PlaceYear, share: float, previous: float, *, has_change: bool) -> None:
    """The share of the industries, and its change on the year before (from the second year)."""
    now, before = round(share, 1), round(previous, 1)
    unit = t.PERCENT
    if cell.error == "unit-in-money":
        unit = t.CNY
        cell.broken("UnitOfIndicatorShape", "share")
    base = ((t.SHARE_BASE, t.NOT_STATED),)
    cell.observation("share", "industry-share", "sei", t.dec(now), unit, "0.1", extra=base)
    if not has_change:
        return
    off = cell.error == "change-off"
    change = round(now - before, 1) + (1.0 if off else 0.0)  # + 0.0 writes -0.0 as 0.0
    if off:
        cell.broken("ChangeEqualsDifferenceShape", "change")
    cell.observation(
        "change", "industry-share-change", "sei", t.dec(change), t.PERCENTAGE_POINT, "0.1"
    )


def value_added(cell: PlaceYear) -> tuple[float, float]:
    """The growth of value added in manufacturing and its lead on all industry."""
    growth = round(cell.rng.uniform(-3, 15), 1)
    gap = round(cell.rng.uniform(0, 6), 1)
    manufacturing = "sei-manufacturing"
    cell.observation(
        "va-growth", "value-added-growth", manufacturing, t.dec(growth), t.PERCENT, "0.1"
    )
    cell.observation(
        "va-gap", "value-added-growth-gap", manufacturing, t.dec(gap), t.PERCENTAGE_POINT, "0.1"
    )
    return growth, gap


def investment(cell: PlaceYear) -> list[float]:
    """The share of investment, and three investment growth rates (the claim's figures)."""
    base = ((t.SHARE_BASE, t.TOTAL_INVESTMENT),)
    share = t.dec(cell.rng.uniform(10, 45))
    cell.observation("inv-share", "investment-share", "sei", share, t.PERCENT, "0.1", extra=base)
    growths = [round(cell.rng.uniform(-5, 35), 1) for _ in range(3)]
    for growth, scope in zip(growths, SCOPES, strict=True):
        cell.observation(
            f"inv-growth-{scope}", "investment-growth", scope, t.dec(growth), t.PERCENT, "0.1"
        )
    return growths


def large_projects(cell: PlaceYear) -> tuple[int, int]:
    """How many large projects, and their investment in yuan and in dollars (bounds)."""
    count = cell.rng.randint(20, 900)
    if cell.error == "negative-count":
        count = -count
        cell.broken("CountShape", "projects")
    number = t.lit(str(count), "integer")
    cell.observation("projects", "large-project-count", "sei", number, t.NUMBER, "1")
    cny = cell.rng.randint(10, 400) * 10**9
    rate = cell.rng.uniform(6.3, 7.2)
    usd = round(cny / rate / 10**7) * 10**7
    written = usd
    if cell.error == "dollars-off-by-ten":
        written = (usd // 10 // 10**7) * 10**7
        cell.broken("CurrencyConversionShape", "investment-usd")
        cell.broken("RatioRuleShape", "rate")
    more = ((t.BOUND_SIDE, t.MORE_THAN),)
    cell.observation(
        "investment", "large-project-investment", "sei", t.dec(cny), t.CNY, "1000000000",
        extra=more,
    )  # fmt: skip
    cell.observation(
        "investment-usd", "large-project-investment-usd", "sei", t.dec(written), t.USD,
        "10000000", extra=more,
    )  # fmt: skip
    return cny, usd


def _derived(rule: str, inputs: tuple[str, ...], words: str) -> tuple[tuple[str, str], ...]:
    """What every derived figure says: that it is derived, by which rule, from what."""
    return (
        (t.TYPE, t.DERIVED_OBSERVATION),
        (t.DERIVATION_RULE, rule),
        *((t.DERIVED_FROM, i) for i in inputs),
        (t.RULE_IN_WORDS, t.lit(words, lang="en")),
    )


def gap_rule(cell: PlaceYear, growth: float, gap: float) -> None:
    """The growth of all industry: the manufacturing growth minus its lead."""
    minuend, subtrahend = cell.node("va-growth"), cell.node("va-gap")
    rule = _derived(t.DIFFERENCE_RULE, (minuend, subtrahend), GAP_RULE)
    cell.observation(
        "va-growth-industry", "value-added-growth", "industry-above-designated-size",
        t.dec(round(growth - gap, 1)), t.PERCENT, "0.1", derived=True,
        extra=(*rule[:2], (t.MINUEND, minuend), (t.SUBTRAHEND, subtrahend), *rule[2:]),
    )  # fmt: skip


def minimum_rule(cell: PlaceYear, growths: list[float]) -> None:
    """The area's fixed-asset investment growth: below the smallest growth the claim covers."""
    covered = tuple(cell.node(f"inv-growth-{scope}") for scope in SCOPES)
    rule = _derived(t.MINIMUM_RULE, covered, "below the smallest covered growth")
    said = ((t.BOUND_SIDE, t.LESS_THAN), (t.JUSTIFIED_BY, _claim_node(cell)))
    cell.observation(
        "fai-bound", "fixed-asset-investment-growth", "city", t.dec(min(growths)), t.PERCENT,
        "0.1", derived=True, extra=(*rule[:2], *said, *rule[2:]),
    )  # fmt: skip


def ratio_rule(cell: PlaceYear, cny: int, usd: int) -> None:
    """The exchange rate the two amounts imply: yuan over dollars."""
    numerator, denominator = cell.node("investment"), cell.node("investment-usd")
    rule = _derived(t.RATIO_RULE, (numerator, denominator), "yuan over dollars")
    cell.observation(
        "rate", "implied-exchange-rate", "sei", t.dec(round(cny / usd, 2), 2), t.CNY_PER_USD,
        "0.01", derived=True,
        extra=(*rule[:2], (t.NUMERATOR, numerator), (t.DENOMINATOR, denominator), *rule[2:]),
    )  # fmt: skip


def _claim_node(cell: PlaceYear) -> str:
    return f"<{t.CLAIM_NS}syn-{cell.key}-claim>"


def claim(cell: PlaceYear) -> None:
    """The claim: each covered investment growth is above the area's fixed-asset investment's."""
    node = _claim_node(cell)
    cell.lines += (
        t.triple(node, t.TYPE, t.COMPARISON_CLAIM),
        t.triple(node, t.TYPE, t.SYNTHETIC),
        t.triple(node, t.COMPARATOR, t.GREATER_THAN),
        *(t.triple(node, t.COVERS, cell.node(f"inv-growth-{scope}")) for scope in SCOPES),
        t.triple(node, t.COMPARED_AREA, cell.area),
        t.triple(node, t.COMPARED_PERIOD, cell.period),
        t.triple(node, t.COMPARED_INDICATOR, t.FAI_GROWTH),
        t.triple(node, t.COMPARED_SCOPE, t.WHOLE_AREA),
        t.triple(node, t.DERIVED_FROM, t.DOC),
    )


def broken_claim(cell: PlaceYear, growths: list[float]) -> None:
    """Injected: a reported fixed-asset investment growth above a covered growth."""
    if cell.error != "claim-broken":
        return
    cell.broken("ComparisonClaimHoldsShape", "claim", claim=True)
    cell.broken("BoundHoldsShape", "fai-bound")
    above = t.dec(max(growths) + 1)
    cell.observation("fai", "fixed-asset-investment-growth", "city", above, t.PERCENT, "0.1")


def duplicate(cell: PlaceYear) -> None:
    """Injected: a second share of investment for the same cell of the same data set."""
    if cell.error != "duplicate":
        return
    cell.broken("UniqueObservationShape", "inv-share")
    cell.broken("UniqueObservationShape", "inv-share-copy")
    share = t.dec(cell.rng.uniform(10, 45))
    cell.observation("inv-share-copy", "investment-share", "sei", share, t.PERCENT, "0.1")
