"""Reading SPARQL 1.1 Protocol requests: GET, POST form-encoded and POST direct.

>>> r = read_parameters(b"query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fe%2Fg")
>>> r["query"], r["default-graph-uri"]
(['ASK {}'], ['http://e/g'])
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import parse_qsl


class ProtocolError(Exception):
    """A request the protocol does not allow: carries the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def read_parameters(raw: bytes) -> dict[str, list[str]]:
    """URL-encoded parameters (a query string or a form body), refused when not UTF-8."""
    try:
        text = raw.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the parameters are not UTF-8 text") from None
    except ValueError as exc:
        raise ProtocolError(400, f"the parameters cannot be read: {exc}") from None
    out: dict[str, list[str]] = defaultdict(list)
    for key, value in pairs:
        out[key].append(value)
    return dict(out)


def media_type(header: str | None) -> tuple[str, dict[str, str]]:
    """A Content-Type header's media type (lower case) and its parameters.

    >>> media_type("application/sparql-query; charset=UTF-8")
    ('application/sparql-query', {'charset': 'utf-8'})
    """
    if not header:
        return "", {}
    kind, *params = (p.strip() for p in header.split(";"))
    values = {}
    for param in params:
        key, _eq, value = param.partition("=")
        values[key.strip().lower()] = value.strip().strip('"').lower()
    return kind.lower(), values


@dataclass(frozen=True)
class QueryRequest:
    """A query as the protocol delivers it: text, dataset, and the format asked for."""

    text: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    fmt: str | None


def query_request(
    method: str, query_string: bytes, content_type: str | None, body: bytes, *, max_query: int
) -> QueryRequest | None:
    """Read a query request; None for a GET without a query (the service description).

    Raises :class:`ProtocolError` for what the protocol forbids: updates (403
    here, the endpoint is read-only), several queries, a wrong or missing media
    type, text that is not UTF-8, a query over the size limit.
    """
    params = read_parameters(query_string)
    direct: str | None = None
    if method == "POST":
        kind, extra = media_type(content_type)
        if kind == "application/x-www-form-urlencoded":
            for key, values in read_parameters(body).items():
                params.setdefault(key, []).extend(values)
        elif kind == "application/sparql-query":
            charset = extra.get("charset", "utf-8")
            if charset not in ("utf-8", "utf8"):
                raise ProtocolError(415, f"a query must be sent as UTF-8, not {charset}")
            try:
                direct = body.decode("utf-8")
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query is not UTF-8 text") from None
        elif kind == "application/sparql-update":
            raise ProtocolError(403, "SPARQL updates are refused: this endpoint is read-only")
        elif not kind:
            raise ProtocolError(
                415, "a POST needs a Content-Type: application/x-www-form-urlencoded or "
                "application/sparql-query",
            )  # fmt: skip
        else:
            raise ProtocolError(415, f"cannot read a POST body of type {kind}")
    if "update" in params:
        raise ProtocolError(403, "SPARQL updates are refused: this endpoint is read-only")
    queries = params.get("query", [])
    if direct is not None:
        if queries:
            raise ProtocolError(400, "a direct POST takes the query in its body only")
        queries = [direct]
    if not queries:
        if method == "POST":
            raise ProtocolError(400, "no query: send one in the 'query' parameter or the body")
        return None
    if len(queries) > 1:
        raise ProtocolError(400, "one query per request")
    text = queries[0]
    if len(text.encode("utf-8")) > max_query:
        status = 414 if method == "GET" else 413
        raise ProtocolError(status, f"the query is longer than the limit of {max_query:,} bytes")
    fmt: str | None = (params.get("format") or params.get("output") or [""])[0]
    return QueryRequest(
        text,
        tuple(params.get("default-graph-uri", [])),
        tuple(params.get("named-graph-uri", [])),
        fmt or None,
    )
