"""No network: an audit hook that denies sockets and URL opening while a command works.

Queries and shapes are also inspected before they run (see
:mod:`seikg.sparql.policy`), so this is defence in depth.  Only the endpoints
a user names (a remote SPARQL store) are let through.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from seikg.errors import PolicyError

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
