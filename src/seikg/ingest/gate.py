"""The gate: rows in, every rule run on them with what the store holds, all or nothing out.

1. read every table (CSV files, workbook sheets) and resolve every cell,
   collecting every problem (:class:`~seikg.ingest.tables.IngestRefused`, exit 2);
2. convert the rows into triples in the model of the shipped facts;
3. run every rule on the new triples together with what the store already
   holds; a violation that involves a new or changed resource refuses the
   whole ingest (:class:`RulesBroken`, exit 1), naming each figure by file,
   sheet, row and column as well as by area, year and indicator;
4. only then write, in one step: a new Turtle file under ``--into DIR``, or
   the store itself.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from seikg.errors import ExitCode, SeiKgError
from seikg.ingest.backend import Backend, open_backend
from seikg.ingest.convert import Batch, convert
from seikg.ingest.tables import Problems, read_tables
from seikg.ingest.vocab import StoreFacts, Vocabulary, local_name
from seikg.validation import Figure, Severity, ValidationReport, ValidationResult
from seikg.validation.figures import describe_figure

Progress = Callable[[str, int, int | None], None]

# Which column of a row a broken rule points at: by the result's path, then by the rule.
_PATH_COLUMN = {
    "obsValue": "value",
    "unitMeasure": "unit",
    "statedPrecision": "precision",
    "refArea": "area",
    "refPeriod": "year",
    "indicator": "indicator",
    "scope": "scope",
    "dataSet": "source",
    "wasDerivedFrom": "source",
    "bound": "bound",
    "sourceParagraph": "paragraph",
    "sourcePage": "page",
    "sourceTable": "table",
    "referenceTime": "reference_time",
    "coversObservation": "covers",
}
_RULE_COLUMN = {
    "UnitOfIndicatorShape": "unit",
    "DatatypeOfIndicatorShape": "value",
    "ScopeOfIndicatorShape": "scope",
    "PrecisionOfValueShape": "precision",
    "ReportedSourceShape": "source",
    "PeriodBeforeSourceShape": "year",
    "ComparisonClaimHoldsShape": "covers",
}
_DEFAULT_COLUMN = {"figure": "value", "claim": "covers", "source": "id"}


@dataclass(frozen=True)
class Involved:
    """A figure a broken rule involves: new (with the cells that state it) or already there."""

    figure: Figure
    where: tuple[str, ...]
    before: Figure | None = None

    def lines(self) -> list[str]:
        """How the report names it."""
        if not self.where:
            return [f"in the graph: {self.figure.line()}"]
        out = [f"{where}: {self.figure.line()}" for where in self.where]
        if self.before is not None:
            out.append(f"  before this ingest: {self.before.line()}")
        return out


@dataclass(frozen=True)
class Broken:
    """A rule the new figures break, with every figure involved."""

    result: ValidationResult
    involved: tuple[Involved, ...]


@dataclass
class IngestOutcome:
    """What an ingest did, or would do (``dry_run``), and why it stopped if it did."""

    target: str
    dry_run: bool
    figures: int = 0
    claims: int = 0
    sources: int = 0
    new_triples: int = 0
    written: str | None = None
    notices: list[str] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)
    warnings: list[ValidationResult] = field(default_factory=list)
    elsewhere: int = 0
    report: ValidationReport | None = None
    batch: Batch | None = field(default=None, repr=False)

    @property
    def conforms(self) -> bool:
        """True when the new figures break no rule."""
        return not self.broken

    def summary(self) -> str:
        """One line: what was (or would be) added, and where."""
        what = ", ".join(
            _count(n, word)
            for n, word in (
                (self.figures, "figure"),
                (self.claims, "claim"),
                (self.sources, "source"),
            )
        )
        if self.broken:
            rules = len({b.result.rule_id for b in self.broken})
            return (
                f"refused: the new figures break {rules} rule{'s' if rules != 1 else ''} "
                f"({len(self.broken)} result{'s' if len(self.broken) != 1 else ''}); "
                f"nothing was written ({what} read)"
            )
        if self.dry_run:
            return f"dry run: would add {what} ({self.new_triples:,} new triples) to {self.target}"
        if not self.new_triples and self.written and "unchanged" in self.written:
            return f"nothing new: {what} already in {self.written}"
        return f"added {what} ({self.new_triples:,} new triples) to {self.written}"

    def render(self) -> str:
        """The report a person reads: every broken rule, each figure by file, row and column."""
        lines: list[str] = []
        for broken in self.broken:
            result = broken.result
            lines.append(f"{result.severity.value.upper()}: {result.rule}")
            lines.append(f"  rule {local_name(result.rule_id)}")
            lines.append(f"  - {result.message}")
            for involved in broken.involved:
                lines.extend(f"      {line}" for line in involved.lines())
            lines.append("")
        for warning in self.warnings:
            lines.append(f"WARNING: {warning.rule}: {warning.message}")
        if self.elsewhere:
            lines.append(
                f"note: the store already breaks rules elsewhere ({self.elsewhere} results not "
                "involving these figures); they do not stop this ingest"
            )
        lines.append(self.summary())
        return "\n".join(lines) + "\n"


def _count(n: int, word: str) -> str:
    """``1 figure``, ``2 figures``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class RulesBroken(SeiKgError):
    """The new figures break a rule: nothing was written (exit code 1)."""

    exit_code = ExitCode.RULE_BROKEN

    def __init__(self, outcome: IngestOutcome) -> None:
        self.outcome = outcome
        super().__init__(outcome.summary())


def ingest(
    files: Sequence[Path | str],
    *,
    store: str = "memory",
    into: Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> IngestOutcome:
    """Ingest filled-in templates (CSV files, .xlsx workbooks) into a folder or a store.

    Raises :class:`~seikg.ingest.tables.IngestRefused` (bad input, every problem
    listed) or :class:`RulesBroken` (a rule breaks); in both cases nothing is
    written.  ``progress(phase, done, total)`` is called as work proceeds.
    """
    backend = open_backend(store, Path(into) if into is not None else None)
    with backend.lock():
        try:
            return _ingest(backend, [Path(f) for f in files], dry_run, progress)
        finally:
            backend.close()


def _ingest(
    backend: Backend, files: list[Path], dry_run: bool, progress: Progress | None
) -> IngestOutcome:
    from seikg import resources
    from seikg.rdf.parsing import parse_files

    def step(phase: str, done: int = 0, total: int | None = None) -> None:
        if progress is not None:
            progress(phase, done, total)

    problems = Problems()
    step("reading files")
    tables = read_tables(files, problems)
    rows = sum(len(t.rows) for t in tables)
    vocab = Vocabulary.from_ontology(parse_files(resources.ontology_files()))
    facts = StoreFacts.read(backend.select)
    converted = [0]

    def advance(n: int) -> None:
        converted[0] += n
        step("converting rows", converted[0], rows)

    batch = convert(tables, vocab, facts, problems, progress=advance)
    if not problems.found and not batch.lines:
        problems.add(
            ", ".join(str(f) for f in files), "no rows to ingest; expected filled-in templates"
        )
    problems.raise_any()
    outcome = IngestOutcome(
        backend.name,
        dry_run,
        figures=batch.figures,
        claims=batch.claims,
        sources=batch.sources,
        notices=list(batch.notices),
        batch=batch,
    )
    merged = sorted(
        i
        for i, o in batch.origins.items()
        if o.kind == "figure" and URIRef(i) in facts.observation_datasets
    )
    before = backend.describe_existing(merged) if merged else None
    with tempfile.TemporaryDirectory(prefix="sei-kg-ingest-") as scratch:
        path = Path(scratch) / "new.nt"
        path.write_bytes(batch.ntriples())
        step("checking rules")
        fresh = frozenset(
            i for i, o in batch.origins.items()
            if o.kind == "figure" and URIRef(i) not in facts.observation_datasets
        )  # fmt: skip
        checked = backend.check(
            path,
            new_subjects=fresh,
            progress=lambda done, total: step("checking rules", done, total),
        )
        outcome.report = checked.report
        outcome.new_triples = checked.new_triples
        _judge(outcome, checked.report, checked.touched, batch, before)
        if outcome.broken or dry_run:
            backend.abandon()
        else:
            step("writing")
            name = f"{_stem(batch)}-{batch.digest()}.ttl"
            outcome.written = backend.commit(lambda: _turtle(path), name)
    if outcome.broken:
        raise RulesBroken(outcome)
    return outcome


def batch_turtle(batch: Batch) -> bytes:
    """The batch as deterministic Turtle (what a dry run shows)."""
    with tempfile.TemporaryDirectory(prefix="sei-kg-ingest-") as scratch:
        path = Path(scratch) / "new.nt"
        path.write_bytes(batch.ntriples())
        return _turtle(path)


def _turtle(path: Path) -> bytes:
    from seikg.formats import RdfFormat
    from seikg.rdf.export import serialize
    from seikg.rdf.parsing import parse_files

    return serialize(parse_files([path]), RdfFormat.TURTLE)


def _stem(batch: Batch) -> str:
    return local_name(min(batch.datasets)) if batch.datasets else "sources"


def _judge(
    outcome: IngestOutcome,
    report: ValidationReport,
    touched: set[str],
    batch: Batch,
    before: object,
) -> None:
    """Sort the results: violations that involve what the ingest adds or changes stop it."""
    for result in report.results:
        nodes = {result.focus_node, result.value or ""}
        ours = result.checked == "data" and bool(nodes & touched)
        if result.severity is not Severity.VIOLATION:
            if ours:
                outcome.warnings.append(result)
            continue
        if not ours:
            outcome.elsewhere += 1
            continue
        outcome.broken.append(Broken(result, _involved(result, batch, touched, before)))


def _involved(
    result: ValidationResult, batch: Batch, touched: set[str], before: object
) -> tuple[Involved, ...]:
    from seikg.kg import KnowledgeGraph

    figures = list(result.figures)
    named = {f.iri for f in figures}
    for node in (result.focus_node, result.value):
        if node and node not in named and node in batch.origins:
            figures.append(Figure(node, None, local_name(node), "", "", "these files"))
    out = []
    for figure in figures:
        origin = batch.origins.get(figure.iri)
        if origin is None or figure.iri not in touched:
            out.append(Involved(figure, ()))
            continue
        column = _column(result, origin.kind)
        where = tuple(row.where(column) for row in origin.rows)
        earlier = None
        if isinstance(before, KnowledgeGraph) and (URIRef(figure.iri), None, None) in before.data:
            earlier = describe_figure(before.describe([URIRef(figure.iri)]), URIRef(figure.iri))
        out.append(Involved(figure, where, earlier))
    return tuple(out)


def _column(result: ValidationResult, kind: str) -> str:
    if result.path:
        column = _PATH_COLUMN.get(local_name(result.path))
        if column:
            return column
    return _RULE_COLUMN.get(local_name(result.rule_id), _DEFAULT_COLUMN.get(kind, "value"))
