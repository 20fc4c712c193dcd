"""What a job sends back to the server process: an HTTP answer, and what to log about it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Reply:
    """An HTTP answer built in a worker: status, media type, body, headers, log fields."""

    body: bytes
    media_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    log: dict[str, object] = field(default_factory=dict)

    @classmethod
    def text(cls, status: int, message: str, **log: object) -> Reply:
        """A plain-text answer (errors, refusals), one line."""
        return cls((message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8",
                   status, log=dict(log))  # fmt: skip


def media_type_with_charset(media_type: str) -> str:
    """Add ``charset=utf-8`` to textual media types that do not imply it.

    >>> media_type_with_charset("text/csv")
    'text/csv; charset=utf-8'
    >>> media_type_with_charset("application/sparql-results+json")
    'application/sparql-results+json'
    """
    if media_type.startswith("text/") or media_type in ("application/xml",):
        return f"{media_type}; charset=utf-8"
    return media_type
