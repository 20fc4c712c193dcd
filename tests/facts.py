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
