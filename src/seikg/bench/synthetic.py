"""A synthetic national data set, for benchmarks only: generated at run time, never shipped.

It follows the model of the real Qingdao facts (every indicator, derived
figures, bounds, a comparison claim, sources) for N made-up cities over Y
years, with plausible values, and injects a known list of inconsistencies:
the ground truth a validation must find, no more and no less.  Every
generated resource is typed ``sei:Synthetic``; the made-up provinces use
division codes 91-99, which GB/T 2260 does not assign.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from seikg.namespaces import (
    AGENT,
    BOUND,
    CLAIM,
    DS,
    DSD,
    IND,
    OBS,
    PLACE,
    PROV,
    QB,
    SCOPE,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SEI,
    SEIU,
    UNIT,
)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
_CJK_DIGITS = "甲乙丙丁戊己庚辛壬癸"
NOT_STATED = "<https://w3id.org/sei-kg/share-base/not-stated>"
TOTAL_INVESTMENT = "<https://w3id.org/sei-kg/share-base/total-investment>"
GAP_RULE = "growth of the manufacturing part minus its lead"
KINDS = (
    "negative-count",
    "unit-in-money",
    "change-off",
    "dollars-off-by-ten",
    "claim-broken",
    "duplicate",
)


def _iri(value: object) -> str:
    return f"<{value}>"


def _lit(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    text = value.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^<{XSD}{datatype}>'
    return f'"{text}"'


def _dec(x: float | int, places: int = 1) -> str:
    return _lit(f"{x:.{places}f}", "decimal")


@dataclass
class Synthetic:
    """What was generated: the number of triples and the injected inconsistencies."""

    triples: int = 0
    injected: list[dict[str, str]] = field(default_factory=list)
    truth: Path | None = None


def _cjk(n: int) -> str:
    digits = ""
    while True:
        digits = _CJK_DIGITS[n % 10] + digits
        n //= 10
        if n == 0:
            return digits


def generate(
    out: Path | str | TextIO,
    *,
    cities: int,
    years: int,
    seed: int = 0,
    error_rate: float = 0.01,
    first_year: int = 2005,
    progress: Callable[[int], None] | None = None,
) -> Synthetic:
    """Write the synthetic data set as N-Triples to ``out``; return counts and the ground truth.

    ``out`` is a text stream to write to, or a path: then the one writer streams
    into a temporary file in the target's folder and renames it at the end
    (nothing is left behind when writing fails or is refused).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "syn.nt"
    >>> result = generate(target, cities=2, years=2, seed=1, error_rate=0)
    >>> result.triples > 400, result.injected
    (True, [])
    """
    from seikg.rdf.write import open_text_output

    if cities < 1 or cities > 891 or years < 1 or years > 60:
        raise ValueError("cities must be 1 to 891 and years 1 to 60")
    rng = random.Random(seed)
    result = Synthetic()
    opened = open_text_output(out) if isinstance(out, Path | str) else contextlib.nullcontext(out)
    with opened as handle:

        def emit(lines: Iterator[str]) -> None:
            for line in lines:
                handle.write(line)
                result.triples += 1

        emit(_preamble(first_year, years))
        for index in range(cities):
            emit(_city(rng, index, first_year, years, error_rate, result.injected))
            if progress is not None:
                progress(1)
    return result


def _t(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


SYN = f"<{SEI.Synthetic}>"
DOC = "<https://w3id.org/sei-kg/synthetic/source>"


def _preamble(first_year: int, years: int) -> Iterator[str]:
    country = _iri(PLACE["synthetic-country"])
    yield _t(country, _iri(RDF_TYPE), _iri(SEI.Country))
    yield _t(country, _iri(RDF_TYPE), SYN)
    yield _t(country, _iri(RDFS_LABEL), _lit("Synthetic country", lang="en"))
    yield _t(country, _iri(RDFS_LABEL), _lit("合成国家", lang="zh"))
    for code in range(91, 100):
        province = _iri(PLACE[f"{code}0000"])
        yield _t(province, _iri(RDF_TYPE), _iri(SEI.Province))
        yield _t(province, _iri(RDF_TYPE), SYN)
        yield _t(province, _iri(RDFS_LABEL), _lit(f"Synthetic province {code}", lang="en"))
        yield _t(province, _iri(RDFS_LABEL), _lit("合成省" + _cjk(code), lang="zh"))
        yield _t(province, _iri(SEI.divisionCode), _lit(f"{code}0000"))
        yield _t(province, _iri(SEI.locatedIn), country)
    end = first_year + years
    yield _t(DOC, _iri(RDF_TYPE), _iri(PROV.Entity))
    yield _t(DOC, _iri(RDF_TYPE), SYN)
    yield _t(
        DOC,
        _iri(DCT + "title"),
        _lit("Synthetic benchmark source (not a real document)", lang="en"),
    )
    yield _t(DOC, _iri(DCT + "publisher"), _iri(AGENT["sei-kg"]))
    yield _t(DOC, _iri(DCT + "modified"), _lit(f"{end}-06-30", "date"))
    yield _t(
        DOC,
        _iri(RDFS_COMMENT),
        _lit("SYNTHETIC DATA for benchmarks; every figure is made up.", lang="en"),
    )
    band = _iri("https://w3id.org/sei-kg/synthetic/exchange-rate-band")
    yield _t(band, _iri(RDF_TYPE), _iri(SEI.ExchangeRateBand))
    yield _t(band, _iri(RDF_TYPE), SYN)
    yield _t(band, _iri(RDFS_COMMENT), _lit("Synthetic band for the synthetic years.", lang="en"))
    yield _t(band, _iri(SEI.baseCurrency), _iri(UNIT.CCY_USD))
    yield _t(band, _iri(SEI.quoteCurrency), _iri(UNIT.CCY_CNY))
    yield _t(band, _iri(SEI.minimumRate), _dec(6.0))
    yield _t(band, _iri(SEI.maximumRate), _dec(8.0))
    for year in range(first_year, end):
        yield _t(band, _iri(SEI.appliesToPeriod), _lit(str(year), "gYear"))


def _city(
    rng: random.Random,
    index: int,
    first_year: int,
    years: int,
    error_rate: float,
    injected: list[dict[str, str]],
) -> Iterator[str]:
    province_code = 91 + index // 99
    code = f"{province_code}{index % 99 + 1:02d}00"
    city = _iri(PLACE[code])
    yield _t(city, _iri(RDF_TYPE), _iri(SEI.City))
    yield _t(city, _iri(RDF_TYPE), SYN)
    yield _t(city, _iri(RDFS_LABEL), _lit(f"Synthetic city {code}", lang="en"))
    yield _t(city, _iri(RDFS_LABEL), _lit("合成市" + _cjk(index), lang="zh"))
    yield _t(city, _iri(SEI.divisionCode), _lit(code))
    yield _t(city, _iri(SEI.locatedIn), _iri(PLACE[f"{province_code}0000"]))
    reported, derived = _iri(DS[f"synthetic-{code}"]), _iri(DS[f"synthetic-{code}-derived"])
    for ds in (reported, derived):
        yield _t(ds, _iri(RDF_TYPE), _iri(QB.DataSet))
        yield _t(ds, _iri(RDF_TYPE), SYN)
        yield _t(ds, _iri(QB.structure), _iri(DSD["sei-figures"]))
    share = rng.uniform(12, 40)
    for year in range(first_year, first_year + years):
        previous = share
        share = min(max(previous + rng.uniform(-2, 3), 5), 60)
        yield from _city_year(
            rng,
            code,
            city,
            year,
            share,
            previous,
            year > first_year,
            reported,
            derived,
            error_rate,
            injected,
        )


def _city_year(
    rng: random.Random,
    code: str,
    city: str,
    year: int,
    share: float,
    previous: float,
    has_change: bool,
    reported: str,
    derived: str,
    error_rate: float,
    injected: list[dict[str, str]],
) -> Iterator[str]:
    key = f"{code}-{year}"
    error = rng.choice(KINDS) if rng.random() < error_rate else None
    if error == "change-off" and not has_change:
        error = None

    def obs(
        name: str,
        indicator: str,
        scope: str,
        value: str,
        unit: str,
        precision: str,
        *,
        dataset: str = reported,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> Iterator[str]:
        s = _iri(OBS[f"syn-{key}-{name}"])
        yield _t(s, _iri(RDF_TYPE), _iri(QB.Observation))
        yield _t(s, _iri(RDF_TYPE), SYN)
        yield _t(s, _iri(QB.dataSet), dataset)
        yield _t(s, _iri(SDMX_DIMENSION.refArea), city)
        yield _t(s, _iri(SDMX_DIMENSION.refPeriod), _lit(str(year), "gYear"))
        yield _t(s, _iri(SEI.indicator), _iri(IND[indicator]))
        yield _t(s, _iri(SEI.scope), _iri(SCOPE[scope]))
        yield _t(s, _iri(SDMX_MEASURE.obsValue), value)
        yield _t(s, _iri(SDMX_ATTRIBUTE.unitMeasure), unit)
        yield _t(s, _iri(SEI.statedPrecision), _lit(precision, "decimal"))
        if dataset == reported:
            yield _t(s, _iri(PROV.wasDerivedFrom), DOC)
            yield _t(s, _iri(SEI.sourceParagraph), _lit(str(rng.randint(1, 12)), "integer"))
        for p, o in extra:
            yield _t(s, p, o)

    def truth(rule: str, name: str, prefix: str = "observation") -> None:
        base = OBS if prefix == "observation" else CLAIM
        injected.append(
            {
                "kind": str(error),
                "rule": f"https://w3id.org/sei-kg/shapes#{rule}",
                "focus": str(base[f"syn-{key}-{name}"]),
            }
        )

    pct, pp = _iri(UNIT.PERCENT), _iri(SEIU.PercentagePoint)
    s_now, s_before = round(share, 1), round(previous, 1)
    share_unit = pct if error != "unit-in-money" else _iri(UNIT.CCY_CNY)
    if error == "unit-in-money":
        truth("UnitOfIndicatorShape", "share")
    yield from obs(
        "share",
        "industry-share",
        "sei",
        _dec(s_now),
        share_unit,
        "0.1",
        extra=((_iri(SEI.shareBase), NOT_STATED),),
    )
    if has_change:
        change = round(s_now - s_before, 1) + (1.0 if error == "change-off" else 0.0)
        if error == "change-off":
            truth("ChangeEqualsDifferenceShape", "change")
        yield from obs("change", "industry-share-change", "sei", _dec(change), pp, "0.1")
    g1 = round(rng.uniform(-3, 15), 1)
    gap = round(rng.uniform(0, 6), 1)
    yield from obs("va-growth", "value-added-growth", "sei-manufacturing", _dec(g1), pct, "0.1")
    yield from obs("va-gap", "value-added-growth-gap", "sei-manufacturing", _dec(gap), pp, "0.1")
    yield from obs(
        "inv-share",
        "investment-share",
        "sei",
        _dec(rng.uniform(10, 45)),
        pct,
        "0.1",
        extra=((_iri(SEI.shareBase), TOTAL_INVESTMENT),),
    )
    growths = [round(rng.uniform(-5, 35), 1) for _ in range(3)]
    scopes = ("sei", "high-tech-manufacturing", "industrial-upgrading")
    for growth, scope in zip(growths, scopes, strict=True):
        yield from obs(f"inv-growth-{scope}", "investment-growth", scope, _dec(growth), pct, "0.1")
    count = rng.randint(20, 900) * (-1 if error == "negative-count" else 1)
    if error == "negative-count":
        truth("CountShape", "projects")
    yield from obs(
        "projects", "large-project-count", "sei", _lit(str(count), "integer"), _iri(UNIT.NUM), "1"
    )
    cny = rng.randint(10, 400) * 10**9
    rate = rng.uniform(6.3, 7.2)
    usd = round(cny / rate / 10**7) * 10**7
    usd_written = (usd // 10 // 10**7) * 10**7 if error == "dollars-off-by-ten" else usd
    if error == "dollars-off-by-ten":
        truth("CurrencyConversionShape", "investment-usd")
        truth("RatioRuleShape", "rate")
    more = ((_iri(SEI.bound), _iri(BOUND["more-than"])),)
    yield from obs(
        "investment",
        "large-project-investment",
        "sei",
        _dec(cny),
        _iri(UNIT.CCY_CNY),
        "1000000000",
        extra=more,
    )
    yield from obs(
        "investment-usd",
        "large-project-investment-usd",
        "sei",
        _dec(usd_written),
        _iri(UNIT.CCY_USD),
        "10000000",
        extra=more,
    )
    # derived figures
    rule = _iri(SEI.ruleDescription)
    d2 = _iri(OBS[f"syn-{key}-va-growth"]), _iri(OBS[f"syn-{key}-va-gap"])
    yield from obs(
        "va-growth-industry",
        "value-added-growth",
        "industry-above-designated-size",
        _dec(round(g1 - gap, 1)),
        pct,
        "0.1",
        dataset=derived,
        extra=(
            (_iri(RDF_TYPE), _iri(SEI.DerivedObservation)),
            (_iri(SEI.derivationRule), _iri(SEI.DifferenceRule)),
            (_iri(SEI.minuend), d2[0]),
            (_iri(SEI.subtrahend), d2[1]),
            (_iri(PROV.wasDerivedFrom), d2[0]),
            (_iri(PROV.wasDerivedFrom), d2[1]),
            (rule, _lit(GAP_RULE, lang="en")),
        ),
    )
    covered = [_iri(OBS[f"syn-{key}-inv-growth-{scope}"]) for scope in scopes]
    claim = _iri(CLAIM[f"syn-{key}-claim"])
    yield from obs(
        "fai-bound",
        "fixed-asset-investment-growth",
        "city",
        _dec(min(growths)),
        pct,
        "0.1",
        dataset=derived,
        extra=(
            (_iri(RDF_TYPE), _iri(SEI.DerivedObservation)),
            (_iri(SEI.derivationRule), _iri(SEI.MinimumRule)),
            (_iri(SEI.bound), _iri(BOUND["less-than"])),
            (_iri(SEI.justifiedBy), claim),
            *((_iri(PROV.wasDerivedFrom), c) for c in covered),
            (rule, _lit("below the smallest covered growth", lang="en")),
        ),
    )
    ratio = (_iri(OBS[f"syn-{key}-investment"]), _iri(OBS[f"syn-{key}-investment-usd"]))
    yield from obs(
        "rate",
        "implied-exchange-rate",
        "sei",
        _dec(round(cny / usd, 2), 2),
        _iri(SEIU["CNY-PER-USD"]),
        "0.01",
        dataset=derived,
        extra=(
            (_iri(RDF_TYPE), _iri(SEI.DerivedObservation)),
            (_iri(SEI.derivationRule), _iri(SEI.RatioRule)),
            (_iri(SEI.numerator), ratio[0]),
            (_iri(SEI.denominator), ratio[1]),
            (_iri(PROV.wasDerivedFrom), ratio[0]),
            (_iri(PROV.wasDerivedFrom), ratio[1]),
            (rule, _lit("yuan over dollars", lang="en")),
        ),
    )
    yield _t(claim, _iri(RDF_TYPE), _iri(SEI.ComparisonClaim))
    yield _t(claim, _iri(RDF_TYPE), SYN)
    yield _t(claim, _iri(SEI.comparator), _iri(SEI.greaterThan))
    for c in covered:
        yield _t(claim, _iri(SEI.coversObservation), c)
    yield _t(claim, _iri(SEI.comparedArea), city)
    yield _t(claim, _iri(SEI.comparedPeriod), _lit(str(year), "gYear"))
    yield _t(claim, _iri(SEI.comparedIndicator), _iri(IND["fixed-asset-investment-growth"]))
    yield _t(claim, _iri(SEI.comparedScope), _iri(SCOPE.city))
    yield _t(claim, _iri(PROV.wasDerivedFrom), DOC)
    if error == "claim-broken":
        truth("ComparisonClaimHoldsShape", "claim", prefix="claim")
        truth("BoundHoldsShape", "fai-bound")
        yield from obs(
            "fai", "fixed-asset-investment-growth", "city", _dec(max(growths) + 1), pct, "0.1"
        )
    if error == "duplicate":
        truth("UniqueObservationShape", "inv-share")
        truth("UniqueObservationShape", "inv-share-copy")
        yield from obs(
            "inv-share-copy", "investment-share", "sei", _dec(rng.uniform(10, 45)), pct, "0.1"
        )


def write_truth(path: Path, result: Synthetic) -> None:
    """Write the ground truth (the injected inconsistencies) as JSON, through the one writer."""
    from seikg.rdf.write import atomic_write

    atomic_write(path, _truth_bytes(result))


def _truth_bytes(result: Synthetic) -> bytes:
    text = json.dumps({"triples": result.triples, "injected": result.injected}, indent=2)
    return (text + "\n").encode("utf-8")


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
    cities: int,
    years: int,
    seed: int = 0,
    error_rate: float = 0.01,
    progress: Callable[[int], None] | None = None,
) -> Synthetic:
    """Write the data set to ``output`` and its ground truth next to it, together through
    the one writer: both targets are checked before either is written, and both are
    replaced or neither (a refused truth file leaves the data file as it was).

    When ``output`` is standard output, a device or a pipe, there is no file to put
    the truth next to: it is not written (``result.truth`` is None).
    """
    import io
    import os
    import stat

    from seikg.rdf.write import open_outputs

    to_file = str(output) != "-"
    if to_file:
        with contextlib.suppress(OSError):  # a new file, or one the writer refuses
            mode = os.stat(output).st_mode
            to_file = not stat.S_ISCHR(mode) and not stat.S_ISFIFO(mode)
    options: dict[str, Any] = dict(
        cities=cities, years=years, seed=seed, error_rate=error_rate, progress=progress
    )
    if not to_file:
        return generate(output if str(output) == "-" else Path(output), **options)
    truth = truth_path(output)
    with open_outputs(Path(output), truth) as (data, truth_file):
        text = io.TextIOWrapper(data, encoding="utf-8", newline="\n", write_through=False)
        try:
            result = generate(text, **options)
            text.flush()
        finally:
            text.detach()
        truth_file.write(_truth_bytes(result))
    result.truth = truth
    return result
