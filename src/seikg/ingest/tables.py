"""Reading filled-in templates: CSV files and Excel workbooks, with every cell's location.

A CSV file holds one table; a workbook holds one table per sheet.  Which
template a table follows is told by its header.  Every problem is collected
(never only the first) as one line ``file:row:column: what is wrong``, where
a workbook's location reads ``book.xlsx[sheet]:row:column-letter``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seikg.errors import BadInputError
from seikg.guard.reader import check_regular
from seikg.ingest.schema import Template, templates

SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, where it is and what is expected."""

    where: str
    message: str

    def line(self) -> str:
        """The line a person reads: ``where: message``."""
        return f"{self.where}: {self.message}"


class IngestRefused(BadInputError):
    """Input that cannot become figures: every problem found, one line each.

    >>> str(IngestRefused([Problem("f.csv:2:3", "bad")]))
    'f.csv:2:3: bad'
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.line() for p in self.problems))


@dataclass
class Problems:
    """A collector: every check adds what it finds, and the run stops once, at the end."""

    found: list[Problem] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        """Record one problem."""
        self.found.append(Problem(where, message))

    def raise_any(self) -> None:
        """Refuse the input if anything was found."""
        if self.found:
            raise IngestRefused(self.found)


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 1-based index.

    >>> column_letter(1), column_letter(27)
    ('A', 'AA')
    """
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Row:
    """One data row of a table: its cells by column name, and where it stands."""

    table: Table
    number: int
    cells: dict[str, str]

    def get(self, name: str) -> str:
        """The cell of a column, stripped ('' when empty or absent)."""
        return self.cells.get(name, "")

    def where(self, column: str | None = None) -> str:
        """``file:row:column`` of a cell, or ``file:row`` of the row."""
        return self.table.where(self.number, column)


@dataclass
class Table:
    """One table of a file (a CSV file or a sheet), following one template."""

    template: Template
    file: str
    sheet: str | None
    positions: dict[str, int]
    rows: list[Row] = field(default_factory=list)

    def where(self, row: int, column: str | None = None) -> str:
        """The location of a row, or of a cell of it."""
        name = f"{self.file}[{self.sheet}]" if self.sheet is not None else self.file
        if column is None or column not in self.positions:
            return f"{name}:{row}"
        index = self.positions[column]
        return f"{name}:{row}:{column_letter(index) if self.sheet is not None else index}"


def read_tables(paths: Iterable[Path], problems: Problems) -> list[Table]:
    """Read every file into tables, collecting problems rather than stopping at the first."""
    tables: list[Table] = []
    for path in paths:
        path = Path(path)
        try:
            check_regular(path)  # "no such file", or what else it is: a pipe, a device, a folder
        except BadInputError as exc:
            problems.add(str(path), f"{exc.reason}; expected a .csv file or an .xlsx workbook")
            continue
        suffix = path.suffix.lower()
        if suffix == ".csv":
            tables.extend(_read_csv(path, problems))
        elif suffix == ".xlsx":
            tables.extend(_read_xlsx(path, problems))
        else:
            problems.add(
                str(path),
                f"cannot read '{path.suffix}' files; "
                "expected a .csv file (UTF-8) or an .xlsx workbook",
            )
    return tables


def _read_bytes(path: Path, problems: Problems) -> bytes | None:
    from seikg.guard.reader import read_limited

    try:  # the one reader: a regular file, refused (LimitError) over --max-input-mb
        return read_limited(path)
    except OSError as exc:
        problems.add(str(path), f"cannot read: {exc.strerror or exc}")
        return None


def _read_csv(path: Path, problems: Problems) -> list[Table]:
    data = _read_bytes(path, problems)
    if data is None:
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(
            f"{path}:{line}",
            "not UTF-8 text; save it as 'CSV UTF-8' (or as an .xlsx workbook) and try again",
        )
        return []
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(
            f"{path}:{start}", f"not well-formed CSV ({exc}); expected comma-separated cells"
        )
        return []
    table = _table(str(path), None, iter(records), problems)
    return [table] if table is not None else []


def _read_xlsx(path: Path, problems: Problems) -> list[Table]:
    import zipfile

    from openpyxl import load_workbook

    from seikg.guard.reader import check_regular

    check_regular(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        problems.add(str(path), f"not an .xlsx workbook ({exc}); expected a file saved by Excel")
        return []
    tables = []
    try:
        for sheet in book.worksheets:
            records = (
                (number, [_cell_text(cell) for cell in row])
                for number, row in enumerate(sheet.iter_rows(), start=1)
            )
            table = _table(str(path), sheet.title, records, problems)
            if table is not None:
                tables.append(table)
    finally:
        book.close()
    return tables


def _cell_text(cell: Any) -> str:
    """A spreadsheet cell as the text a person typed (numbers keep the decimals shown)."""
    import datetime
    import re

    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        shown = re.fullmatch(r"[#,0]*0\.(0+)", str(getattr(cell, "number_format", "") or ""))
        if shown:
            return f"{value:.{len(shown.group(1))}f}"
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _table(
    file: str, sheet: str | None, records: Iterator[tuple[int, list[str]]], problems: Problems
) -> Table | None:
    """Build a table from its records: the first non-empty one is the header."""
    name = f"{file}[{sheet}]" if sheet is not None else file
    header: list[str] | None = None
    table: Table | None = None
    for number, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = cells
            table = _header(file, sheet, number, header, problems)
            if table is None:
                return None
            continue
        assert table is not None
        width = max(table.positions.values())
        extra = [i for i, c in enumerate(cells, start=1) if i > len(header) and c.strip()]
        if extra or (sheet is None and len(cells) != len(header)):
            problems.add(
                f"{name}:{number}",
                f"malformed row: {len(cells)} cells where the header has {len(header)}; "
                "expected one cell per column (quote cells that hold commas)",
            )
            continue
        values = {
            column: cells[index - 1].strip()
            for column, index in table.positions.items()
            if index - 1 < len(cells) and index <= width
        }
        table.rows.append(Row(table, number, values))
    if header is None:
        return None  # an empty file or sheet holds no table
    return table


def _header(
    file: str, sheet: str | None, number: int, header: list[str], problems: Problems
) -> Table | None:
    name = f"{file}[{sheet}]" if sheet is not None else file
    best: tuple[int, Template] | None = None
    for candidate in templates():
        known = sum(1 for cell in header if cell.strip() and candidate.match(cell) is not None)
        has_required = all(
            any(candidate.match(cell) == column for cell in header) for column in candidate.required
        )
        if has_required and (best is None or known > best[0]):
            best = (known, candidate)
    if best is None:
        wanted = "; ".join(
            f"a {t.name} table needs {', '.join(c.name for c in t.required)}" for t in templates()
        )
        problems.add(
            f"{name}:{number}",
            f"the header is not one of a template's; {wanted} "
            "(sei-kg ingest --template DIR writes empty ones)",
        )
        return None
    chosen = best[1]
    positions: dict[str, int] = {}
    ok = True
    for index, cell in enumerate(header, start=1):
        if not cell.strip():
            continue
        where = f"{name}:{number}:{column_letter(index) if sheet is not None else index}"
        column = chosen.match(cell)
        if column is None:
            names = ", ".join(c.name for c in chosen.columns)
            problems.add(
                where,
                f"unknown column {cell.strip()!r}; "
                f"expected one of the {chosen.name} template's: {names}",
            )
            ok = False
        elif column.name in positions:
            problems.add(where, f"column {column.name!r} appears twice; expected it once")
            ok = False
        else:
            positions[column.name] = index
    return Table(chosen, file, sheet, positions) if ok else None
