"""The figures of ../shared/facts/qingdao-2019.md, as the tests expect them in the graph."""

from decimal import Decimal

UNIT = "http://qudt.org/vocab/unit/"
PP = "https://w3id.org/sei-kg/unit/PercentagePoint"

# id: (value, unit IRI, paragraph or None for derived)
FIGURES = {
    "F1": (Decimal("31.8"), UNIT + "PERCENT", 2),
    "F2": (Decimal("3.1"), PP, 2),
    "F3": (Decimal("4.6"), UNIT + "PERCENT", 5),
    "F4": (Decimal("4"), PP, 5),
    "F5": (Decimal("30"), UNIT + "PERCENT", 7),
    "F6": (Decimal("26.5"), UNIT + "PERCENT", 7),
    "F7": (Decimal("26.8"), UNIT + "PERCENT", 7),
    "F8": (Decimal("29.7"), UNIT + "PERCENT", 7),
    "F10": (Decimal("551"), UNIT + "NUM", 8),
    "F11": (Decimal("100000000000"), UNIT + "CCY_CNY", 8),
    "F12": (Decimal("14150000000"), UNIT + "CCY_USD", 8),
}

DERIVED = {
    "D1": (Decimal("28.7"), UNIT + "PERCENT", {"F1", "F2"}),
    "D2": (Decimal("0.6"), UNIT + "PERCENT", {"F3", "F4"}),
    "D3": (Decimal("26.5"), UNIT + "PERCENT", {"F6", "F7", "F8"}),
    "D4": (Decimal("7.07"), "https://w3id.org/sei-kg/unit/CNY-PER-USD", {"F11", "F12"}),
}

ARTICLE = "http://shandong.chinadaily.com.cn/2020-04/08/c_487092.htm"

# The figures of ../shared/facts/national-census.md: id -> (value, unit, year, category IRI).
# Counts in thousands are stored in enterprises (96.0 thousand -> 96000).
ENT = "https://w3id.org/sei-kg/unit/Enterprise"
PCT = UNIT + "PERCENT"
CAT = "https://w3id.org/sei-kg/category/"
C2023 = CAT + "nbs-2023/"
TOTAL = CAT + "total"
CENSUS = {
    "N1": (Decimal("66214"), ENT, "2018", TOTAL),
    "N2": (Decimal("17.7"), PCT, "2018", TOTAL),
    "N3": (Decimal("14068"), ENT, "2018", CAT + "3"),
    "N4": (Decimal("21.3"), PCT, "2018", CAT + "3"),
    "N5": (Decimal("12223"), ENT, "2018", CAT + "4"),
    "N6": (Decimal("18.5"), PCT, "2018", CAT + "4"),
    "N7": (Decimal("11987"), ENT, "2018", CAT + "7"),
    "N8": (Decimal("18.1"), PCT, "2018", CAT + "7"),
    "C1": (Decimal("96000"), ENT, "2023", TOTAL),
    "C2": (Decimal("19.5"), PCT, "2023", TOTAL),
    "C12": (Decimal("62000"), ENT, "2023", TOTAL),
    "C13": (Decimal("24.5"), PCT, "2023", TOTAL),
}
for _id, _slug, _count, _share in [
    ("C3", "new-generation-information-technology", "15000", "15.6"),
    ("C4", "high-end-equipment-manufacturing", "14500", "15.1"),
    ("C5", "new-material", "20400", "21.3"),
    ("C6", "bio-tech", "14900", "15.5"),
    ("C7", "new-energy-vehicle", "3200", "3.3"),
    ("C8", "new-energy", "11700", "12.2"),
    ("C9", "green-environmental-protection", "16300", "17.0"),
    ("C10", "aviation-aerospace", "1200", "1.3"),
    ("C11", "marine-equipment", "200", "0.2"),
]:
    CENSUS[_id + "-count"] = (Decimal(_count), ENT, "2023", C2023 + _slug)
    CENSUS[_id + "-share"] = (Decimal(_share), PCT, "2023", C2023 + _slug)

S2 = "https://w3id.org/sei-kg/source/census-2018-communique-6"
S3 = "https://www.stats.gov.cn/english/PressRelease/202412/t20241226_1957893.html"
