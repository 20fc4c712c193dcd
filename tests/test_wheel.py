"""The wheel ships ontology, graph and queries, and works installed outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("sei_kg-*.whl"))


@pytest.mark.slow
def test_wheel_holds_the_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for folder, pattern in (("ontology", ".ttl"), ("graph", ".ttl"), ("queries", ".rq")):
        shipped = sorted(
            str(p.relative_to(ROOT / folder)) for p in (ROOT / folder).rglob(f"*{pattern}")
        )
        prefix = f"seikg/_data/{folder}/"  # subfolders too: graph/reference/
        inside = sorted(n.removeprefix(prefix) for n in names if n.startswith(prefix))
        assert inside == shipped, folder
    assert not any(n.startswith(("tests/", "graph/")) for n in names)
    templates = ROOT / "src" / "seikg" / "ingest" / "templates"
    shipped = sorted(p.name for p in templates.iterdir() if p.suffix in (".csv", ".json"))
    inside = sorted(Path(n).name for n in names if n.startswith("seikg/ingest/templates/"))
    assert inside == shipped and "figures.csv-metadata.json" in inside


@pytest.mark.slow
def test_wheel_holds_the_ui_and_stays_small(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    web = "seikg/serve/web/"
    for asset in ("index.html", "app.js", "chart.js", "site.css", "vendor/yasgui/yasgui.min.js",
                  "vendor/yasgui/yasgui.min.css", "vendor/yasgui/LICENSE",
                  "vendor/yasgui/THIRD-PARTY-NOTICES.md"):  # fmt: skip
        assert web + asset in names, asset
    assert not any("node_modules" in n or n.endswith(".map") for n in names)
    assert wheel.stat().st_size < 5 * 1024 * 1024


@pytest.mark.slow
def test_installed_wheel_runs_from_another_folder(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sei = env_dir / "bin" / "sei-kg"
    stats = subprocess.run(
        [str(sei), "stats", "--json"], cwd=elsewhere, capture_output=True, text=True
    )
    assert stats.returncode == 0, stats.stderr
    assert '"categories": 8' in stats.stdout
    check = subprocess.run([str(sei), "validate"], cwd=elsewhere, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    answer = subprocess.run(
        [str(sei), "query", "categories", "--format", "csv"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert answer.returncode == 0 and "新一代信息技术产业" in answer.stdout
    templates = subprocess.run(
        [str(sei), "ingest", "--template", "t"], cwd=elsewhere, capture_output=True, text=True
    )
    assert templates.returncode == 0, templates.stderr
    assert (elsewhere / "t" / "figures.csv-metadata.json").is_file()
    located = subprocess.run(
        [str(python), "-c", "import seikg.resources as r; print(r.data_dir('graph'))"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(env_dir) in located.stdout
    _serves_its_ui(sei, elsewhere)


def _serves_its_ui(sei: Path, cwd: Path) -> None:
    """The installed server finds its pages and UI files inside the wheel."""
    import re
    import time

    import httpx

    log = cwd / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([str(sei), "serve", "--port", "0", "--workers", "1"], cwd=cwd,
                                   stdout=sink, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        url = None
        for _ in range(600):
            match = re.search(r"at (http://127\.0\.0\.1:\d+)/", log.read_text())
            if match:
                url = match.group(1)
                break
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        assert url is not None, log.read_text()
        with httpx.Client(base_url=url, timeout=60, trust_env=False) as client:
            assert "yasgui.min.js" in client.get("/").text
            assert client.get("/ui/static/vendor/yasgui/yasgui.min.js").status_code == 200
            assert "青岛市" in client.get("/place/370200", headers={"Accept": "text/html"}).text
            assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
    finally:
        process.terminate()
        process.wait(timeout=30)
