"""Checks on input files before any parser sees them.

:func:`check_input` refuses files that are too large, not UTF-8, nested too
deeply, or RDF/XML with entity declarations; it accepts a UTF-8 byte-order
mark and warns about empty files.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from seikg.errors import BadInputError, LimitError, PolicyError
from seikg.formats import RdfFormat
from seikg.guard.limits import LIMITS


class InputWarning(UserWarning):
    """Something about the input a person should know, that does not stop the work."""


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
