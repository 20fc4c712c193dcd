"""The HTTP application: the SPARQL endpoint, the Graph Store Protocol, the pages and the UI.

The server process only reads requests and writes answers; every piece of
work on the graph is a job in the worker pool (:mod:`seikg.serve.pool`).
An outer guard (:class:`Guard`) refuses unknown Host headers (DNS
rebinding) and foreign origins, adds CORS headers only for the origin named
with ``--cors``, sets a Content-Security-Policy that lets pages reach this
server alone, and logs one line per request.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import re
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from seikg.errors import BadInputError, LimitError, PolicyError, SeiKgError, StoreError
from seikg.serve.config import ServeConfig
from seikg.serve.html import WORDS, page, pick_lang
from seikg.serve.negotiation import GRAPH_TYPES, Offer, choose
from seikg.serve.pool import Busy, Deadline, WorkerPool
from seikg.serve.protocol import ProtocolError, query_request
from seikg.serve.reply import Reply

LOG = logging.getLogger("seikg.serve")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
)

_STATUS_OF = ((BadInputError, 400), (PolicyError, 403), (StoreError, 502))


def _web_dir() -> str:
    return str(resources.files("seikg.serve") / "web")


class Server:
    """The state of one running server: its settings, workers and caches."""

    def __init__(self, config: ServeConfig, pool: WorkerPool, background: WorkerPool) -> None:
        self.config = config
        self.pool = pool
        self.background = background
        self.validation: asyncio.Task[dict[str, Any]] | None = None
        self.font: asyncio.Task[bytes] | None = None
        self._cache: dict[str, Any] = {}

    async def job(self, name: str, /, *, timeout: float | None = None, **kwargs: Any) -> Any:
        """Run a job in a worker within the time limit."""
        return await self.pool.run(name, timeout=timeout or self.config.timeout, **kwargs)

    async def cached(self, name: str, /, *, timeout: float | None = None, **kwargs: Any) -> Any:
        """A job's result, computed once in the background worker (not a query slot)."""
        if name not in self._cache:
            self._cache[name] = await self.background.run(
                name, timeout=timeout or self.config.timeout, **kwargs
            )
        return self._cache[name]

    def start_background(self) -> None:
        """Make the Chinese font, then validate, in the background worker; the report and
        the figures' pages await the validation."""
        loop = asyncio.get_running_loop()
        self.font = loop.create_task(self.cached("cjk_font", timeout=max(self.config.timeout, 120)))
        self.validation = loop.create_task(
            self.background.run("validation", timeout=self.config.validation_timeout)
        )

    async def report(self, *, wait: float | None = None) -> dict[str, Any] | None:
        """The validation report; None when it is not ready within ``wait`` seconds."""
        assert self.validation is not None
        try:
            return await asyncio.wait_for(asyncio.shield(self.validation), wait)
        except TimeoutError:
            return None


# -- answers --------------------------------------------------------------------------------------


def error_response(status: int, message: str, request: Request, **log: object) -> Response:
    """A plain-text error in the style SPARQL servers use: one line, the status first."""
    request.scope.setdefault("seikg.log", {}).update(log, outcome=str(log.get("outcome", status)))
    headers = {"Retry-After": "1"} if status in (429, 503) else {}
    return Response(f"Error {status}: {message}\n", status, headers=headers,
                    media_type="text/plain; charset=utf-8")  # fmt: skip


def reply_response(reply: Reply, request: Request) -> Response:
    """A worker's reply as an HTTP response, and its log fields noted."""
    request.scope.setdefault("seikg.log", {}).update(reply.log)
    return Response(reply.body, reply.status, headers=reply.headers, media_type=reply.media_type)


async def run_job(server: Server, request: Request, name: str, /, **kwargs: Any) -> Any:
    """Run a job; turn refusals and limits into the HTTP status they mean."""
    try:
        return await server.job(name, **kwargs)
    except Busy as exc:
        return error_response(429, str(exc), request, outcome="busy")
    except Deadline as exc:
        return error_response(503, str(exc), request, outcome="timeout")
    except LimitError as exc:  # nesting, size: the query itself is over a limit
        return error_response(400, str(exc), request, outcome="limit")
    except SeiKgError as exc:
        status = next((s for kind, s in _STATUS_OF if isinstance(exc, kind)), 500)
        return error_response(status, str(exc), request, outcome=type(exc).__name__)
    except RuntimeError as exc:
        LOG.error("internal error in a worker: %s", str(exc).splitlines()[0] if str(exc) else exc)
        if server.config.debug:
            LOG.error("%s", exc)
        return error_response(500, "internal error; see the server's log", request,
                              outcome="crash")  # fmt: skip


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) past ``limit`` bytes, before or while reading."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"the request body is larger than the limit of {limit:,} bytes")
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(
                413, f"the request body is larger than the limit of {limit:,} bytes"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def base_url(request: Request) -> str:
    """The server's own address as the client named it (its Host header was checked)."""
    return f"{request.url.scheme}://{request.url.netloc}"


# -- the SPARQL endpoint --------------------------------------------------------------------------


async def sparql_endpoint(request: Request) -> Response:
    """SPARQL 1.1 Protocol: queries by GET and POST; the service description on a bare GET."""
    server: Server = request.app.state.server
    config = server.config
    log = request.scope.setdefault("seikg.log", {})
    try:
        body = await read_body(request, config.max_body_bytes) if request.method == "POST" else b""
        query = query_request(
            request.method, request.scope.get("query_string", b""),
            request.headers.get("content-type"), body, max_query=config.max_query_bytes,
        )  # fmt: skip
    except ProtocolError as exc:
        outcome = "refused" if exc.status == 403 else "bad-request"
        return error_response(exc.status, str(exc), request, outcome=outcome)
    if query is None:
        return await service_description(request)
    log["q"] = hashlib.sha256(query.text.encode("utf-8")).hexdigest()[:12]
    result = await run_job(
        server, request, "sparql", text=query.text, default_graphs=query.default_graphs,
        named_graphs=query.named_graphs, accept=request.headers.get("accept"), fmt=query.fmt,
        limit=config.max_rows, base=base_url(request),
    )  # fmt: skip
    return result if isinstance(result, Response) else reply_response(result, request)


DESCRIPTION_TYPES: tuple[Offer, ...] = (*GRAPH_TYPES, Offer("text/html", "html", ("html",)))


async def service_description(request: Request) -> Response:
    """The Service Description (RDF by Accept; a page for browsers)."""
    from seikg.serve.description import service_description as describe
    from seikg.serve.results import graph_reply

    server: Server = request.app.state.server
    offer = choose(request.headers.get("accept"), DESCRIPTION_TYPES)
    if offer is None:
        names = ", ".join(o.media_type for o in DESCRIPTION_TYPES)
        return error_response(406, f"the service description can be had as: {names}", request)
    try:
        facts = await server.cached("description_facts")
    except (Busy, SeiKgError) as exc:
        return error_response(503, str(exc), request)
    endpoint = base_url(request) + request.url.path
    graph = describe(endpoint, facts["graphs"], triples=facts["triples"])
    if offer.writer == "html":
        lang = pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
        turtle = graph.serialize(format="turtle")
        from html import escape

        body = (
            f"<p>{escape(WORDS[lang]['description'])}: <code>{escape(endpoint)}</code></p>"
            f"<pre>{escape(turtle)}</pre>"
        )
        html_text = page(WORDS[lang]["endpoint"], body, lang=lang, path=request.url.path)
        return Response(
            html_text, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"}
        )
    reply = graph_reply(graph, offer)
    reply.headers["Vary"] = "Accept"
    return reply_response(reply, request)


# -- Graph Store Protocol (read only) -------------------------------------------------------------


async def graph_store(request: Request) -> Response:
    """GET of the default graph (``?default``), a part or a named graph (``?graph=IRI``,
    or directly ``/store/ontology``); every write is refused."""
    from seikg.serve.backend import part_graph

    server: Server = request.app.state.server
    if request.method not in ("GET", "HEAD"):
        return error_response(403, "the graph store is read-only here", request, outcome="refused")
    part = request.path_params.get("part")
    params = request.query_params
    graphs = params.getlist("graph")
    if part is not None:
        graph: str | None = part_graph(part)
    elif "default" in params and not graphs:
        graph = None
    elif len(graphs) == 1 and "default" not in params:
        graph = graphs[0]
    else:
        return error_response(400, "name one graph: ?default or ?graph=IRI", request)
    fmt = params.get("format")
    result = await run_job(server, request, "graph_store", graph=graph,
                           accept=request.headers.get("accept"), fmt=fmt)  # fmt: skip
    return result if isinstance(result, Response) else reply_response(result, request)


# -- pages ----------------------------------------------------------------------------------------


def _lang(request: Request) -> str:
    return pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))


async def resource_page(request: Request) -> Response:
    """The page of a resource of the graph, by its path."""
    server: Server = request.app.state.server
    path = request.url.path
    iri = "https://w3id.org/sei-kg" + path
    report = await server.report(wait=server.config.timeout)
    checks = None
    if report is not None:
        checks = [
            r for r in report["results"]
            if r["focus_node"] == iri or any(f["iri"] == iri for f in r["figures"])
        ]  # fmt: skip
    result = await run_job(
        server, request, "resource_page", path=path, accept=request.headers.get("accept"),
        fmt=request.query_params.get("format"), lang=_lang(request), checks=checks,
        validated=report is not None,
    )  # fmt: skip
    return result if isinstance(result, Response) else reply_response(result, request)


async def report_page(request: Request) -> Response:
    """The validation report: as a page, or as JSON (``/ui/report.json``)."""
    server: Server = request.app.state.server
    try:
        report = await server.report(wait=server.config.validation_timeout)
    except SeiKgError as exc:
        return error_response(503, f"validation failed: {exc}", request)
    assert report is not None
    if request.url.path.endswith(".json"):
        return JSONResponse(report)
    result = await run_job(server, request, "report_page", report=report, lang=_lang(request),
                           path=request.url.path)  # fmt: skip
    return result if isinstance(result, Response) else reply_response(result, request)


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


async def view_page(request: Request) -> Response:
    """The interactive graph view (seikg.views), with a CSP naming its inline script."""
    from seikg.views import View

    server: Server = request.app.state.server
    view = request.query_params.get("view", "overview")
    if view not in {v.value for v in View}:
        return error_response(400, f"unknown view {view!r}", request)
    params = request.query_params
    result = await run_job(server, request, "view_page", view=view, lang=_lang(request),
                           city=params.get("city"), province=params.get("province"),
                           category=params.get("category"))  # fmt: skip
    if isinstance(result, Response):
        return result
    html_text = result.body.decode("utf-8")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(html_text)
    )
    result.headers["Content-Security-Policy"] = CSP.replace(
        "script-src 'self'", f"script-src 'self' {hashes}"
    )
    return reply_response(result, request)


async def limits_page(request: Request) -> Response:
    """What the server's limits are (results that were cut link here)."""
    from html import escape

    config: ServeConfig = request.app.state.server.config
    lang = _lang(request)
    rows = [
        ("rows", "results are cut after this many rows or triples", config.max_rows),
        ("time", "a query is stopped after this many seconds (503)", config.timeout),
        ("queries", "queries running or waiting at once (429 beyond)", config.max_queries),
        ("body", "bytes of a request body (413 beyond)", config.max_body_bytes),
        ("query", "bytes of a query text (413, or 414 for GET, beyond)", config.max_query_bytes),
    ]
    body = (
        '<table class="props">'
        + "".join(
            f'<tr id="{key}"><th>{escape(text)}</th><td class="num">{value:,}</td></tr>'
            for key, text, value in rows
        )
        + "</table>"
    )
    return Response(page(WORDS[lang]["limits"], body, lang=lang, path=request.url.path),
                    media_type="text/html; charset=utf-8")  # fmt: skip


# -- the browser UI -------------------------------------------------------------------------------


async def index(request: Request) -> Response:
    """The query page of the UI (a static file; the script does the rest)."""
    return FileResponse(f"{_web_dir()}/index.html", media_type="text/html; charset=utf-8")


async def catalogue(request: Request) -> Response:
    """The SPARQL catalogue as JSON, for the UI's menu."""
    server: Server = request.app.state.server
    try:
        entries = await server.cached("catalogue")
    except (Busy, SeiKgError) as exc:
        return error_response(503, str(exc), request)
    return JSONResponse(entries)


async def catalogue_run(request: Request) -> Response:
    """Run a catalogue query by name with its parameters (bound, never pasted)."""
    server: Server = request.app.state.server
    params = {k: v for k, v in request.query_params.items() if k not in ("name", "lang")}
    name = request.query_params.get("name", "")
    request.scope.setdefault("seikg.log", {})["q"] = f"catalogue:{name}"[:40]
    result = await run_job(server, request, "catalogue_run", name=name, params=params,
                           limit=server.config.max_rows, base=base_url(request))  # fmt: skip
    return result if isinstance(result, Response) else reply_response(result, request)


async def cjk_font(request: Request) -> Response:
    """The Chinese font of the UI (cut down to the characters the pages show)."""
    server: Server = request.app.state.server
    try:
        assert server.font is not None
        data = await asyncio.shield(server.font)
    except (Busy, SeiKgError) as exc:
        return error_response(503, str(exc), request)
    return Response(data, media_type="font/woff", headers={"Cache-Control": "max-age=86400"})


async def no_content(request: Request) -> Response:
    """Nothing (the favicon browsers ask for)."""
    return Response(status_code=204)


# -- the guard ------------------------------------------------------------------------------------


def _host_name(host: str) -> str:
    """The name part of a Host header or origin authority (no port), lower case.

    >>> _host_name("[::1]:7878"), _host_name("LocalHost:80"), _host_name("127.0.0.1")
    ('::1', 'localhost', '127.0.0.1')
    """
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


class Guard:
    """Host allow-list, origin check, CORS, security headers and the request log."""

    def __init__(self, app: ASGIApp, config: ServeConfig) -> None:
        self.app = app
        self.config = config
        self.allowed = config.allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check, answer and log one request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        status_box = [0]
        log: dict[str, object] = {}
        scope["seikg.log"] = log
        origin = headers.get("origin")
        cors = self.config.cors_origin is not None and origin == self.config.cors_origin

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_box[0] = message["status"]
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"SAMEORIGIN"),
                ]
                names = {k.lower() for k, _v in message.get("headers", [])}
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", CSP.encode()))
                if cors:
                    extra += [
                        (b"access-control-allow-origin", origin.encode("latin-1")),  # type: ignore[union-attr]
                        (b"access-control-expose-headers", b"Sei-Kg-Truncated, Link"),
                        (b"vary", b"Origin"),
                    ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            refusal = self._refusal(headers, origin, cors)
            if refusal is not None:
                log["outcome"] = "refused-host" if "host" in refusal.lower() else "refused-origin"
                await _plain(send_with_headers, 403, refusal)
            elif cors and scope["method"] == "OPTIONS":
                await _preflight(send_with_headers)
            else:
                await self.app(scope, receive, send_with_headers)
        finally:
            self._log(scope, status_box[0], time.perf_counter() - started, log)

    def _refusal(self, headers: dict[str, str], origin: str | None, cors: bool) -> str | None:
        host = headers.get("host")
        if host is None or _host_name(host) not in self.allowed:
            return "this server answers to its own host names only (the Host header is not one)"
        foreign = origin is not None and origin != "null" and not cors
        if foreign and _host_name(urlsplit(origin).netloc) not in self.allowed:  # type: ignore[arg-type]
            return "requests from other origins are refused (start the server with --cors)"
        return None

    def _log(self, scope: Scope, status: int, seconds: float, log: dict[str, object]) -> None:
        route = _route_name(scope.get("path", ""))
        fields = [
            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            scope.get("method", "-"),
            route,
            str(status),
            f"{seconds * 1000:.1f}ms",
        ]
        for key in ("q", "form", "rows", "truncated"):
            if key in log:
                fields.append(f"{key}={log[key]}")
        outcome = log.get("outcome") or ("ok" if status < 400 else str(status))
        fields.append(f"outcome={outcome}")
        LOG.info(" ".join(fields))


def _route_name(path: str) -> str:
    """What the log says of a path: the route, not what the client wrote.

    >>> _route_name("/sparql"), _route_name("/place/370200"), _route_name("/ui/static/app.js")
    ('/sparql', 'resource', '/ui/static')
    """
    for prefix in ("/sparql", "/query", "/store", "/ui/static", "/ui/api", "/ui/view",
                   "/ui/report", "/ui/limits", "/ui/font"):  # fmt: skip
        if path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "."):
            return prefix
    return "/" if path == "/" else "resource"


async def _plain(send: Send, status: int, text: str) -> None:
    body = f"Error {status}: {text}\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _preflight(send: Send) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": [
        (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
        (b"access-control-allow-headers", b"Content-Type, Accept"),
        (b"access-control-max-age", b"600")]})  # fmt: skip
    await send({"type": "http.response.body", "body": b""})


# -- assembly -------------------------------------------------------------------------------------


def create_app(config: ServeConfig, pool: WorkerPool, background: WorkerPool) -> ASGIApp:
    """The whole application, guarded: ``pool`` runs the requests' jobs, ``background``
    the validation report and the font (computed once, cached)."""
    server = Server(config, pool, background)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool.start()
        background.start()
        server.start_background()
        try:
            yield
        finally:
            for task in (server.validation, server.font):
                if task is not None:
                    task.cancel()
            pool.close()
            background.close()

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
        Route("/query", sparql_endpoint, methods=["GET", "POST"]),
        Route("/store", graph_store, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/store/{part:str}", graph_store, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/ui/api/catalogue", catalogue, methods=["GET"]),
        Route("/ui/api/run", catalogue_run, methods=["GET"]),
        Route("/ui/view", view_page, methods=["GET"]),
        Route("/ui/report", report_page, methods=["GET"]),
        Route("/ui/report.json", report_page, methods=["GET"]),
        Route("/ui/limits", limits_page, methods=["GET"]),
        Route("/ui/font/cjk.woff", cjk_font, methods=["GET"]),
        Route("/favicon.ico", no_content, methods=["GET"]),
        Mount("/ui/static", app=StaticFiles(directory=_web_dir()), name="static"),
        Route("/{path:path}", resource_page, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.server = server
    return Guard(app, config)
