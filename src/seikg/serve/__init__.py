"""``sei-kg serve``: a SPARQL 1.1 endpoint, a page for every resource, and a browser UI.

* the SPARQL 1.1 Protocol at ``/sparql`` (GET, POST form-encoded and direct),
  with strict content negotiation and the Service Description on a bare GET;
* the Graph Store Protocol, read-only, at ``/store`` (``?default``,
  ``?graph=IRI``, ``/store/ontology|shapes|data``);
* every IRI under ``https://w3id.org/sei-kg/`` at its path (``/place/370200``);
* the UI at ``/`` (query editor, catalogue, table and chart), the graph view at
  ``/ui/view`` and the validation report at ``/ui/report``, from files
  shipped in the package: nothing is fetched from elsewhere.

Work on the graph runs in worker processes killed at their deadline
(:mod:`seikg.serve.pool`); the graph is reached through
:mod:`seikg.serve.backend` alone.
"""

from __future__ import annotations

import logging
import socket
import sys

from seikg.serve.config import ServeConfig, is_loopback

__all__ = ["ServeConfig", "bind", "run"]


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (port 0: a free one), without name lookups."""
    import ipaddress

    address = "127.0.0.1" if host == "localhost" else host.strip("[]")
    family = socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET
    # IPPROTO_TCP named explicitly: asyncio turns Nagle's algorithm off only for sockets whose
    # protocol says TCP, and with it on every keep-alive answer waited 40 ms for an ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((address, port))
    sock.listen(128)
    sock.set_inheritable(False)
    return sock


def run(config: ServeConfig) -> None:
    """Load the store, fork the workers and serve until interrupted."""
    import uvicorn

    from seikg.serve.app import create_app
    from seikg.serve.backend import Backend
    from seikg.serve.jobs import JOBS
    from seikg.serve.pool import WorkerPool
    from seikg.stores import StoreSpec

    backend = Backend.open(config.store, data=config.data)
    sock = bind(config.host, config.port)
    port = sock.getsockname()[1]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("seikg.serve")
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False
    # A store embedded in the workers (memory, Oxigraph) is worked on without any network.
    isolate = not StoreSpec.parse(config.store).reaches_network
    pool = WorkerPool(backend, JOBS, workers=config.workers, max_in_flight=config.max_queries,
                      close_fds=[sock.fileno()], isolate_network=isolate)  # fmt: skip
    background = WorkerPool(backend, JOBS, workers=1, max_in_flight=16,
                            close_fds=[sock.fileno()], isolate_network=isolate)  # fmt: skip
    app = create_app(config, pool, background)
    shown = f"[{config.host}]" if ":" in config.host else config.host
    url = f"http://{shown}:{port}/"
    if not is_loopback(config.host):
        print(f"sei-kg: warning: listening on {config.host}, not loopback only", file=sys.stderr)
    print(f"sei-kg: serving {config.store} at {url} (SPARQL endpoint {url}sparql)",
          file=sys.stderr, flush=True)  # fmt: skip
    server = uvicorn.Server(
        uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="on",
            h11_max_incomplete_event_size=config.max_query_bytes * 3 + 16384,
            timeout_graceful_shutdown=2, server_header=False,
        )
    )  # fmt: skip
    server.run(sockets=[sock])
