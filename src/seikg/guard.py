"""Defences for untrusted input: no network, size and nesting limits, strict text.

* :func:`no_network` denies sockets and URL opening inside the process while
  user input is handled (a Python audit hook); queries and shapes are also
  inspected before they run (see :mod:`seikg.sparql`), so this is defence in
  depth.
* :func:`check_input` refuses, before any parser sees them, files that are too
  large, not UTF-8, nested too deeply, or RDF/XML with entity declarations; it
  accepts a UTF-8 byte-order mark and warns about empty files.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from seikg.errors import BadInputError, LimitError, PolicyError
from seikg.formats import RdfFormat


@dataclass(frozen=True)
class Limits:
    """Input limits; the command line can change them."""

    max_input_bytes: int = 512 * 1024 * 1024
    max_nesting: int = 64
    max_rows: int = 100_000


LIMITS: ContextVar[Limits] = ContextVar("seikg_limits", default=Limits())  # noqa: B039 (frozen)
_DENY: ContextVar[bool] = ContextVar("seikg_deny_network", default=False)
_HOOKED: list[bool] = []

_NETWORK_EVENTS = {
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.sendto",
    "urllib.Request",
    "http.client.connect",
    "ftplib.connect",
    "smtplib.connect",
}


class InputWarning(UserWarning):
    """Something about the input a person should know, that does not stop the work."""


_ALLOWED: ContextVar[frozenset[tuple[str, int]]] = ContextVar(
    "seikg_allowed_endpoints", default=frozenset()
)


def _address(event: str, args: tuple[object, ...]) -> tuple[str, int] | None:
    """The (host, port) an audit event is about, when it says."""
    try:
        if event == "socket.getaddrinfo":
            host, port = args[0], args[1]
        elif event == "socket.connect" and isinstance(args[1], tuple):
            host, port = args[1][0], args[1][1]
        else:
            return None
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        return str(host).lower(), int(port)  # type: ignore[call-overload]
    except (IndexError, TypeError, ValueError):
        return None


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event in _NETWORK_EVENTS and _DENY.get():
        if _address(event, args) in _ALLOWED.get():
            return
        raise PolicyError(f"network access refused ({event}): sei-kg never reaches the network")


def allow_endpoint(host: str, port: int) -> None:
    """Let the current command reach one endpoint the user named (a remote SPARQL store).

    The host is resolved once, here, and only its addresses on that port are
    allowed afterwards; everything else stays refused.

    >>> import socket
    >>> def reachable(port):
    ...     try:
    ...         return bool(socket.getaddrinfo("127.0.0.1", port))
    ...     except PolicyError:
    ...         return False
    >>> with no_network():
    ...     allow_endpoint("127.0.0.1", 9)
    ...     reachable(9), reachable(10)
    (True, False)
    """
    import socket

    host = host.lower().strip("[]")
    allowed = set(_ALLOWED.get()) | {(host, port)}
    _ALLOWED.set(frozenset(allowed))
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return  # the connection attempt will report it
    allowed |= {(str(info[4][0]).lower(), port) for info in infos}
    _ALLOWED.set(frozenset(allowed))


@contextmanager
def no_network() -> Iterator[None]:
    """Deny network access inside the block (audit hook; Python code only).

    >>> import socket
    >>> with no_network():
    ...     socket.getaddrinfo("example.org", 80)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.PolicyError: network access refused (socket.getaddrinfo): ...
    """
    if not _HOOKED:
        sys.addaudithook(_hook)
        _HOOKED.append(True)
    token = _DENY.set(True)
    try:
        yield
    finally:
        _DENY.reset(token)


_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


def _checked_size(path: Path) -> int:
    """A file's size, refused (before reading) when over the input limit."""
    limits = LIMITS.get()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadInputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    if size > limits.max_input_bytes:
        raise LimitError(
            f"{path}: {size:,} bytes is more than the input limit of "
            f"{limits.max_input_bytes:,} bytes (--max-input-mb)"
        )
    return size


def read_input(path: Path, fmt: RdfFormat) -> bytes:
    """Read a file for parsing: refused before reading when too large, then :func:`check_input`."""
    _checked_size(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    return check_input(path, raw, fmt)


# Line formats above this size go to Oxigraph's parser by path (see streamable_input).
STREAM_ABOVE_BYTES = 1 << 20


def streamable_input(path: Path, fmt: RdfFormat) -> bool:
    """Whether a large N-Triples/N-Quads file can go to Oxigraph's parser without being
    read here: checked for size and byte-order mark only, since those formats cannot nest
    and Oxigraph itself refuses bytes that are not UTF-8, with their line and column."""
    if fmt not in (RdfFormat.NTRIPLES, RdfFormat.NQUADS):
        return False
    if _checked_size(path) <= STREAM_ABOVE_BYTES:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise BadInputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    for bom, encoding in _BOMS.items():
        if head.startswith(bom):
            raise BadInputError(f"the file is {encoding}; RDF files must be UTF-8", path=path)
    return not head.startswith(b"\xef\xbb\xbf")  # a UTF-8 BOM is taken off by read_input


def check_input(path: Path, data: bytes, fmt: RdfFormat) -> bytes:
    """Check a file's bytes before parsing; return them without a UTF-8 byte-order mark.

    Raises :class:`BadInputError` (exit 2) for text that is not UTF-8,
    :class:`LimitError` (exit 4) for files too large or nested too deeply, and
    :class:`PolicyError` (exit 3) for RDF/XML that declares entities.
    """
    limits = LIMITS.get()
    if len(data) > limits.max_input_bytes:
        raise LimitError(
            f"{path}: {len(data):,} bytes is more than the input limit of "
            f"{limits.max_input_bytes:,} bytes (--max-input-mb)"
        )
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            raise BadInputError(f"the file is {encoding}; RDF files must be UTF-8", path=path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BadInputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            path=path,
            line=line,
            column=column,
        ) from None
    if not text.strip():
        warnings.warn(f"{path}: the file is empty", InputWarning, stacklevel=2)
        return data
    if fmt is RdfFormat.RDFXML and re.search(r"<!(DOCTYPE[^>]*\[|ENTITY)", text):
        raise PolicyError(
            f"{path}: RDF/XML with a document type or entity declarations is refused "
            "(entity expansion can blow up; remove the <!DOCTYPE ...> block)"
        )
    if fmt not in (RdfFormat.RDFXML, RdfFormat.NTRIPLES, RdfFormat.NQUADS):  # those cannot nest
        check_nesting(path, text, limit=limits.max_nesting, json_like=fmt is RdfFormat.JSONLD)
    return data


def check_nesting(path: Path, text: str, *, limit: int, json_like: bool) -> None:
    """Refuse brackets nested deeper than ``limit``, outside strings, IRIs and comments."""
    opening = "[{(" if not json_like else "[{"
    closing = "]})" if not json_like else "]}"
    depth = 0
    line = 1
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        elif c in "\"'" and (json_like is False or c == '"'):
            long_quote = text.startswith(c * 3, i) and not json_like
            end_token = c * 3 if long_quote else c
            i += len(end_token)
            while i < n and not text.startswith(end_token, i):
                if text[i] == "\\":
                    i += 1
                elif text[i] == "\n":
                    line += 1
                i += 1
        elif c == "<" and not json_like:
            end = text.find(">", i)
            if end != -1 and "\n" not in text[i:end]:
                i = end
        elif c == "#" and not json_like:
            end = text.find("\n", i)
            i = n if end == -1 else end - 1
        elif c in opening:
            depth += 1
            if depth > limit:
                raise LimitError(
                    f"{path}:{line}: brackets nested more than {limit} levels deep "
                    f"(the nesting limit); flatten the data"
                )
        elif c in closing:
            depth = max(depth - 1, 0)
        i += 1


def format_hint(text: str, fmt: RdfFormat) -> str:
    """A hint when a file seems to be in another format than its extension says.

    >>> format_hint('{"@context": {}}', RdfFormat.TURTLE)
    ' (the file looks like JSON-LD; is the extension right?)'
    """
    head = text.lstrip()[:2000]
    guess = None
    if head.startswith(("{", "[")):
        guess = RdfFormat.JSONLD
    elif head.startswith(("<?xml", "<rdf:RDF")):
        guess = RdfFormat.RDFXML
    elif re.search(r"^\s*(@prefix|PREFIX|@base)\b", head, re.M | re.I):
        guess = RdfFormat.TURTLE
    elif re.match(r"\s*<[^>\s]+>\s+<[^>\s]+>\s+\S.*\.\s*$", head.splitlines()[0] if head else ""):
        guess = RdfFormat.NTRIPLES
    if (
        guess is None
        or guess is fmt
        or {guess, fmt} <= {RdfFormat.TURTLE, RdfFormat.NTRIPLES, RdfFormat.TRIG}
    ):
        return ""
    names = {RdfFormat.JSONLD: "JSON-LD", RdfFormat.RDFXML: "RDF/XML", RdfFormat.TURTLE: "Turtle",
             RdfFormat.NTRIPLES: "N-Triples"}  # fmt: skip
    return f" (the file looks like {names[guess]}; is the extension right?)"
