"""Messages of results: a shape's ``sh:message`` template filled in from one solution.

``{?var}`` and ``{$var}`` are replaced by the variable's value as the project
writes it (:func:`seikg.sparql.numbers.format_number`: a decimal reads the same
whatever engine divided it).  Every engine's messages are filled here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import Node

from seikg.sparql.numbers import format_number

_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def fill_message(template: str, solution: Mapping[str, Node | None]) -> str:
    """Fill ``{?var}`` and ``{$var}`` in a message template from one solution.

    >>> from rdflib import Literal, URIRef
    >>> from rdflib.namespace import XSD
    >>> fill_message("value {?value} of {$this}",
    ...              {"value": Literal("3.50", datatype=XSD.decimal), "this": URIRef("http://e/a")})
    'value 3.5 of http://e/a'
    """

    def value(match: re.Match[str]) -> str:
        term = solution.get(match.group(1))
        return format_number(term) if term is not None else match.group(0)

    return _PLACEHOLDER.sub(value, template)
