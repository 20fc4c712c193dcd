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

# The figures of ../shared/facts/national-census.md.  id: (kind, value in the graph's units,
# unit IRI, stated precision, reference year, the category it counts, as the IRI of the
# concept in the classification of its census, or None for a whole).  C3-C11 are each a
# count and a share; counts in thousands are stored in enterprises.
CAT = "https://w3id.org/sei-kg/category/"
CAT23 = CAT + "nbs-2023/"
NBS_ENGLISH_2023 = {
    "C3": "new-generation-information-technology",
    "C4": "high-end-equipment-manufacturing",
    "C5": "new-material",
    "C6": "bio-tech",
    "C7": "new-energy-vehicle",
    "C8": "new-energy",
    "C9": "green-environmental-protection",
    "C10": "aviation-aerospace",
    "C11": "marine-equipment",
}
_C = {  # id: (count in thousands, share in percent)
    "C3": ("15.0", "15.6"), "C4": ("14.5", "15.1"), "C5": ("20.4", "21.3"), "C6": ("14.9", "15.5"),
    "C7": ("3.2", "3.3"), "C8": ("11.7", "12.2"), "C9": ("16.3", "17.0"), "C10": ("1.2", "1.3"),
    "C11": ("0.2", "0.2"),
}  # fmt: skip
CENSUS = {
    ("N1", "count"): (Decimal("66214"), UNIT + "NUM", Decimal("1"), 2018, None),
    ("N2", "share"): (Decimal("17.7"), UNIT + "PERCENT", Decimal("0.1"), 2018, None),
    ("N3", "count"): (Decimal("14068"), UNIT + "NUM", Decimal("1"), 2018, CAT + "3"),
    ("N4", "share"): (Decimal("21.3"), UNIT + "PERCENT", Decimal("0.1"), 2018, CAT + "3"),
    ("N5", "count"): (Decimal("12223"), UNIT + "NUM", Decimal("1"), 2018, CAT + "4"),
    ("N6", "share"): (Decimal("18.5"), UNIT + "PERCENT", Decimal("0.1"), 2018, CAT + "4"),
    ("N7", "count"): (Decimal("11987"), UNIT + "NUM", Decimal("1"), 2018, CAT + "7"),
    ("N8", "share"): (Decimal("18.1"), UNIT + "PERCENT", Decimal("0.1"), 2018, CAT + "7"),
    ("C1", "count"): (Decimal("96000"), UNIT + "NUM", Decimal("100"), 2023, None),
    ("C2", "share"): (Decimal("19.5"), UNIT + "PERCENT", Decimal("0.1"), 2023, None),
    ("C12", "count"): (Decimal("62000"), UNIT + "NUM", Decimal("1000"), 2023, None),
    ("C13", "share"): (Decimal("24.5"), UNIT + "PERCENT", Decimal("0.1"), 2023, None),
    **{
        (cid, "count"): (
            Decimal(count) * 1000, UNIT + "NUM", Decimal("100"), 2023, CAT23 + NBS_ENGLISH_2023[cid]
        )
        for cid, (count, _share) in _C.items()
    },
    **{
        (cid, "share"): (
            Decimal(share), UNIT + "PERCENT", Decimal("0.1"), 2023, CAT23 + NBS_ENGLISH_2023[cid]
        )
        for cid, (_count, share) in _C.items()
    },
}  # fmt: skip
CENSUS_SOURCES = {
    2018: "https://w3id.org/sei-kg/document/census-2018-communique-6",
    2023: "https://www.stats.gov.cn/english/PressRelease/202412/t20241226_1957893.html",
}
# (share, count, total): the shares of a count the sources state with both inputs.
SHARES_OF_COUNTS = [
    ("N4", "N3", "N1"), ("N6", "N5", "N1"), ("N8", "N7", "N1"),
    *[(cid, cid, "C1") for cid in _C],
]  # fmt: skip
