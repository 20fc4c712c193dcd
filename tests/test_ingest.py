"""sei-kg ingest: the templates, every refusal, the round trip, idempotence, rules, stores, the lock."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from seikg.ingest import IngestRefused, RulesBroken, export_template, ingest, template_files
from seikg.ingest.schema import template, templates, templates_dir
from seikg.kg import KnowledgeGraph
from seikg.namespaces import QB, SEI

from conftest import ROOT

ARTICLE = "http://shandong.chinadaily.com.cn/2020-04/08/c_487092.htm"
NEW_SOURCE = {
    "id": "qingdao-stats-2020",
    "title": "Statistical communiqué of Qingdao on the 2019 national economy",
    "publisher": "Qingdao Municipal Bureau of Statistics",
    "date": "2020-03-20",
    "kind": "statistical communiqué",
    "language": "en",
}


def write_table(path: Path, name: str, rows: list[dict[str, str]]) -> Path:
    """A filled-in template: the header row of its column names, then the rows."""
    columns = [c.name for c in template(name).columns]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def figure(**cells: str) -> dict[str, str]:
    """A valid figure row of the new source, changed by ``cells``."""
    row = {
        "area": "370200",
        "year": "2019",
        "indicator": "IND07",
        "scope": "ALL",
        "value": "24.0",
        "unit": "percent",
        "source": NEW_SOURCE["id"],
        "paragraph": "3",
    }
    row.update(cells)
    return row


def new_files(folder: Path, *rows: dict[str, str], with_source: bool = True) -> list[Path]:
    files = [write_table(folder / "figures.csv", "figures", list(rows))]
    if with_source:
        files.append(write_table(folder / "sources.csv", "sources", [NEW_SOURCE]))
    return files


def shipped_reported() -> Graph:
    """The reported figures of graph/qingdao-2019.ttl: every triple of each one."""
    graph = Graph().parse(ROOT / "graph" / "qingdao-2019.ttl")
    return _observations(graph)


def _observations(graph: Graph, *, claims: bool = False) -> Graph:
    out = Graph()
    kinds = [QB.Observation, *([SEI.ComparisonClaim] if claims else [])]
    for kind in kinds:
        for node in graph.subjects(RDF.type, kind):
            if (node, RDF.type, SEI.DerivedObservation) in graph:
                continue
            for triple in graph.triples((node, None, None)):
                out.add(triple)
    return out


# ---------------------------------------------------------------------------
# The templates


def test_templates_are_csvw_and_the_examples_follow_them():
    from csvw import Table

    for tmpl in templates():
        table = Table.from_file(templates_dir() / f"{tmpl.name}.csv-metadata.json")
        rows = list(table.iterdicts(strict=True))
        assert rows, tmpl.name
        for column in tmpl.columns:
            assert len(column.titles) >= 2, column  # English and Chinese


def test_examples_are_the_shipped_figures(kg):
    exported = export_template(kg)
    for name in ("figures.csv", "sources.csv", "claims.csv"):
        assert (templates_dir() / name).read_bytes() == exported[name], name


def test_template_option_writes_empty_templates(cli, tmp_path):
    result = cli("ingest", "--template", str(tmp_path / "t"))
    assert result.code == 0, result.err
    names = sorted(p.name for p in (tmp_path / "t").iterdir())
    assert names == [
        "claims.csv", "claims.csv-metadata.json", "figures.csv", "figures.csv-metadata.json",
        "sources.csv", "sources.csv-metadata.json", "template.xlsx",
    ]  # fmt: skip
    header = (tmp_path / "t" / "figures.csv").read_text().splitlines()
    assert len(header) == 1 and header[0].startswith("id,area,year")
    refused = cli("ingest", str(tmp_path / "t" / "figures.csv"), "--dry-run")
    assert refused.code == 2 and "no rows to ingest" in refused.err


def test_template_files_are_in_the_package():
    names = {p.name for p in template_files()}
    assert {"figures.csv-metadata.json", "figures.csv", "claims.csv", "sources.csv"} <= names


# ---------------------------------------------------------------------------
# The round trip and idempotence


def test_round_trip_csv_gives_the_shipped_observations(kg, cli, tmp_path):
    exported = tmp_path / "exported"
    assert cli("export", "--format", "csv", "-o", str(exported)).code == 0
    files = [str(exported / n) for n in ("figures.csv", "sources.csv", "claims.csv")]
    result = cli("ingest", *files, "--into", str(tmp_path / "new"))
    assert result.code == 0, result.err + result.out
    written = list((tmp_path / "new").glob("*.ttl"))
    assert len(written) == 1
    got = Graph().parse(written[0])
    assert isomorphic(_observations(got), shipped_reported())
    shipped = Graph().parse(ROOT / "graph" / "qingdao-2019.ttl")
    assert isomorphic(_observations(got, claims=True), _observations(shipped, claims=True))


def test_round_trip_xlsx(cli, tmp_path):
    book = tmp_path / "figures.xlsx"
    assert cli("export", "--format", "xlsx", "-o", str(book)).code == 0
    again = tmp_path / "again.xlsx"
    assert cli("export", "--format", "xlsx", "-o", str(again)).code == 0
    assert book.read_bytes() == again.read_bytes()  # deterministic
    result = cli("ingest", str(book), "--into", str(tmp_path / "new"))
    assert result.code == 0, result.err
    got = Graph().parse(next((tmp_path / "new").glob("*.ttl")))
    assert isomorphic(_observations(got), shipped_reported())


def test_ingest_twice_gives_one_copy(cli, tmp_path):
    files = [str(p) for p in new_files(tmp_path, figure())]
    first = cli("ingest", *files, "--into", str(tmp_path / "kg"))
    assert first.code == 0, first.err
    second = cli("ingest", *files, "--into", str(tmp_path / "kg"))
    assert second.code == 0, second.err
    assert "nothing new" in second.out
    assert len(list((tmp_path / "kg").glob("*.ttl"))) == 1
    kg = KnowledgeGraph.load([*(ROOT / "graph").glob("*.ttl"), *(tmp_path / "kg").glob("*.ttl")])
    cell = URIRef(
        "https://w3id.org/sei-kg/observation/370200-2019-fixed-asset-investment-growth-city-qingdao-stats-2020"
    )
    assert (
        len(
            list(
                kg.data.objects(
                    cell, URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue")
                )
            )
        )
        == 1
    )


def test_precision_is_inferred_and_said(cli, tmp_path):
    files = [str(p) for p in new_files(tmp_path, figure(value="24.00"))]
    result = cli("ingest", *files, "--dry-run")
    assert result.code == 0, result.err
    assert (
        "figures.csv:2:11: no stated precision; inferred 0.01 from the digits of '24.00'"
        in result.err
    )
    assert "sei:statedPrecision 0.01 ." in result.out


def test_values_as_stated(tmp_path):
    rows = [
        figure(
            year="2018",
            indicator="IND09",
            scope="SEI",
            value="120 billion",
            unit="yuan",
            bound="more than",
        ),
        figure(
            year="2018",
            indicator="IND10",
            scope="SEI",
            value="17,000",
            unit="million US dollars",
            bound=">",
        ),
        figure(year="2018", indicator="IND08", scope="SEI", value="600", unit="个"),
        figure(year="2018", area="青岛", value="２４．１", unit="%"),
    ]
    outcome = ingest(new_files(tmp_path, *rows), dry_run=True)
    text = outcome.batch.ntriples().decode()
    assert '"120000000000.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in text
    assert '"1000000000.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in text  # precision
    assert '"17000000000.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in text
    assert '"600"^^<http://www.w3.org/2001/XMLSchema#integer>' in text
    assert '"24.1"^^<http://www.w3.org/2001/XMLSchema#decimal>' in text
    assert text.count("<https://w3id.org/sei-kg/bound/more-than>") == 2


# ---------------------------------------------------------------------------
# Refusals: bad input, every problem in one run, exit 2, nothing written


def test_every_bad_row_is_named_in_one_run(cli, tmp_path):
    extra = tmp_path / "kg"
    extra.mkdir()
    (extra / "places.ttl").write_text(
        "@prefix sei: <https://w3id.org/sei-kg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/sei-kg/place/379900> a sei:Place ; rdfs:label "Qingdao"@en , "青岛"@zh ;\n'
        '    sei:divisionCode "379900" .\n',
        encoding="utf-8",
    )
    files = new_files(
        tmp_path,
        figure(),  # row 2: fine
        figure(indicator="IND99"),  # row 3: unknown indicator
        figure(area="Qingdao"),  # row 4: names two divisions
        figure(unit="yuan"),  # row 5: unit does not fit
        figure(value="about thirty"),  # row 6: not a number
        figure(source="nowhere"),  # row 7: missing source
    )
    with open(files[0], "a", encoding="utf-8") as handle:
        handle.write("1,2,3\n")  # row 8: malformed
    before = sorted(extra.iterdir())
    result = cli("ingest", *(str(f) for f in files), "--into", str(extra))
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    name = str(files[0])
    expected = [
        f"{name}:3:5: unknown indicator 'IND99'",
        f"{name}:4:2: area 'Qingdao' names 2 of them (370200 (Qingdao, 青岛市), 379900 (Qingdao, 青岛))",
        f"{name}:5:10: unit 'yuan' does not fit indicator IND07",
        f"{name}:6:9: 'about thirty' is not a number; expected a number as stated",
        f"{name}:7:14: source 'nowhere' is not described",
        f"{name}:8: malformed row: 3 cells where the header has 20",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, result.err)
    assert lines[-1].startswith("sei-kg: ingest refused: 6 problems")
    assert sorted(extra.iterdir()) == before


def test_rows_that_are_valid_but_whose_source_is_undescribed_are_refused(cli, tmp_path):
    files = new_files(tmp_path, figure(), figure(indicator="IND06", scope="HTM"), with_source=False)
    result = cli("ingest", *(str(f) for f in files), "--into", str(tmp_path / "kg"))
    assert result.code == 2
    assert result.err.count("source 'qingdao-stats-2020' is not described") == 2
    assert not list((tmp_path / "kg").iterdir())


def test_header_and_encoding_refusals(cli, tmp_path):
    bad_header = tmp_path / "typo.csv"
    bad_header.write_text("area,year,indicatr,scope,value,unit,source\n", encoding="utf-8")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("area,year\n青岛,2019\n".encode("gbk"))
    odd = tmp_path / "figures.ods"
    odd.write_text("x")
    result = cli("ingest", str(bad_header), str(gbk), str(odd), "--dry-run")
    assert result.code == 2
    assert f"{bad_header}:1: the header is not one of a template's" in result.err
    assert f"{gbk}:2: not UTF-8 text" in result.err
    assert f"{odd}: cannot read '.ods' files" in result.err


def test_a_bad_cell_of_a_workbook_is_named_by_sheet_row_and_letter(cli, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    columns = [c.name for c in template("figures").columns]
    sheet.append(columns)
    row = figure(value="n/a", source="qingdao-2019")
    sheet.append([row.get(c, "") for c in columns])
    path = tmp_path / "book.xlsx"
    book.save(path)
    result = cli("ingest", str(path), "--dry-run")
    assert result.code == 2
    assert f"{path}[figures]:2:I: 'n/a' is not a number" in result.err


def test_the_installed_package_is_never_written(cli, tmp_path):
    import seikg

    files = new_files(tmp_path, figure())
    target = Path(seikg.__file__).parent / "ingested"
    result = cli("ingest", *(str(f) for f in files), "--into", str(target))
    assert result.code == 2 and "inside the installed sei-kg package" in result.err
    assert not target.exists()


# ---------------------------------------------------------------------------
# Rules: a figure that breaks one is refused, exit 1, naming every figure involved


def test_a_different_value_for_the_same_cell_is_refused_naming_both(cli, tmp_path):
    files = new_files(
        tmp_path,
        figure(indicator="IND01", scope="SEI", value="33.0", unit="percent", share_base="NS"),
    )
    result = cli("ingest", *(str(f) for f in files), "--into", str(tmp_path / "kg"))
    assert result.code == 1, result.err + result.out
    assert "Exact figures of the same quantity agree" in result.out
    assert "31.8 and 33.0 differ" in result.out or "33.0 and 31.8 differ" in result.out
    assert (
        f"{files[0]}:2:9: Qingdao · 2019 · share in industries above designated size" in result.out
    )
    assert (
        "in the graph: [F1] Qingdao · 2019 · share in industries above designated size"
        in result.out
    )
    assert not list((tmp_path / "kg").iterdir())


def test_a_second_value_from_the_same_source_is_refused_naming_both(cli, tmp_path):
    row = figure(indicator="IND01", scope="SEI", value="33.0", source="qingdao-2019", id="F1")
    row.update(share_base="NS", paragraph="2")
    files = new_files(tmp_path, row, with_source=False)
    result = cli("ingest", *(str(f) for f in files), "--into", str(tmp_path / "kg"))
    assert result.code == 1, result.err + result.out
    assert "exactly one value" in result.out
    assert f"{files[0]}:2:9: [F1] Qingdao · 2019" in result.out
    assert (
        "before this ingest: [F1] Qingdao · 2019 · share in industries above designated size (strategic emerging industries): 31.8 percent"
        in result.out
    )


def test_a_figure_that_breaks_a_claim_names_the_claim_and_the_bound(cli, tmp_path):
    files = new_files(tmp_path, figure(value="27.0"))
    result = cli("ingest", *(str(f) for f in files), "--into", str(tmp_path / "kg"))
    assert result.code == 1, result.err + result.out
    out = result.out
    assert "higher-than claim holds" in out
    assert "26.5 is not higher than 27.0" in out
    assert "in the graph: [F9] Qingdao 2019: investment in strategic emerging industries" in out
    assert "the bound says below (strict upper bound) 26.5, but an exact figure gives 27.0" in out
    assert "in the graph: [D3] Qingdao · 2019 · growth of fixed-asset investment" in out
    assert (
        f"{files[0]}:2:9: Qingdao · 2019 · growth of fixed-asset investment (the whole area, all sectors): 27.0 percent"
        in out
    )
    assert "nothing was written" in out
    assert not list((tmp_path / "kg").iterdir())


def test_a_figure_below_the_bound_is_added(cli, tmp_path):
    files = new_files(tmp_path, figure(value="24.0", precision="0.1"))
    result = cli("ingest", *(str(f) for f in files), "--into", str(tmp_path / "kg"))
    assert result.code == 0, result.err + result.out
    kg = KnowledgeGraph.load([*(ROOT / "graph").glob("*.ttl"), *(tmp_path / "kg").glob("*.ttl")])
    assert kg.validate().conforms


def test_dry_run_writes_nothing(cli, tmp_path):
    files = new_files(tmp_path, figure())
    result = cli("ingest", *(str(f) for f in files), "--into", str(tmp_path / "kg"), "--dry-run")
    assert result.code == 0, result.err
    assert "obs:370200-2019-fixed-asset-investment-growth-city-qingdao-stats-2020" in result.out
    assert "dry run: would add 1 figure, 0 claims, 1 source" in result.err
    assert not list((tmp_path / "kg").iterdir())


def test_the_python_api_raises_typed_errors(tmp_path):
    with pytest.raises(IngestRefused) as refused:
        ingest(new_files(tmp_path, figure(value="x")), dry_run=True)
    assert refused.value.problems[0].where.endswith(":2:9")
    with pytest.raises(RulesBroken) as broken:
        ingest(new_files(tmp_path, figure(value="30.0")), dry_run=True)
    assert {b.result.rule_id.rsplit("#")[-1] for b in broken.value.outcome.broken} == {
        "BoundHoldsShape",
        "ComparisonClaimHoldsShape",
    }


# ---------------------------------------------------------------------------
# An Oxigraph store: written in one step, left as it was when a rule breaks


@pytest.fixture
def store(cli, tmp_path) -> str:
    name = f"oxigraph:{tmp_path / 'store'}"
    assert cli("load", "--store", name).code == 0
    return name


def _store_triples(name: str) -> set:
    from seikg.stores import open_store

    opened = open_store(name)
    try:
        return set(opened.triples())
    finally:
        del opened


def test_ingest_into_a_store(cli, store, tmp_path):
    files = [str(f) for f in new_files(tmp_path, figure())]
    result = cli("ingest", *files, "--store", store)
    assert result.code == 0, result.err + result.out
    triples = _store_triples(store)
    again = cli("ingest", *files, "--store", store)
    assert again.code == 0, again.err
    assert "(0 new triples)" in again.out
    assert _store_triples(store) == triples
    answer = cli(
        "query",
        "figures",
        "-p",
        "city=Qingdao",
        "-p",
        "year=2019",
        "--store",
        store,
        "--format",
        "csv",
    )
    assert "24.0" in answer.out


def test_a_failed_ingest_leaves_the_store_as_it_was(cli, store, tmp_path):
    before = _store_triples(store)
    files = [str(f) for f in new_files(tmp_path, figure(value="27.0"))]
    result = cli("ingest", *files, "--store", store)
    assert result.code == 1, result.err + result.out
    assert "higher-than claim holds" in result.out
    assert _store_triples(store) == before
    assert not Path(f"{store.split(':', 1)[1]}.ingest-journal.nt").exists()


# ---------------------------------------------------------------------------
# Two ingests at once do not interleave


def _run(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "seikg.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_concurrent_ingests_into_one_folder_do_not_interleave(tmp_path):
    """Two contradicting figures at once: with the lock, the second sees the first and is refused."""
    folder = tmp_path / "kg"
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    first = new_files(a, figure(value="20.0"))
    other = dict(NEW_SOURCE, id="qingdao-other-2020")
    second = [write_table(b / "figures.csv", "figures", [figure(value="22.0", source=other["id"])]),
              write_table(b / "sources.csv", "sources", [other])]  # fmt: skip
    runs = [
        _run("ingest", *(str(f) for f in files), "--into", str(folder)) for files in (first, second)
    ]
    codes = sorted(run.wait(timeout=300) for run in runs)
    assert codes == [0, 1], [run.communicate() for run in runs]
    assert len(list(folder.glob("*.ttl"))) == 1


@pytest.mark.slow
def test_concurrent_ingests_into_one_store_wait_for_each_other(store, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    first = new_files(a, figure(value="20.0"))
    second = new_files(b, figure(indicator="IND06", scope="HTM", value="26.8"))
    runs = [_run("ingest", *(str(f) for f in files), "--store", store) for files in (first, second)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    values = {str(o) for _s, _p, o in _store_triples(store)}
    assert {"20.0", "26.8"} <= values


def test_an_ingest_that_died_is_undone_by_the_next(cli, store, tmp_path):
    import pyoxigraph as ox

    from seikg.stores import open_store

    path = store.split(":", 1)[1]
    before = _store_triples(store)
    line = b'<https://w3id.org/sei-kg/observation/half-done> <http://www.w3.org/2000/01/rdf-schema#label> "left by a killed ingest" .\n'
    opened = open_store(store)
    opened.store.load(line, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[attr-defined]
    del opened
    Path(f"{path}.ingest-journal.nt").write_bytes(line)
    files = [str(f) for f in new_files(tmp_path, figure())]
    result = cli("ingest", *files, "--store", store, "--dry-run")
    assert result.code == 0, result.err
    assert "an earlier ingest did not finish; its figures were taken out again" in result.err
    assert _store_triples(store) == before
    assert not Path(f"{path}.ingest-journal.nt").exists()


def test_problems_and_notices_show_data_as_text(cli, tmp_path):
    """What ingest says of a cell is text for the terminal, never escape sequences it obeys."""
    files = new_files(tmp_path, figure(indicator="IND\x1b]8;;http://e/\x07\x1b[2J"))
    result = cli("ingest", *(str(f) for f in files), "--dry-run")
    assert result.code == 2, result.err
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert "IND\\x1b]8;;http://e/\\x07\\x1b[2J" in result.err
