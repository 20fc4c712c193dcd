"""The templates, read from their W3C CSVW metadata files (the one place they are defined).

Each template (figures, sources, claims) is a ``*.csv-metadata.json`` file
shipped in ``seikg/ingest/templates``: its columns with names, titles in
English and Chinese, datatypes and required flags.  A table a person fills
in is recognised by its header: every cell of the header must be a column's
name or one of its titles, in either language.

>>> [t.name for t in templates()]
['figures', 'sources', 'claims']
>>> templates()[0].column("value").titles
('value', '数值')
"""

from __future__ import annotations

import functools
import json
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

TEMPLATE_NAMES = ("figures", "sources", "claims")


@dataclass(frozen=True)
class Column:
    """One column of a template."""

    name: str
    titles: tuple[str, ...]
    datatype: str
    required: bool

    @property
    def title(self) -> str:
        """The English title (a template's header row writes the name)."""
        return self.titles[0]


@dataclass(frozen=True)
class Template:
    """One table of the template: its name and columns."""

    name: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        """The column of that name."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def match(self, header_cell: str) -> Column | None:
        """The column a header cell names (by name or title, either language), if any."""
        wanted = normalize_header(header_cell)
        for column in self.columns:
            if wanted == normalize_header(column.name) or any(
                wanted == normalize_header(t) for t in column.titles
            ):
                return column
        return None

    @property
    def required(self) -> tuple[Column, ...]:
        """The columns every row must fill."""
        return tuple(c for c in self.columns if c.required)


def normalize_header(text: str) -> str:
    """Header cells compare case-insensitively, with full-width forms folded.

    >>> normalize_header(" Label （English） ")
    'label (english)'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def templates_dir() -> Path:
    """The folder of the shipped templates: CSVW metadata files and the Qingdao examples."""
    return Path(str(resources.files("seikg.ingest"))) / "templates"


def metadata_path(name: str) -> Path:
    """The CSVW metadata file of one template."""
    return templates_dir() / f"{name}.csv-metadata.json"


@functools.cache
def templates() -> tuple[Template, ...]:
    """The three templates, read from their CSVW metadata."""
    return tuple(_read(name) for name in TEMPLATE_NAMES)


def template(name: str) -> Template:
    """One template by name (figures, sources, claims)."""
    return next(t for t in templates() if t.name == name)


def _read(name: str) -> Template:
    doc = json.loads(metadata_path(name).read_text(encoding="utf-8"))
    columns = []
    for spec in doc["tableSchema"]["columns"]:
        titles = spec.get("titles", {})
        english = titles.get("en", []) if isinstance(titles, dict) else [titles]
        chinese = titles.get("zh", []) if isinstance(titles, dict) else []
        datatype = spec.get("datatype", "string")
        base = datatype if isinstance(datatype, str) else datatype.get("base", "string")
        columns.append(
            Column(
                name=spec["name"],
                titles=(*english, *chinese),
                datatype=base,
                required=bool(spec.get("required", False)),
            )
        )
    return Template(name, tuple(columns))
