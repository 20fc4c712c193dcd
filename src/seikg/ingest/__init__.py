"""Adding figures: CSV files and Excel workbooks through a gate, all or nothing.

People fill in three templates (shipped as W3C CSVW metadata files beside
examples holding the Qingdao 2019 figures): one row per stated figure, one
per source document, one per comparison claim.  :func:`ingest` turns the rows
into observations and claims in the model of the shipped facts, runs every
rule on them together with what the store already holds, and writes only when
nothing breaks.  :func:`export_template` is the other way.

>>> from seikg.ingest import template_files
>>> sorted(p.name for p in template_files())[:2]
['claims.csv', 'claims.csv-metadata.json']
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from seikg.ingest.export import export_template, write_templates
    from seikg.ingest.gate import IngestOutcome, RulesBroken, ingest
    from seikg.ingest.tables import IngestRefused, Problem

# Imported on first use, so that the command line starts without the ingest machinery.
_LAZY = {
    "export_template": "seikg.ingest.export",
    "write_templates": "seikg.ingest.export",
    "IngestOutcome": "seikg.ingest.gate",
    "RulesBroken": "seikg.ingest.gate",
    "ingest": "seikg.ingest.gate",
    "IngestRefused": "seikg.ingest.tables",
    "Problem": "seikg.ingest.tables",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)


def template_files() -> list[Path]:
    """The shipped templates: CSVW metadata files and the example CSV files."""
    from seikg.ingest.schema import templates_dir

    return sorted(p for p in templates_dir().iterdir() if p.suffix in (".csv", ".json"))


__all__ = [
    "IngestOutcome",
    "IngestRefused",
    "Problem",
    "RulesBroken",
    "export_template",
    "ingest",
    "template_files",
    "write_templates",
]
