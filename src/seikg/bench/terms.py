"""N-Triples text for the synthetic data set: terms, triples, and the IRIs it writes.

The generator writes text, not rdflib terms: at millions of triples, building
a term object for every IRI it writes costs more than the rest of the work.
Every IRI it uses is spelled here once, as the N-Triples text of the term.

>>> triple(iri("https://e.org/s"), iri("https://e.org/p"), lit("2019", "gYear"))
'<https://e.org/s> <https://e.org/p> "2019"^^<http://www.w3.org/2001/XMLSchema#gYear> .\\n'
"""

from __future__ import annotations

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
    SBASE,
    SCOPE,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SEI,
    SEIU,
    UNIT,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def iri(value: object) -> str:
    """An IRI as N-Triples text.

    >>> iri("https://w3id.org/sei-kg/place/370211")
    '<https://w3id.org/sei-kg/place/370211>'
    """
    return f"<{value}>"


def lit(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal as N-Triples text: plain, with a language tag, or of an XSD datatype.

    >>> lit("2019", "gYear"), lit('say "yes"', lang="en")
    ('"2019"^^<http://www.w3.org/2001/XMLSchema#gYear>', '"say \\\\"yes\\\\""@en')
    """
    text = value.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^<{XSD}{datatype}>'
    return f'"{text}"'


def dec(x: float | int, places: int = 1) -> str:
    """A number as an ``xsd:decimal`` with ``places`` digits after the point.

    >>> dec(31.75), dec(10**9, 0)
    ('"31.8"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"1000000000"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    """
    return lit(f"{x:.{places}f}", "decimal")


def triple(s: str, p: str, o: str) -> str:
    """One N-Triples line."""
    return f"{s} {p} {o} .\n"


# Namespaces whose local names the generator makes up (observations, claims, data sets).
OBS_NS, CLAIM_NS, DS_NS, PLACE_NS = str(OBS), str(CLAIM), str(DS), str(PLACE)
SEI_NS = str(SEI)
INDICATOR_NS, SCOPE_NS = str(IND), str(SCOPE)

# Classes.
TYPE = iri(RDF_TYPE_IRI)
SYNTHETIC = iri(SEI.Synthetic)
OBSERVATION = iri(QB.Observation)
DATA_SET = iri(QB.DataSet)
DERIVED_OBSERVATION = iri(SEI.DerivedObservation)
COMPARISON_CLAIM = iri(SEI.ComparisonClaim)
COUNTRY, PROVINCE, CITY = iri(SEI.Country), iri(SEI.Province), iri(SEI.City)
ENTITY = iri(PROV.Entity)
EXCHANGE_RATE_BAND = iri(SEI.ExchangeRateBand)

# Properties.
LABEL = iri("http://www.w3.org/2000/01/rdf-schema#label")
COMMENT = iri("http://www.w3.org/2000/01/rdf-schema#comment")
TITLE, PUBLISHER, MODIFIED = iri(DCT + "title"), iri(DCT + "publisher"), iri(DCT + "modified")
DIVISION_CODE, LOCATED_IN = iri(SEI.divisionCode), iri(SEI.locatedIn)
STRUCTURE, IN_DATA_SET = iri(QB.structure), iri(QB.dataSet)
REF_AREA, REF_PERIOD = iri(SDMX_DIMENSION.refArea), iri(SDMX_DIMENSION.refPeriod)
INDICATOR, SCOPE_OF = iri(SEI.indicator), iri(SEI.scope)
VALUE, UNIT_OF = iri(SDMX_MEASURE.obsValue), iri(SDMX_ATTRIBUTE.unitMeasure)
PRECISION = iri(SEI.statedPrecision)
DERIVED_FROM = iri(PROV.wasDerivedFrom)
PARAGRAPH = iri(SEI.sourceParagraph)
SHARE_BASE, BOUND_SIDE = iri(SEI.shareBase), iri(SEI.bound)
DERIVATION_RULE, RULE_IN_WORDS = iri(SEI.derivationRule), iri(SEI.ruleDescription)
MINUEND, SUBTRAHEND = iri(SEI.minuend), iri(SEI.subtrahend)
NUMERATOR, DENOMINATOR = iri(SEI.numerator), iri(SEI.denominator)
JUSTIFIED_BY = iri(SEI.justifiedBy)
COMPARATOR, COVERS = iri(SEI.comparator), iri(SEI.coversObservation)
COMPARED_AREA, COMPARED_PERIOD = iri(SEI.comparedArea), iri(SEI.comparedPeriod)
COMPARED_INDICATOR, COMPARED_SCOPE = iri(SEI.comparedIndicator), iri(SEI.comparedScope)
BASE_CURRENCY, QUOTE_CURRENCY = iri(SEI.baseCurrency), iri(SEI.quoteCurrency)
MINIMUM_RATE, MAXIMUM_RATE = iri(SEI.minimumRate), iri(SEI.maximumRate)
APPLIES_TO = iri(SEI.appliesToPeriod)

# Values.
FIGURES_STRUCTURE = iri(DSD["sei-figures"])
SEI_KG = iri(AGENT["sei-kg"])
NOT_STATED, TOTAL_INVESTMENT = iri(SBASE["not-stated"]), iri(SBASE["total-investment"])
MORE_THAN, LESS_THAN = iri(BOUND["more-than"]), iri(BOUND["less-than"])
DIFFERENCE_RULE, MINIMUM_RULE, RATIO_RULE = (
    iri(SEI.DifferenceRule),
    iri(SEI.MinimumRule),
    iri(SEI.RatioRule),
)
GREATER_THAN = iri(SEI.greaterThan)
PERCENT, PERCENTAGE_POINT = iri(UNIT.PERCENT), iri(SEIU.PercentagePoint)
CNY, USD, NUMBER = iri(UNIT.CCY_CNY), iri(UNIT.CCY_USD), iri(UNIT.NUM)
CNY_PER_USD = iri(SEIU["CNY-PER-USD"])
FAI_GROWTH = iri(IND["fixed-asset-investment-growth"])
WHOLE_AREA = iri(SCOPE.city)

# The made-up things every synthetic set shares: its one source and its exchange-rate band.
DOC = "<https://w3id.org/sei-kg/synthetic/source>"
BAND = "<https://w3id.org/sei-kg/synthetic/exchange-rate-band>"
