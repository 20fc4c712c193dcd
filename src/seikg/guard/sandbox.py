"""A worker's own, empty network namespace: no route anywhere, not even to loopback.

The audit hook of :mod:`seikg.guard.network` stops Python code from opening
sockets; native code (an embedded Oxigraph store running ``SERVICE``, say)
is out of its reach.  :func:`isolate_network` moves the calling process into
a new network namespace that holds only a loopback interface that is down,
so that no socket of that process can reach any host.  Call it in a worker
process right after it starts (it is one-way); the parent keeps its network.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from enum import StrEnum

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


class Isolation(StrEnum):
    """How a process was cut off from the network."""

    NETWORK_NAMESPACE = "network namespace"
    USER_AND_NETWORK_NAMESPACE = "user and network namespace"
    NONE = "none"


def _unshare(flags: int) -> int:
    """Call unshare(2); 0 on success, else the errno."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    if libc.unshare(ctypes.c_int(flags)) == 0:
        return 0
    return ctypes.get_errno()


def isolate_network() -> tuple[Isolation, str]:
    """Put the calling process into a new, empty network namespace; say how it went.

    As root (or with ``CAP_SYS_ADMIN``) a network namespace alone; otherwise a
    user namespace with it (unprivileged, where the kernel allows it; the
    process must be single-threaded, as a freshly forked worker is).  When
    neither works, nothing changes and the reason is returned: the audit hook
    is then the only defence, and the caller should say so.

    >>> from seikg.guard.worker import run_with_timeout
    >>> run_with_timeout(lambda: isolate_network()[0] is not Isolation.NONE, timeout=10)
    True
    """
    if not hasattr(os, "unshare") and not ctypes.util.find_library("c"):
        return Isolation.NONE, "this system has no unshare(2)"
    error = _unshare(CLONE_NEWNET)
    if error == 0:
        return Isolation.NETWORK_NAMESPACE, ""
    second = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if second == 0:
        return Isolation.USER_AND_NETWORK_NAMESPACE, ""
    return Isolation.NONE, (
        f"cannot enter a network namespace ({os.strerror(error)}; with a user namespace: "
        f"{os.strerror(second)}); only the audit hook keeps this process off the network"
    )
