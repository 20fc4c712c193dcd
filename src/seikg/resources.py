"""Where the shipped ontology, graph and queries live.

In an installed wheel they sit inside the package (``seikg/_data``); in a
source checkout or an editable install they are the top-level folders of the
repository.  Both are found the same way.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_KINDS = ("ontology", "graph", "queries")


def data_dir(kind: str) -> Path:
    """Return the folder holding the shipped ``ontology``, ``graph`` or ``queries``.

    >>> data_dir("ontology").name
    'ontology'
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown data folder {kind!r}; expected one of {', '.join(_KINDS)}")
    packaged = Path(str(resources.files("seikg"))) / "_data" / kind
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / kind
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"the shipped {kind} folder is missing from this installation")


def ontology_files() -> list[Path]:
    """Return the ontology's Turtle files, shapes excluded, in a stable order.

    >>> [p.name for p in ontology_files()][:2]
    ['categories.ttl', 'classifications.ttl']
    """
    return sorted(
        p for p in data_dir("ontology").glob("*.ttl") if not p.name.endswith(".shapes.ttl")
    )


def shapes_files() -> list[Path]:
    """Return the data shapes (``*.shapes.ttl`` except the meta-shapes), sorted."""
    return sorted(
        p for p in data_dir("ontology").glob("*.shapes.ttl") if p.name != "meta.shapes.ttl"
    )


def meta_shapes_file() -> Path:
    """Return the meta-shapes file that checks the ontology itself."""
    return data_dir("ontology") / "meta.shapes.ttl"


def graph_files() -> list[Path]:
    """Return the shipped fact files of ``graph/``, sorted.

    >>> "qingdao-2019.ttl" in [p.name for p in graph_files()]
    True
    """
    return sorted(data_dir("graph").glob("*.ttl"))


def reference_files() -> dict[str, Path]:
    """The reference parts of ``graph/reference/`` by name, loaded only when asked for.

    >>> sorted(reference_files())
    ['divisions']
    """
    folder = data_dir("graph") / "reference"
    return {p.stem: p for p in sorted(folder.glob("*.ttl"))}


def query_files() -> list[Path]:
    """Return the SPARQL catalogue, one ``.rq`` file per query, sorted."""
    return sorted(data_dir("queries").glob("*.rq"))
