"""The graph demo loads through the services on top of the holdings demo: Orlov's
neighbourhood expands two steps, and the saved view reopens."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from baken.analysis.graph import demo, service
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level
from baken.holdings import demo as holdings_demo
from tests.conftest import People


def test_demo_network(settings: Settings, factory: sessionmaker[Session], people: People) -> None:
    author = people.add("analist.zg", Level.STG_ZEER_GEHEIM, {"analyst"})
    users = {"analist.zg": author.id}
    with transaction(factory) as session:
        holdings_demo.load(session, users, settings)
        demo.load(session, users, settings)
    with transaction(factory) as session:
        first = service.neighbours(session, principal=author, entity_id=demo.CENTER)
        second = service.neighbours(session, principal=author, entity_id="demo-viktor-sokolov")
        views = service.list_views(session, principal=author)
        reopened = service.get_view(session, principal=author, view_id=views[0].id)
    assert {"demo-irina-orlova", "demo-viktor-sokolov"} <= {n.id for n in first.nodes}
    assert {"demo-baltic-horizon", "demo-veteranenclub"} <= {n.id for n in second.nodes}
    assert len(reopened.graph.nodes) == 4
