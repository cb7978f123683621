"""Tables of analysis (graph): saved network views, and the index that makes a node's
neighbours one index range scan.

A saved view keeps the node set and the layout an analyst arranged, at the high-water
marking of the statements it showed when it was saved. It holds entity ids and
positions only, never captions or properties: reopening it assembles every node and
edge again from the statements the viewer may read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from baken.analysis.graph.vocab import EDGE_PROPS
from baken.core.db import Base
from baken.core.timeutil import utcnow
from baken.holdings.models import Statement

# The statements that point from a relationship (Ownership, Directorship, ...) at one of
# its two ends, by the end's id: "which links touch entity X" is one range scan. Partial,
# so long free-text values never reach the index (PostgreSQL limits a btree entry).
_edge = Statement.__table__.c.prop.in_(EDGE_PROPS)
Index(
    "ix_statements_graph_edges",
    Statement.__table__.c.value,
    Statement.__table__.c.prop,
    sqlite_where=_edge,
    postgresql_where=_edge,
)


class GraphView(Base):
    """A saved network view: which entities, where on the canvas."""

    __tablename__ = "analysis_graph_views"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    center_id: Mapped[str] = mapped_column(String(128))
    nodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # {entity id: {"x": float, "y": float}}
    layout: Mapped[dict[str, dict[str, float]]] = mapped_column(JSON, default=dict)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
