"""The settings of one server: where it listens, what it serves, and its limits."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class ServeConfig:
    """Everything ``sei-kg serve`` is told on the command line."""

    store: str = "memory"
    data: tuple[Path, ...] = ()
    host: str = "127.0.0.1"
    port: int = 7878
    workers: int = 3
    max_queries: int = 8
    timeout: float = 30.0
    validation_timeout: float = 300.0
    max_rows: int = 100_000
    max_body_bytes: int = 1024 * 1024
    max_query_bytes: int = 128 * 1024
    cors_origin: str | None = None
    allow_hosts: tuple[str, ...] = ()
    debug: bool = False

    @classmethod
    def from_options(
        cls,
        store: str,
        data: tuple[Path, ...],
        max_rows: int,
        options: dict[str, object],
        *,
        debug: bool = False,
    ) -> ServeConfig:
        """The settings from the options of ``sei-kg serve``."""
        timeout = float(options["timeout"])  # type: ignore[arg-type]
        return cls(
            store=store,
            data=tuple(data),
            host=str(options["host"]),
            port=int(options["port"]),  # type: ignore[call-overload]
            workers=int(options["workers"]),  # type: ignore[call-overload]
            max_queries=int(options["max_queries"]),  # type: ignore[call-overload]
            timeout=timeout,
            validation_timeout=max(timeout, 300.0 if store == "memory" else 3600.0),
            max_rows=max_rows,
            max_body_bytes=int(options["max_body_kb"]) * 1024,  # type: ignore[call-overload]
            max_query_bytes=int(options["max_query_kb"]) * 1024,  # type: ignore[call-overload]
            cors_origin=str(options["cors"]) if options.get("cors") else None,
            allow_hosts=tuple(options.get("allow_hosts") or ()),  # type: ignore[arg-type]
            debug=debug,
        )

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """Host names the server answers to (the rest are refused: DNS rebinding).

        >>> sorted(ServeConfig(host="0.0.0.0", allow_hosts=("kg.example",)).allowed_hosts)
        ['127.0.0.1', '::1', 'kg.example', 'localhost']
        """
        names = set(LOOPBACK_NAMES) | {h.lower().strip("[]") for h in self.allow_hosts}
        if not is_wildcard(self.host):
            names.add(self.host.lower().strip("[]"))
        return frozenset(names)

    @property
    def loopback_only(self) -> bool:
        """Whether the server listens on a loopback address only."""
        return is_loopback(self.host)


def is_wildcard(host: str) -> bool:
    """Whether ``host`` means every address (``0.0.0.0``, ``::``).

    >>> is_wildcard("0.0.0.0"), is_wildcard("127.0.0.1")
    (True, False)
    """
    return host.strip("[]") in ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost``.

    >>> is_loopback("127.0.0.2"), is_loopback("::1"), is_loopback("192.0.2.1")
    (True, True, False)
    """
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
