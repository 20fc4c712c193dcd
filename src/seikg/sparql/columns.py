"""The columns of ``SELECT *``: one documented order, the same from every store.

SPARQL leaves the order of the in-scope variables of ``SELECT *`` to the
engine: rdflib takes them from a set (another order under every hash seed),
Oxigraph sorts them.  The project's order is the order in which each variable
first appears in the query text, as most engines do.
"""

from __future__ import annotations

from seikg.guard.tokens import tokens

_MODIFIERS = frozenset(("DISTINCT", "REDUCED"))


def star_columns(text: str) -> list[str] | None:
    """For a query whose result clause is ``SELECT *``, every variable of the text in the
    order of its first appearance; None for any other query.

    >>> star_columns("SELECT * WHERE { ?s ?p ?o . ?o ?q $r }")
    ['s', 'p', 'o', 'q', 'r']
    >>> star_columns("PREFIX e: <http://e/> SELECT DISTINCT * { ?b e:p ?a }")
    ['b', 'a']
    >>> star_columns("SELECT ?o ?s WHERE { ?s ?p ?o }") is None
    True
    """
    names: dict[str, None] = {}
    state = "prologue"
    for token in tokens(text):
        word = token.text.upper() if token.kind == "name" else ""
        if state == "prologue":
            if word == "SELECT":
                state = "select"
            elif word in ("ASK", "CONSTRUCT", "DESCRIBE"):
                return None
        elif state == "select":
            if word in _MODIFIERS:
                continue
            if token.kind != "op" or token.text != "*":
                return None
            state = "star"
        elif token.kind == "var":
            names.setdefault(token.text[1:], None)
    return list(names) if state == "star" else None


def in_text_order(variables: tuple[str, ...], order: list[str]) -> tuple[str, ...]:
    """``variables`` in the order of ``order`` (any not in it last, by name).

    >>> in_text_order(("o", "p", "s", "x"), ["s", "p", "o"])
    ('s', 'p', 'o', 'x')
    """
    rank = {name: index for index, name in enumerate(order)}
    return tuple(sorted(variables, key=lambda name: (rank.get(name, len(rank)), name)))
