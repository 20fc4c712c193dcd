"""The SHACL shapes, translated into plain SPARQL queries that run on any store.

The consistency rules stay written once, in ``ontology/*.shapes.ttl``.  For
stores that are too large for pyshacl (an on-disk Oxigraph store, a remote
SPARQL endpoint), each constraint becomes one SELECT query whose solutions are
the violations: SHACL-SPARQL constraints are SPARQL already (their target is
joined in), and the SHACL Core constraints the shapes use translate directly.
A constraint the translator does not know is refused rather than skipped.

A SPARQL constraint the shapes declare ``seish:groupedBy`` a grouping (the
figures of one area) becomes a check that a store able to bind variables
before evaluation runs one group at a time: its query names the group's
variable in its projection and tests its target with ``FILTER EXISTS``, so a
bound group reads only that group's figures (see :class:`Grouping`).

>>> from seikg import resources
>>> from seikg.rdf.parsing import parse_files
>>> checks = translate_shapes(parse_files(resources.shapes_files()))
>>> len(checks) > 40
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from seikg.errors import BadInputError
from seikg.namespaces import SEISH, SH, sparql_prologue


@dataclass(frozen=True)
class Grouping:
    """A declared partition of the data (``seish:Grouping``): the rules grouped by it join
    only data that shares the value of ``variable``; ``query`` lists those values."""

    node: Node
    variable: str
    query: str


@dataclass(frozen=True)
class Check:
    """One constraint as a SELECT query; each solution is a violation."""

    source_shape: Node
    component: URIRef
    severity: URIRef
    messages: tuple[Literal, ...]
    path: Node | None
    query: str
    focus_is_value: bool = False
    """A node shape's SPARQL constraint: a solution without ?value reports the focus node as
    its value, as SHACL maps solutions to results."""
    grouping: Grouping | None = None
    """The grouping the constraint declares: every solution binds its variable, so the
    query may be run once per value of it, with that value bound."""


def _n3(term: Node) -> str:
    return term.n3()


def _target_parts(shapes: Graph, shape: Node) -> list[str]:
    """The SPARQL patterns that each bind ?this to focus nodes of a node shape."""
    parts = []
    for cls in shapes.objects(shape, SH.targetClass):
        parts.append(f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* {_n3(cls)} . }}")
    nodes = list(shapes.objects(shape, SH.targetNode))
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(_n3(n) for n in nodes) + " } }")
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        parts.append(f"{{ ?this {_n3(prop)} [] . }}")
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        parts.append(f"{{ [] {_n3(prop)} ?this . }}")
    for target in shapes.objects(shape, SH.target):
        select = shapes.value(target, SH.select)
        if select is None:
            raise BadInputError(f"shapes: a custom target of {shape} has no sh:select")
        parts.append("{ " + _strip_prologue(str(select)) + " }")
    return parts


def _target_pattern(shapes: Graph, shape: Node) -> str | None:
    """The SPARQL pattern binding ?this to the focus nodes of a node shape."""
    parts = _target_parts(shapes, shape)
    if not parts:
        return None
    # A sub-select of distinct focus nodes: Oxigraph joins it by hashing instead of
    # probing the constraint body once per path solution (and a node typed with a class
    # and its subclass is one focus node, not two).
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


def _strip_prologue(text: str) -> str:
    return re.sub(r"^\s*(PREFIX\s+\S*:\s*<[^>]*>\s*)+", "", text, flags=re.I)


def _declared_prefixes(shapes: Graph) -> str:
    lines = []
    for declaration in shapes.objects(None, SH.declare):
        prefix = shapes.value(declaration, SH.prefix)
        namespace = shapes.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            lines.append(prefix_line(str(prefix), str(namespace)))
    return "\n".join(sorted(set(lines))) + "\n"


_PREFIX_NAME = re.compile(r"(?:[A-Za-z][\w.-]*)?")
_IRI_TEXT = re.compile(r"[^\x00-\x20<>\"{}|^`\\]*")


def prefix_line(prefix: str, namespace: str) -> str:
    """The PREFIX declaration of an ``sh:declare``, written before the shapes' SPARQL texts
    (the shipped ones' too): a prefix that is not a name, or a namespace that is not an
    IRI, would change the text written after it, and is refused.

    >>> prefix_line("ex", "http://example.org/")
    'PREFIX ex: <http://example.org/>'
    >>> prefix_line("ex", "http://e/> SERVICE <http://x/> { } #")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.BadInputError: shapes: sh:declare of the prefix 'ex' with the namespace ...
    """
    if not _PREFIX_NAME.fullmatch(prefix) or not _IRI_TEXT.fullmatch(namespace):
        raise BadInputError(
            f"shapes: sh:declare of the prefix {prefix!r} with the namespace {namespace!r}: "
            "a prefix must be a name and a namespace an IRI"
        )
    return f"PREFIX {prefix}: <{namespace}>"


def _current_shape(select: str, shape: Node) -> str:
    """Pre-bind ``$currentShape`` (SHACL 5.2.1): the shape whose constraint runs."""
    return re.sub(r"[$?]currentShape\b", lambda _m: _n3(shape), select)


def _inject_target(select: str, target: str) -> str:
    """Join the target pattern into the constraint's SELECT, right after its WHERE {."""
    from seikg.guard.tokens import tokens

    body = _strip_prologue(select).replace("$this", "?this")
    previous = None
    for token in tokens(body):  # a WHERE in a string or a comment is not the WHERE clause
        if token.text == "{" and previous is not None and previous.text.upper() == "WHERE":
            cut = token.start + 1
            return f"{body[:cut]}\n  {target}\n{body[cut:]}"
        previous = token
    raise BadInputError("shapes: a SPARQL constraint without WHERE { ... } cannot be translated")


def _grouped_query(select: str, parts: list[str], grouping: Grouping) -> str:
    """A grouped constraint's query: the target tested per solution (``FILTER EXISTS``, so
    that with the group bound only the group's focus nodes are visited, where a sub-select
    of every focus node would be evaluated whole for each group) and the group's variable
    projected (an engine binds only projected variables).

    >>> g = Grouping(URIRef("http://e/g"), "area", "")
    >>> select = "SELECT $this WHERE { $this <http://e/p> ?area }"
    >>> print(_grouped_query(select, ["{ ?this a <http://e/C> . }"], g))
    SELECT ?area ?this WHERE {
      FILTER EXISTS { { ?this a <http://e/C> . } }
     ?this <http://e/p> ?area }
    """
    variable = grouping.variable
    if not re.search(rf"[?$]{re.escape(variable)}\b", select):
        raise BadInputError(
            f"shapes: a constraint grouped by {grouping.node} never names ?{variable}"
        )
    text = _inject_target(select, "FILTER EXISTS { " + " UNION ".join(parts) + " }")
    head = re.match(r"\s*SELECT\s+((?:DISTINCT|REDUCED)\s+)?", text, flags=re.I)
    if head is None or text[head.end() :].lstrip().startswith("*"):
        return text  # SELECT * projects every variable in scope already
    return f"{text[: head.end()]}?{variable} {text[head.end() :]}"


def _grouping(shapes: Graph, constraint: Node) -> Grouping | None:
    """The grouping a SPARQL constraint declares with ``seish:groupedBy``, if any."""
    node = shapes.value(constraint, SEISH.groupedBy)
    if node is None:
        return None
    variable = shapes.value(node, SEISH.groupVariable)
    query = shapes.value(node, SEISH.groupSelect)
    if variable is None or query is None or not re.fullmatch(r"[A-Za-z_]\w*", str(variable)):
        raise BadInputError(
            f"shapes: the grouping {node} needs a seish:groupVariable and a seish:groupSelect"
        )
    return Grouping(node, str(variable), str(query))


def translate_shapes(shapes: Graph) -> list[Check]:
    """Translate every active constraint of ``shapes`` into a :class:`Check`."""
    prologue = sparql_prologue() + _declared_prefixes(shapes)
    checks: list[Check] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        target = _target_pattern(shapes, shape)
        if target is None:
            continue
        parts = _target_parts(shapes, shape)
        severity = URIRef(str(shapes.value(shape, SH.severity) or SH.Violation))
        for constraint in shapes.objects(shape, SH.sparql):
            if (constraint, SH.deactivated, Literal(True)) in shapes:
                continue
            select = shapes.value(constraint, SH.select)
            if select is None:
                raise BadInputError(f"shapes: a SPARQL constraint of {shape} has no sh:select")
            text = _current_shape(str(select), shape)
            grouping = _grouping(shapes, constraint)
            body = (
                _inject_target(text, target)
                if grouping is None
                else _grouped_query(text, parts, grouping)
            )
            checks.append(
                Check(
                    source_shape=constraint if isinstance(constraint, URIRef) else shape,
                    component=SH.SPARQLConstraintComponent,
                    severity=severity,
                    messages=tuple(
                        m for m in shapes.objects(constraint, SH.message) if isinstance(m, Literal)
                    ),
                    path=None,
                    query=prologue + body,
                    focus_is_value=True,
                    grouping=grouping,
                )
            )
        for prop in shapes.objects(shape, SH.property):
            if (prop, SH.deactivated, Literal(True)) in shapes:
                continue
            checks.extend(_property_checks(shapes, shape, prop, target, prologue))
    return checks


@functools.lru_cache(maxsize=1)
def shipped_checks() -> frozenset[str]:
    """The query texts translated from the shipped shapes: the project's own, which a store
    runs without inspecting them again (any other text is inspected first)."""
    from seikg import resources
    from seikg.rdf.parsing import parse_files

    return frozenset(c.query for c in translate_shapes(parse_files(resources.shapes_files())))


def _property_checks(
    shapes: Graph, shape: Node, prop: Node, target: str, prologue: str
) -> Iterable[Check]:
    path = shapes.value(prop, SH.path)
    path_text = _path(shapes, path)
    if path_text is None:
        raise BadInputError(
            f"shapes: only property IRIs and their inverses can be translated as paths ({shape})"
        )
    severity = URIRef(
        str(shapes.value(prop, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation)
    )
    messages = tuple(m for m in shapes.objects(prop, SH.message) if isinstance(m, Literal))
    p = path_text
    known = {SH.path, SH.severity, SH.message, SH.name, SH.description, SH.deactivated, RDF.type,
             RDFS.label, RDFS.comment, SH.order, SH.group}  # fmt: skip

    def check(component: str, where: str, select: str = "?this ?value", tail: str = "") -> Check:
        query = f"{prologue}SELECT DISTINCT {select} WHERE {{\n  {target}\n  {where}\n}}{tail}"
        return Check(prop, SH[component], severity, messages, path, query)

    def values_filter(condition: str) -> str:
        return f"?this {p} ?value . FILTER ({condition})"

    for predicate, obj in shapes.predicate_objects(prop):
        if predicate in known:
            continue
        build = _CORE.get(URIRef(str(predicate)))
        if build is None:
            raise BadInputError(
                f"shapes: the constraint {predicate} of {shape} cannot be translated to SPARQL"
            )
        yield build(shapes, obj, p, check, values_filter)


def _path(shapes: Graph, path: Node | None) -> str | None:
    """The SPARQL property path of a SHACL path: an IRI, or the inverse of one."""
    if isinstance(path, URIRef):
        return _n3(path)
    inverse = shapes.value(path, SH.inversePath) if path is not None else None
    if isinstance(inverse, URIRef) and len(list(shapes.predicate_objects(path))) == 1:
        return "^" + _n3(inverse)
    return None


def path_name(shapes: Graph, shape: Node) -> str | None:
    """The path of a property shape as text: its IRI, or ``^`` and the IRI for an inverse path.

    >>> from rdflib import BNode
    >>> g, s, p = Graph(), BNode(), BNode()
    >>> _ = g.add((s, SH.path, p)).add((p, SH.inversePath, URIRef("http://e/p")))
    >>> path_name(g, s)
    '^http://e/p'
    """
    path = shapes.value(shape, SH.path)
    if isinstance(path, URIRef):
        return str(path)
    inverse = shapes.value(path, SH.inversePath) if path is not None else None
    return f"^{inverse}" if isinstance(inverse, URIRef) else None


Builder = Callable[..., Check]


def _min_count(shapes: Graph, obj: Node, p: str, check: Builder, _vf: Builder) -> Check:
    n = int(obj)  # type: ignore[call-overload]
    return check(
        "MinCountConstraintComponent",
        f"OPTIONAL {{ ?this {p} ?v }}",
        "?this",
        f" GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})",
    )


def _max_count(shapes: Graph, obj: Node, p: str, check: Builder, _vf: Builder) -> Check:
    n = int(obj)  # type: ignore[call-overload]
    return check(
        "MaxCountConstraintComponent",
        f"?this {p} ?v .",
        "?this",
        f" GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {n})",
    )


def _class(shapes: Graph, obj: Node, p: str, check: Builder, _vf: Builder) -> Check:
    # OPTIONAL and !BOUND rather than FILTER NOT EXISTS: Oxigraph joins the instances of
    # the class once instead of walking the class path again for every value.
    return check(
        "ClassConstraintComponent",
        f"?this {p} ?value . "
        f"OPTIONAL {{ ?value <{RDF.type}>/<{RDFS.subClassOf}>* {_n3(obj)} . "
        f"BIND (true AS ?isInstance) }} FILTER (!BOUND(?isInstance))",
    )


def _datatype(shapes: Graph, obj: Node, p: str, check: Builder, vf: Callable[[str], str]) -> Check:
    return check(
        "DatatypeConstraintComponent", vf(f"!isLiteral(?value) || DATATYPE(?value) != {_n3(obj)}")
    )


def _node_kind(shapes: Graph, obj: Node, p: str, check: Builder, vf: Callable[[str], str]) -> Check:
    tests = {
        SH.IRI: "isIRI(?value)",
        SH.Literal: "isLiteral(?value)",
        SH.BlankNode: "isBlank(?value)",
        SH.BlankNodeOrIRI: "!isLiteral(?value)",
        SH.IRIOrLiteral: "!isBlank(?value)",
        SH.BlankNodeOrLiteral: "!isIRI(?value)",
    }
    test = tests[URIRef(str(obj))]
    return check("NodeKindConstraintComponent", vf(f"!({test})"))


def _pattern(shapes: Graph, obj: Node, p: str, check: Builder, vf: Callable[[str], str]) -> Check:
    flags = shapes.value(None, SH.flags)
    regex = Literal(str(obj)).n3()
    extra = f", {Literal(str(flags)).n3()}" if flags is not None else ""
    return check(
        "PatternConstraintComponent", vf(f"isBlank(?value) || !REGEX(STR(?value), {regex}{extra})")
    )


def _in(shapes: Graph, obj: Node, p: str, check: Builder, vf: Callable[[str], str]) -> Check:
    members = ", ".join(_n3(m) for m in Collection(shapes, obj))
    return check("InConstraintComponent", vf(f"?value NOT IN ({members})"))


def _compare(op: str, component: str) -> Builder:
    def build(shapes: Graph, obj: Node, p: str, check: Builder, vf: Callable[[str], str]) -> Check:
        return check(component, vf(f"!(?value {op} {_n3(obj)})"))

    return build


def _language_in(
    shapes: Graph, obj: Node, p: str, check: Builder, vf: Callable[[str], str]
) -> Check:
    tests = " || ".join(
        f"LANGMATCHES(LANG(?value), {Literal(str(t)).n3()})" for t in Collection(shapes, obj)
    )
    return check("LanguageInConstraintComponent", vf(f"!isLiteral(?value) || !({tests})"))


def _unique_lang(shapes: Graph, obj: Node, p: str, check: Builder, _vf: Builder) -> Check:
    return check(
        "UniqueLangConstraintComponent",
        f"?this {p} ?value , ?other . FILTER (?value != ?other && LANG(?value) != '' "
        f"&& LANG(?value) = LANG(?other))",
        "?this",
    )


def _less_than(shapes: Graph, obj: Node, p: str, check: Builder, _vf: Builder) -> Check:
    return check(
        "LessThanConstraintComponent",
        f"?this {p} ?value . ?this {_n3(obj)} ?other . FILTER (!(?value < ?other))",
    )


def _or(shapes: Graph, obj: Node, p: str, check: Builder, vf: Callable[[str], str]) -> Check:
    datatypes = []
    for member in Collection(shapes, obj):
        datatype = shapes.value(member, SH.datatype)
        if datatype is None or len(list(shapes.predicate_objects(member))) != 1:
            raise BadInputError(
                "shapes: only sh:or of sh:datatype alternatives can be translated to SPARQL"
            )
        datatypes.append(_n3(datatype))
    return check(
        "OrConstraintComponent",
        vf(f"!isLiteral(?value) || DATATYPE(?value) NOT IN ({', '.join(datatypes)})"),
    )


_CORE: dict[URIRef, Builder] = {
    SH.minCount: _min_count,
    SH.maxCount: _max_count,
    SH["class"]: _class,
    SH.datatype: _datatype,
    SH.nodeKind: _node_kind,
    SH.pattern: _pattern,
    SH["in"]: _in,
    SH.minExclusive: _compare(">", "MinExclusiveConstraintComponent"),
    SH.minInclusive: _compare(">=", "MinInclusiveConstraintComponent"),
    SH.maxExclusive: _compare("<", "MaxExclusiveConstraintComponent"),
    SH.maxInclusive: _compare("<=", "MaxInclusiveConstraintComponent"),
    SH.languageIn: _language_in,
    SH.uniqueLang: _unique_lang,
    SH.lessThan: _less_than,
    SH["or"]: _or,
}


__all__ = ["Check", "Grouping", "translate_shapes"]
