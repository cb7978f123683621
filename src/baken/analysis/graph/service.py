"""Entity neighbourhoods from holdings statements, and saved network views.

An edge is a FollowTheMoney relationship entity (Ownership, Directorship, Membership,
Family, Associate, ...) whose two entity-typed ends point at the nodes. Every statement
this module reads passes :func:`baken.core.policy.read_filter` in the query itself: a
link the viewer may not read, or a neighbour whose own statements the viewer may not
read, is not in the answer at all (not drawn, not counted, not hinted at). What the
answer shows carries the high-water marking of the statements it was built from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from followthemoney import model
from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.orm import Session

from baken.analysis.graph.models import GraphView
from baken.analysis.graph.vocab import EDGE_PROPS, EDGES, VIEW
from baken.analysis.vocab import label
from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import UNMARKED, Marking, summary
from baken.core.principals import Principal
from baken.holdings.models import Statement
from baken.holdings.statements import common_schema
from baken.holdings.vocab import ENTITY

CHUNK = 500
MAX_VIEW_NODES = 2000
MAX_TITLE = 200


class GraphError(DomainError):
    """A graph request or a view that cannot be served or saved as asked."""


@dataclass(frozen=True)
class Node:
    id: str
    caption: str
    schema: str
    marking: Marking


@dataclass(frozen=True)
class Edge:
    id: str  # the relationship entity's id
    schema: str
    source: str
    target: str
    marking: Marking

    def label(self, locale: str = "nl") -> str:
        return label("graph", "edges", self.schema, locale)


@dataclass
class Graph:
    center: str | None
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    marking: Marking = UNMARKED

    def to_json(self, locale: str = "nl") -> dict[str, Any]:
        return {
            "center": self.center,
            "marking": self.marking.key(),
            "banner": self.marking.banner(locale),
            "nodes": [
                {
                    "id": n.id,
                    "caption": n.caption,
                    "schema": n.schema,
                    "marking": n.marking.key(),
                    "level": int(n.marking.level),
                }
                for n in self.nodes
            ],
            "edges": [
                {
                    "id": e.id,
                    "schema": e.schema,
                    "label": e.label(locale),
                    "source": e.source,
                    "target": e.target,
                    "marking": e.marking.key(),
                }
                for e in self.edges
            ],
        }


@dataclass(frozen=True)
class ViewSummary:
    id: int
    title: str
    center_id: str
    node_count: int
    marking: Marking
    created_at: datetime


@dataclass(frozen=True)
class ViewDetail:
    view: ViewSummary
    layout: dict[str, dict[str, float]]
    graph: Graph


def _readable(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, ENTITY, Statement.marking_id)


# Literal IN lists, so that SQLite sees the partial index's own WHERE term in the query.
_EDGE_PROP = Statement.prop.in_(bindparam("edge_props", EDGE_PROPS, literal_execute=True))
_EDGE_SCHEMA = Statement.schema.in_(bindparam("edge_schemata", sorted(EDGES), literal_execute=True))


class _Stmt(NamedTuple):
    """The columns of a statement the graph needs (no ORM objects: a neighbourhood can
    hold thousands of them)."""

    entity_id: str
    schema: str
    prop: str
    value: str
    marking_id: int


_COLUMNS = (
    Statement.entity_id,
    Statement.schema,
    Statement.prop,
    Statement.value,
    Statement.marking_id,
)


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    items = sorted(set(ids))
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _nodes(session: Session, principal: Principal, ids: Iterable[str]) -> dict[str, list[_Stmt]]:
    """The readable statements of each of ``ids`` that has any."""
    found: dict[str, list[_Stmt]] = defaultdict(list)
    for chunk in _chunks(ids):
        for row in session.execute(
            select(*_COLUMNS).where(Statement.entity_id.in_(chunk), _readable(principal))
        ):
            found[row[0]].append(_Stmt(*row))
    return found


def link_query(principal: Principal, ids: Sequence[str]) -> Select[str]:
    """The ids of the relationships with a readable end statement pointing at ``ids``:
    a range scan of the partial index ``ix_statements_graph_edges``."""
    return (
        select(Statement.entity_id)
        .where(Statement.value.in_(ids), _EDGE_PROP, _EDGE_SCHEMA, _readable(principal))
        .distinct()
    )


def _links(session: Session, principal: Principal, ids: Iterable[str]) -> dict[str, list[_Stmt]]:
    """The readable end statements of the relationships that touch any of ``ids``."""
    link_ids: set[str] = set()
    for chunk in _chunks(ids):
        link_ids.update(session.scalars(link_query(principal, chunk)))
    ends: dict[str, list[_Stmt]] = defaultdict(list)
    for chunk in _chunks(link_ids):
        for row in session.execute(
            select(*_COLUMNS).where(
                Statement.entity_id.in_(chunk),
                Statement.prop.in_(EDGE_PROPS),
                _readable(principal),
            )
        ):
            ends[row[0]].append(_Stmt(*row))
    return ends


class _Marks:
    """High-water marks of sets of marking ids, each set computed once per request."""

    def __init__(self, marks: dict[int, Marking]) -> None:
        self.marks = marks
        self.cache: dict[frozenset[int], Marking] = {}

    def of(self, ids: Iterable[int]) -> Marking:
        key = frozenset(ids)
        found = self.cache.get(key)
        if found is None:
            # What a reader sees: the high-water mark, or for the CTIVD, which may see
            # both services' material side by side, the highest (markings.summary).
            found = self.cache[key] = summary(self.marks[i] for i in key)
        return found


@lru_cache(maxsize=512)
def _schema_of(names: frozenset[str]) -> str | None:
    found = common_schema(names)
    return found.name if found else None


def _edges(ends: dict[str, list[_Stmt]], marks: _Marks) -> list[Edge]:
    edges: list[Edge] = []
    for link_id, stmts in ends.items():
        schema = _schema_of(frozenset(s.schema for s in stmts))
        if schema is None or schema not in EDGES:
            continue
        source_prop, target_prop = EDGES[schema]
        sources = [s for s in stmts if s.prop == source_prop]
        targets = [s for s in stmts if s.prop == target_prop]
        for src in sources:
            for tgt in targets:
                if src.value == tgt.value:
                    continue
                edges.append(
                    Edge(
                        id=link_id,
                        schema=schema,
                        source=src.value,
                        target=tgt.value,
                        marking=marks.of((src.marking_id, tgt.marking_id)),
                    )
                )
    return edges


def _node(entity_id: str, stmts: Sequence[_Stmt], marks: _Marks) -> Node:
    schema = model.get(_schema_of(frozenset(s.schema for s in stmts)) or "Thing")
    assert schema is not None
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for s in stmts:
        if s.prop in schema.caption:
            proxy.add(s.prop, s.value, quiet=True, cleaned=True)
    return Node(
        id=entity_id,
        caption=str(proxy.caption or entity_id),
        schema=schema.name,
        marking=marks.of(s.marking_id for s in stmts),
    )


def _assemble(
    session: Session,
    principal: Principal,
    center: str | None,
    wanted: Iterable[str],
    *,
    expand: bool,
) -> Graph:
    """Nodes ``wanted`` (and, with ``expand``, their readable neighbours), with the edges
    among the nodes shown."""
    wanted = set(wanted)
    ends = _links(session, principal, wanted)
    ids = set(wanted)
    if expand:
        ids |= {s.value for stmts in ends.values() for s in stmts}
    node_stmts = _nodes(session, principal, ids)
    marking_ids = {s.marking_id for ss in node_stmts.values() for s in ss}
    marking_ids |= {s.marking_id for ss in ends.values() for s in ss}
    marks = _Marks(load(session, marking_ids))
    shown = set(node_stmts)
    edges = [
        e
        for e in _edges(ends, marks)
        if e.source in shown and e.target in shown and (e.source in wanted or e.target in wanted)
    ]
    if expand:
        # A node appears only through an edge the viewer may read (or as the centre).
        linked = {e.source for e in edges} | {e.target for e in edges}
        shown &= linked | wanted
    nodes = [_node(i, node_stmts[i], marks) for i in sorted(shown)]
    used = {n.marking for n in nodes} | {e.marking for e in edges}
    return Graph(
        center=center,
        nodes=nodes,
        edges=sorted(edges, key=lambda e: (e.id, e.source, e.target)),
        marking=summary(used) if used else UNMARKED,
    )


def neighbours(session: Session, *, principal: Principal, entity_id: str) -> Graph:
    """An entity and its readable neighbours, one step out. Unknown and unreadable
    entities are alike: :class:`LookupError`."""
    if not policy.role_may_read(principal, ENTITY):
        raise LookupError(entity_id)
    graph = _assemble(session, principal, entity_id, [entity_id], expand=True)
    if not any(n.id == entity_id for n in graph.nodes):
        raise LookupError(entity_id)
    audit.record(
        session,
        principal=principal,
        action="graph.neighbours",
        kind=ENTITY,
        object_id=entity_id,
        marking=graph.marking,
        details={"nodes": len(graph.nodes), "edges": len(graph.edges)},
    )
    return graph


def subgraph(session: Session, *, principal: Principal, entity_ids: Iterable[str]) -> Graph:
    """The readable ones of ``entity_ids`` with the readable edges among them (not
    audited: the caller records what it shows)."""
    ids = set(entity_ids)
    graph = _assemble(session, principal, None, ids, expand=False)
    graph.edges = [e for e in graph.edges if e.source in ids and e.target in ids]
    return graph


# --- saved views -----------------------------------------------------------------------------


def _view_filter(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, VIEW, GraphView.marking_id)


def _summary(row: GraphView, marking: Marking) -> ViewSummary:
    return ViewSummary(
        id=row.id,
        title=row.title,
        center_id=row.center_id,
        node_count=len(row.nodes),
        marking=marking,
        created_at=row.created_at,
    )


def _clean_layout(layout: object, nodes: set[str]) -> dict[str, dict[str, float]]:
    if not isinstance(layout, dict):
        raise GraphError(N_("the layout of the view is not valid"))
    clean: dict[str, dict[str, float]] = {}
    for key, pos in layout.items():
        if key not in nodes:
            continue
        try:
            x, y = float(pos["x"]), float(pos["y"])
        except (TypeError, KeyError, ValueError):
            raise GraphError(N_("the layout of the view is not valid")) from None
        if not (abs(x) < 1e7 and abs(y) < 1e7):
            raise GraphError(N_("the layout of the view is not valid"))
        clean[str(key)] = {"x": round(x, 1), "y": round(y, 1)}
    return clean


def save_view(
    session: Session,
    *,
    principal: Principal,
    title: str,
    center_id: str,
    nodes: Sequence[str],
    layout: object,
) -> int:
    """Save the node set and layout, marked at the high-water mark of what it shows.
    Every node must be readable now; one that is not is refused without saying which
    way (unknown and unreadable are alike)."""
    title = title.strip()
    if not title:
        raise GraphError(N_("give the view a title"))
    if len(title) > MAX_TITLE:
        raise GraphError(N_("the title is longer than {limit} characters"), limit=MAX_TITLE)
    ids = {str(n) for n in nodes if str(n).strip()}
    if not ids:
        raise GraphError(N_("a view needs at least one entity"))
    if len(ids) > MAX_VIEW_NODES:
        raise GraphError(N_("a view holds at most {limit} entities"), limit=MAX_VIEW_NODES)
    if center_id not in ids:
        raise GraphError(N_("the view does not contain its starting entity"))
    if not policy.role_may_write(principal, VIEW) or principal.is_external:
        raise policy.PolicyDenied(VIEW)
    graph = subgraph(session, principal=principal, entity_ids=ids)
    if len(graph.nodes) != len(ids):
        raise GraphError(
            N_("the view names an entity that does not exist or that you may not read")
        )
    clean = _clean_layout(layout, ids)
    marking = policy.derived_marking([graph.marking])
    policy.require_write(principal, VIEW, marking)
    row = GraphView(
        title=title,
        center_id=center_id,
        nodes=sorted(ids),
        layout=clean,
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="graph.view.create",
        kind=VIEW,
        object_id=row.id,
        marking=marking,
        details={"nodes": len(ids), "edges": len(graph.edges)},
    )
    return row.id


def list_views(session: Session, *, principal: Principal) -> list[ViewSummary]:
    rows = list(
        session.scalars(
            select(GraphView).where(_view_filter(principal)).order_by(GraphView.id.desc())
        )
    )
    marks = load(session, {r.marking_id for r in rows})
    items = [_summary(r, marks[r.marking_id]) for r in rows]
    audit.record(
        session,
        principal=principal,
        action="graph.view.list",
        kind=VIEW,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.id for i in items]},
    )
    return items


def get_view(session: Session, *, principal: Principal, view_id: int) -> ViewDetail:
    """A saved view, assembled again from what the viewer may read now."""
    row = session.scalar(select(GraphView).where(GraphView.id == view_id, _view_filter(principal)))
    if row is None:
        raise LookupError(view_id)
    marking = load_one(session, row.marking_id)
    graph = subgraph(session, principal=principal, entity_ids=row.nodes)
    graph.center = row.center_id
    shown = {n.id for n in graph.nodes}
    audit.record(
        session,
        principal=principal,
        action="graph.view.read",
        kind=VIEW,
        object_id=row.id,
        marking=summary([marking, graph.marking]),
        details={"nodes": len(graph.nodes), "edges": len(graph.edges)},
    )
    return ViewDetail(
        view=_summary(row, marking),
        layout={k: v for k, v in row.layout.items() if k in shown},
        graph=graph,
    )
