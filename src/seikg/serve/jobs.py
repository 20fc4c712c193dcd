"""The jobs a worker process runs: each takes the backend and plain values, returns plain data.

A job never sees the HTTP request: the server process reads what it needs
(query text, dataset, Accept header, language) and hands that over; the job
sends back a :class:`~seikg.serve.reply.Reply` (or data the server caches).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from seikg.errors import BadInputError
from seikg.serve.backend import PARTS, Backend, DatasetChoice, part_graph
from seikg.serve.negotiation import GRAPH_TYPES, SELECT_TYPES, Offer, choose
from seikg.serve.reply import Reply
from seikg.serve.results import graph_reply, result_reply
from seikg.serve.sparql import inspect_query
from seikg.sparql.results import AskResult, GraphResult, Row, SelectResult


def _not_acceptable(offers: tuple[Offer, ...], form: str) -> Reply:
    names = ", ".join(o.media_type for o in offers)
    return Reply.text(406, f"a {form} result can be had as: {names}", form=form, outcome="406")


def sparql(
    backend: Backend,
    *,
    text: str,
    default_graphs: tuple[str, ...] = (),
    named_graphs: tuple[str, ...] = (),
    accept: str | None = None,
    fmt: str | None = None,
    limit: int | None = None,
    base: str = "",
    bindings: dict[str, Any] | None = None,
) -> Reply:
    """Run a query under the endpoint's policy and write its result as negotiated.

    The text is decoded once first, as the command line decodes it: the policy inspects,
    and the store runs, the decoded text (see :func:`seikg.sparql.policy.decode_escapes`).
    """
    from seikg.sparql.policy import decode_escapes

    text = decode_escapes(text)
    inspected = inspect_query(text, screen=backend.kind == "oxigraph")
    protocol = DatasetChoice(tuple(default_graphs), tuple(named_graphs))
    dataset = protocol if protocol else inspected.dataset
    prepared = inspected.prepared
    if protocol and prepared is None and backend.kind == "memory":
        prepared = inspect_query(text).prepared
    offer = None
    if inspected.form is not None:
        offers = GRAPH_TYPES if inspected.form in ("CONSTRUCT", "DESCRIBE") else SELECT_TYPES
        offer = choose(accept, offers, parameter=fmt)
        if offer is None:
            return _not_acceptable(offers, inspected.form)
    result = backend.query(text, bindings=bindings, dataset=dataset, prepared=prepared,
                           limit=limit, base_iri=f"{base}/sparql" if base else None)  # fmt: skip
    if offer is None:  # the store's own parser saw the text first: the form comes from the result
        offers = GRAPH_TYPES if isinstance(result, GraphResult) else SELECT_TYPES
        offer = choose(accept, offers, parameter=fmt)
        if offer is None:
            form = "CONSTRUCT" if isinstance(result, GraphResult) else (
                "ASK" if isinstance(result, AskResult) else "SELECT")  # fmt: skip
            return _not_acceptable(offers, form)
    if isinstance(result, SelectResult) and _SELECT_ALL.search(text):
        result = in_order_of_appearance(result, text)
    return result_reply(result, offer, limit=limit, base=base)


_SELECT_ALL = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*", re.IGNORECASE)


def in_order_of_appearance(result: SelectResult, text: str) -> SelectResult:
    """The columns of a ``SELECT *`` in the order their variables first appear in the query
    (what readers expect, and the W3C result tests; stores differ here).

    >>> r = SelectResult.collect(("o", "s"), [(1, 2)], None)
    >>> in_order_of_appearance(r, "SELECT * { ?s ?p ?o }").variables
    ('s', 'o')
    """

    def first(name: str) -> int:
        found = re.search(rf"[?$]{re.escape(name)}\b", text)
        return found.start() if found else len(text)

    names = tuple(sorted(result.variables, key=first))
    if names == result.variables:
        return result
    rows = tuple(Row(names, tuple(row[n] for n in names)) for row in result.rows)
    return SelectResult(names, rows, result.truncated)


def catalogue(backend: Backend) -> list[dict[str, Any]]:
    """The catalogue queries: name, title, description, parameters and text."""
    from seikg.sparql.catalog import catalog

    return [
        {
            "name": q.name, "title": q.title, "description": q.description, "text": q.text,
            "params": [{"name": p.name, "type": p.type, "default": p.default} for p in q.params],
        }
        for q in catalog()
    ]  # fmt: skip


def catalogue_run(
    backend: Backend, *, name: str, params: dict[str, str], limit: int | None, base: str
) -> Reply:
    """Run a catalogue query with its parameters bound (never pasted), as SPARQL JSON."""
    from seikg.sparql.catalog import catalog

    entry = next((q for q in catalog() if q.name == name), None)
    if entry is None:
        raise BadInputError(f"no query called {name!r} in the catalogue")
    bindings = backend.catalogue_bindings(entry, {k: v for k, v in params.items() if v != ""})
    return sparql(backend, text=entry.text, bindings=bindings, limit=limit, base=base,
                  accept="application/sparql-results+json")  # fmt: skip


def graph_store(
    backend: Backend, *, graph: str | None, accept: str | None, fmt: str | None
) -> Reply:
    """A graph for the Graph Store Protocol: the default graph, a part, or a named graph."""
    offer = choose(accept, GRAPH_TYPES, parameter=fmt)
    if offer is None:
        return _not_acceptable(GRAPH_TYPES, "graph")
    if graph is None:
        content = backend.part("all")
    elif graph in (part_graph(p) for p in PARTS):
        content = backend.part(graph.rsplit("/", 1)[1])
    elif graph in backend.graph_names():
        content = backend.named_graph(graph)
    else:
        return Reply.text(404, f"this store holds no graph named <{graph}>")
    reply = graph_reply(content, offer)
    reply.log.update(rows=len(content))
    return reply


def description_facts(backend: Backend) -> dict[str, Any]:
    """What the service description says of the dataset: named graphs, triples."""
    names = backend.graph_names()
    from seikg.stores.counts import one_count

    count = backend.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    triples = (
        one_count(count.rows, "n", store="of the server", what="the number of triples")
        if hasattr(count, "rows")
        else None
    )
    return {"graphs": names, "triples": triples}


def validation(backend: Backend) -> dict[str, Any]:
    """The validation report in its JSON form (cached by the server process)."""
    from seikg.validation import ReportFormat

    report: dict[str, Any] = json.loads(backend.validate().render(ReportFormat.JSON))
    return report


def resource_page(backend: Backend, **kwargs: Any) -> Reply:
    """The page of one resource (see :mod:`seikg.serve.pages`)."""
    from seikg.serve.pages import resource

    return resource(backend, **kwargs)


def report_page(backend: Backend, *, report: dict[str, Any], lang: str, path: str) -> Reply:
    """The validation report page."""
    from seikg.serve.report import report_page as render

    return Reply(render(backend, report=report, lang=lang, path=path).encode("utf-8"),
                 "text/html; charset=utf-8")  # fmt: skip


def view_page(
    backend: Backend, *, view: str, lang: str, city: str | None,
    province: str | None = None, category: str | None = None,
) -> Reply:  # fmt: skip
    """The interactive graph view of :mod:`seikg.views` (a self-contained page)."""
    from seikg.views import to_networkx
    from seikg.views.kinds import Focus
    from seikg.views.page import html_page

    if view == "city" and not city:
        city = "Qingdao"
    kg = backend.view_source(view, Focus(city=city, province=province, category=category))
    graph = to_networkx(kg, view=view, lang=lang, city=city, province=province, category=category)
    city_label = str(graph.graph.get("focus_label") or city or "")
    page = html_page(graph, lang=lang, city_label=city_label)
    back = "查询" if lang == "zh" else "Query"
    link = (f'<a href="/?lang={lang}" style="position:fixed;right:1rem;bottom:1rem;'
            f'font:14px sans-serif">← sei-kg · {back}</a>')  # fmt: skip
    page = page.replace("<body>", "<body>\n" + link, 1)
    return Reply(page.encode("utf-8"), "text/html; charset=utf-8")


def cjk_font(backend: Backend, *, extra: str = "") -> bytes:
    """Noto Sans CJK SC cut down to the Chinese characters of the graph, the catalogue and
    the pages, as WOFF (so that Chinese renders on machines without a Chinese font)."""
    from importlib import resources

    from seikg.serve.fonts import cjk_subset
    from seikg.serve.html import WORDS

    kg_text = backend.part("all").serialize(format="nt", encoding="utf-8").decode("utf-8")
    shapes_text = backend.part("shapes").serialize(format="nt", encoding="utf-8").decode("utf-8")
    ui_text = (resources.files("seikg.serve") / "web" / "app.js").read_text(encoding="utf-8")
    return cjk_subset(kg_text + shapes_text + ui_text + str(WORDS) + extra)


JOBS: dict[str, Callable[..., Any]] = {
    "sparql": sparql,
    "catalogue": catalogue,
    "catalogue_run": catalogue_run,
    "graph_store": graph_store,
    "description_facts": description_facts,
    "validation": validation,
    "resource_page": resource_page,
    "report_page": report_page,
    "view_page": view_page,
    "cjk_font": cjk_font,
}
