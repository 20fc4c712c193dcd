"""sei-kg: a knowledge graph of China's strategic emerging industries.

>>> import seikg
>>> kg = seikg.KnowledgeGraph.load()
>>> kg.validate().conforms
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from seikg.errors import BadInputError, ExitCode, LimitError, PolicyError, SeiKgError
from seikg.formats import RdfFormat
from seikg.kg import KnowledgeGraph
from seikg.sparql.results import AskResult, GraphResult, ResultFormat, Row, SelectResult
from seikg.stores import Part, Store, StoreKind, StoreSpec, open_store
from seikg.validation import Severity, ValidationReport, ValidationResult

try:
    __version__ = version("sei-kg")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"

__all__ = [
    "AskResult",
    "BadInputError",
    "ExitCode",
    "GraphResult",
    "KnowledgeGraph",
    "LimitError",
    "Part",
    "PolicyError",
    "RdfFormat",
    "ResultFormat",
    "Row",
    "SeiKgError",
    "SelectResult",
    "Severity",
    "Store",
    "StoreKind",
    "StoreSpec",
    "ValidationReport",
    "ValidationResult",
    "__version__",
    "open_store",
]
