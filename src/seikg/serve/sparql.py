"""The endpoint's query policy: the CLI's, with dataset selection among graphs the store holds.

As on the command line, every query is parsed and inspected before it runs:
``SERVICE`` anywhere is refused, and so is every update (``LOAD`` included).
``FROM`` / ``FROM NAMED`` are read here as a *dataset selection*: the graphs
they name are looked up among the graphs the store holds (by the backend),
and refused when they are not there; nothing is ever loaded from a file or
URL, because the dataset clause is taken out of the query before it runs.

>>> i = inspect_query("SELECT * FROM <https://w3id.org/sei-kg/graph/data> WHERE { ?s ?p ?o }")
>>> i.form, i.dataset.default
('SELECT', ('https://w3id.org/sei-kg/graph/data',))
>>> inspect_query("INSERT DATA { <a:b> <a:c> 1 }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
seikg.errors.PolicyError: <query>: SPARQL updates are refused: ...
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from pyparsing import ParseException
from rdflib.plugins.sparql.sparql import Query

from seikg.errors import BadInputError, LimitError, PolicyError
from seikg.serve.backend import DatasetChoice


@dataclass(frozen=True)
class Inspected:
    """A query that passed the policy: its form, the dataset it names, the query to run.

    ``form`` and ``prepared`` are None when the text cannot hold a refused word
    and goes straight to the store's own strict parser (Oxigraph).
    """

    form: str | None
    dataset: DatasetChoice
    prepared: Query | None


def inspect_query(text: str, *, source: str = "<query>", screen: bool = False) -> Inspected:
    """Parse and check a query text; with ``screen``, texts that cannot hold SERVICE,
    FROM or an update skip the (slower) rdflib inspection.  The text is decoded once
    first; the caller runs the decoded text (which holds no escape any parser could
    decode again), so that what runs is what was inspected."""
    from seikg.guard import LIMITS, check_nesting
    from seikg.sparql.policy import could_be_refused, decode_escapes

    text = decode_escapes(text, source=source)
    limit = LIMITS.get().max_nesting
    if screen and not could_be_refused(text):
        check_nesting(Path(source), text, limit=limit, json_like=False)
        return Inspected(None, DatasetChoice(), None)
    return _inspect(text, source, limit)


@functools.lru_cache(maxsize=256)
def _inspect(text: str, source: str, max_nesting: int) -> Inspected:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    from seikg.guard import check_nesting
    from seikg.sparql.policy import check_policy, query_form

    check_nesting(Path(source), text, limit=max_nesting, json_like=False)
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except Exception:
            raise BadInputError(
                f"SPARQL syntax error: {exc.msg}", path=source, line=exc.lineno, column=exc.col
            ) from None
        raise PolicyError(
            f"{source}: SPARQL updates are refused: this endpoint is read-only"
        ) from None
    except RecursionError:
        raise LimitError(f"{source}: the query is nested too deeply to be read") from None
    except Exception as exc:  # rdflib raises a few other kinds on malformed input
        raise BadInputError(f"SPARQL syntax error: {exc}", path=source) from None
    try:
        query = translateQuery(parsed)
    except RecursionError:
        raise LimitError(f"{source}: the query is nested too deeply to be read") from None
    except Exception as exc:
        raise BadInputError(f"invalid SPARQL query: {exc}", path=source) from None
    default: list[str] = []
    named: list[str] = []
    clauses = query.algebra["datasetClause"] if "datasetClause" in query.algebra else None  # noqa: SIM401 (CompValue.get takes no default)
    for clause in clauses or ():
        if "default" in clause:
            default.append(str(clause["default"]))
        if "named" in clause:
            named.append(str(clause["named"]))
    if default or named:  # a copy without the dataset clause: rdflib would load those graphs
        from rdflib.plugins.sparql.parserutils import CompValue

        algebra = CompValue(query.algebra.name)
        for key in query.algebra:
            algebra[key] = OrderedDict.__getitem__(query.algebra, key)
        algebra["datasetClause"] = None
        query = Query(query.prologue, algebra)
    check_policy(query, source=source)  # SERVICE, anywhere
    return Inspected(query_form(query), DatasetChoice(tuple(default), tuple(named)), query)
