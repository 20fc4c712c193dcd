"""The frame of every HTML page the server writes: navigation, language switch, style.

Pages are written on the server with escaped text; they load only the
server's own style sheet and font, never a script from elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import urlencode

from rdflib import Literal, URIRef
from rdflib.term import Node

from seikg.namespaces import BASE

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "site": "sei-kg · China's strategic emerging industries",
        "query": "Query", "graph": "Graph", "report": "Validation", "endpoint": "Endpoint",
        "properties": "Properties", "linked_from": "Linked from", "figures": "Figures",
        "figure": "Figure", "value": "value", "unit": "unit", "source": "source",
        "indicator": "indicator", "year": "year", "area": "area", "scope": "scope",
        "checks": "Rule checks", "holds": "holds", "broken": "broken", "warning": "warning",
        "no_checks": "No rule targets this resource.", "formats": "As data",
        "not_found": "Nothing in the graph has this address.", "iri": "IRI",
        "types": "Types", "derived_from": "derived from", "rule": "rule",
        "paragraph": "paragraph", "precision": "stated precision", "bound": "bound",
        "conforms": "Conforms: every rule holds.", "rules": "Rules", "results": "Results",
        "all_figures": "Every figure", "status": "status", "pending": "not checked yet",
        "terms": "Terms", "description": "The SPARQL endpoint of this server",
        "limits": "Limits",
    },
    "zh": {
        "site": "sei-kg · 中国战略性新兴产业",
        "query": "查询", "graph": "图谱", "report": "校验", "endpoint": "端点",
        "properties": "属性", "linked_from": "被引用于", "figures": "数字",
        "figure": "数字", "value": "数值", "unit": "单位", "source": "来源",
        "indicator": "指标", "year": "年份", "area": "地区", "scope": "范围",
        "checks": "规则检查", "holds": "通过", "broken": "违反", "warning": "警告",
        "no_checks": "没有规则以此资源为对象。", "formats": "数据格式",
        "not_found": "图谱中没有这个地址。", "iri": "IRI",
        "types": "类型", "derived_from": "推算自", "rule": "规则",
        "paragraph": "段落", "precision": "声明精度", "bound": "界限",
        "conforms": "符合：所有规则均成立。", "rules": "规则", "results": "结果",
        "all_figures": "全部数字", "status": "状态", "pending": "尚未检查",
        "terms": "术语", "description": "本服务器的 SPARQL 端点",
        "limits": "限制",
    },
}  # fmt: skip


def pick_lang(requested: str | None, accept_language: str | None = None) -> str:
    """``en`` or ``zh``: the ``lang`` parameter, else the browser's first choice of the two.

    >>> pick_lang(None, "zh-CN,zh;q=0.9,en;q=0.8")
    'zh'
    >>> pick_lang("en", "zh-CN")
    'en'
    """
    if requested in WORDS:
        return str(requested)
    for item in (accept_language or "").split(","):
        tag = item.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"


def local_path(iri: str) -> str | None:
    """The path this server serves an IRI of the graph at, or None for other IRIs.

    >>> local_path("https://w3id.org/sei-kg/place/370200")
    '/place/370200'
    >>> local_path("https://w3id.org/sei-kg/ontology#Indicator")
    '/ontology#Indicator'
    >>> local_path("http://www.wikidata.org/entity/Q170322") is None
    True
    """
    if iri.startswith(BASE) and len(iri) > len(BASE):
        return "/" + iri[len(BASE) :]
    return None


def term_html(term: Node | None, label: str | None = None, *, lang: str = "en") -> str:
    """A term as HTML: a link for IRIs of the graph, the IRI for others, text for literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        path = local_path(str(term))
        text = escape(label or str(term))
        if path is not None:
            return f'<a href="{escape(_with_lang(path, lang))}">{text}</a>'
        return (
            f'<a class="external" href="{escape(str(term))}" rel="noreferrer noopener">{text}</a>'
        )
    if isinstance(term, Literal):
        tag = f' <span class="tag">@{escape(term.language)}</span>' if term.language else ""
        return f"{escape(str(term))}{tag}"
    return f"<code>_:{escape(str(term))}</code>"


def _with_lang(path: str, lang: str) -> str:
    if lang == "en":
        return path
    head, sep, fragment = path.partition("#")
    joiner = "&" if "?" in head else "?"
    return f"{head}{joiner}lang={lang}{sep}{fragment}"


def page(
    title: str,
    body: str,
    *,
    lang: str,
    path: str,
    subtitle: str = "",
    alternates: Sequence[tuple[str, str, str]] = (),
) -> str:
    """A whole HTML page in the site's frame; ``alternates`` are (href, media type, name)."""
    words = WORDS[lang]
    nav = " ".join(
        f'<a href="{escape(_with_lang(href, lang))}">{escape(words[key])}</a>'
        for key, href in (("query", "/"), ("graph", "/ui/view"), ("report", "/ui/report"),
                          ("endpoint", "/sparql"))
    )  # fmt: skip
    switch = " · ".join(
        f'<a href="{escape(path)}?{urlencode({"lang": code})}" hreflang="{code}"'
        f"{' class=current' if code == lang else ''}>{name}</a>"
        for code, name in (("en", "EN"), ("zh", "中文"))
    )
    links = "".join(
        f'<link rel="alternate" type="{escape(kind)}" href="{escape(href)}">'
        for href, kind, _ in alternates
    )
    formats = ""
    if alternates:
        formats = (
            f'<p class="formats">{escape(words["formats"])}: '
            + " · ".join(
                f'<a href="{escape(h)}" type="{escape(k)}">{escape(n)}</a>'
                for h, k, n in alternates
            )
            + "</p>"
        )
    sub = f'<p class="subtitle">{escape(subtitle)}</p>' if subtitle else ""
    html_lang = "zh-Hans" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · sei-kg</title>\n"
        '<link rel="stylesheet" href="/ui/static/site.css">\n'
        f"{links}\n</head>\n<body>\n"
        f'<header class="site"><a class="brand" href="{escape(_with_lang("/", lang))}">'
        f'{escape(words["site"])}</a><nav>{nav}</nav><span class="lang">{switch}</span></header>\n'
        f"<main>\n<h1>{escape(title)}</h1>\n{sub}{formats}\n{body}\n</main>\n</body>\n</html>\n"
    )
