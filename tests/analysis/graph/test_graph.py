"""Entity neighbourhoods and saved views through the service: only readable statements,
no hints of hidden neighbours, the high-water marking, the index, and the bad input."""

from __future__ import annotations

import json

import pytest
from followthemoney import model
from sqlalchemy import func, select, text

from baken.analysis.graph import service
from baken.analysis.graph.models import GraphView
from baken.analysis.graph.service import GraphError
from baken.analysis.graph.vocab import EDGE_PROPS, EDGES
from baken.core.db import transaction
from baken.core.markings import Level, Marking, Service
from baken.core.models import AuditEntry
from baken.holdings.service import entities
from tests.conftest import People
from tests.holdings.conftest import World


def _ftm(world: World, collection_id: int, items: list[dict[str, object]]) -> None:
    with transaction(world.factory) as session:
        entities.import_ftm(
            session,
            principal=world.analyst,
            collection_id=collection_id,
            lines=[json.dumps(i) for i in items],
        )


def _person(eid: str, name: str, schema: str = "Person") -> dict[str, object]:
    return {"id": eid, "schema": schema, "properties": {"name": [name]}}


def _link(eid: str, schema: str, source: str, target: str) -> dict[str, object]:
    src, tgt = EDGES[schema]
    return {"id": eid, "schema": schema, "properties": {src: [source], tgt: [target]}}


@pytest.fixture
def net(world: World) -> World:
    """Open: Anna owns Bakkerij BV. Secret: Anna's relative Cor, and an open link to
    Dirk whose own statements are all secret."""
    _ftm(
        world,
        world.osint,
        [
            _person("anna", "Anna Jansen"),
            _person("bakkerij", "Bakkerij BV", "Company"),
            _link("own-1", "Ownership", "anna", "bakkerij"),
            _link("assoc-1", "Associate", "anna", "dirk"),
        ],
    )
    _ftm(
        world,
        world.secret,
        [
            _person("cor", "Cor Geheim"),
            _person("dirk", "Dirk Verborgen"),
            _link("fam-1", "Family", "anna", "cor"),
        ],
    )
    return world


def test_the_edge_schemata_are_ftm_s() -> None:
    found = {
        s.name: (s.source_prop.name, s.target_prop.name)
        for s in model.schemata.values()
        if s.edge and s.source_prop is not None and s.target_prop is not None
    }
    assert found == EDGES
    assert set(EDGE_PROPS) == {p for pair in EDGES.values() for p in pair}


def test_neighbours_show_only_readable_statements(net: World) -> None:
    with transaction(net.factory) as session:
        low = service.neighbours(session, principal=net.low, entity_id="anna")
        high = service.neighbours(session, principal=net.analyst, entity_id="anna")
    assert {n.id for n in low.nodes} == {"anna", "bakkerij"}
    assert [(e.source, e.target, e.schema) for e in low.edges] == [
        ("anna", "bakkerij", "Ownership")
    ]
    # Dirk is named by a readable link, but nothing of Dirk is readable: not even hinted.
    dumped = json.dumps(low.to_json())
    for hidden in ("cor", "Cor Geheim", "dirk", "Dirk", "fam-1", "assoc-1"):
        assert hidden not in dumped
    assert low.marking.level == Level.DEP_VERTROUWELIJK
    assert {n.id for n in high.nodes} == {"anna", "bakkerij", "cor", "dirk"}
    assert {e.id for e in high.edges} == {"own-1", "fam-1", "assoc-1"}
    assert high.marking.level == Level.STG_GEHEIM
    assert next(n for n in high.nodes if n.id == "cor").caption == "Cor Geheim"


def test_expanding_a_neighbour_takes_the_next_step(net: World) -> None:
    _ftm(
        net,
        net.osint,
        [_person("eva", "Eva de Vries"), _link("dir-1", "Directorship", "eva", "bakkerij")],
    )
    with transaction(net.factory) as session:
        step = service.neighbours(session, principal=net.low, entity_id="bakkerij")
    assert {n.id for n in step.nodes} == {"anna", "bakkerij", "eva"}
    assert {(e.source, e.target) for e in step.edges} == {
        ("anna", "bakkerij"),
        ("eva", "bakkerij"),
    }


def test_unknown_and_unreadable_entities_are_alike(net: World) -> None:
    with transaction(net.factory) as session:
        with pytest.raises(LookupError):
            service.neighbours(session, principal=net.low, entity_id="cor")
        with pytest.raises(LookupError):
            service.neighbours(session, principal=net.low, entity_id="niemand")


def test_neighbours_are_audited(net: World) -> None:
    with transaction(net.factory) as session:
        service.neighbours(session, principal=net.low, entity_id="anna")
    with transaction(net.factory) as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "graph.neighbours")
        ).one()
    assert entry.object_id == "anna"
    assert entry.details == {"nodes": 2, "edges": 1}


def test_a_saved_view_is_marked_and_refiltered(net: World) -> None:
    with transaction(net.factory) as session:
        open_view = service.save_view(
            session,
            principal=net.analyst,
            title="Bakkerij",
            center_id="anna",
            nodes=["anna", "bakkerij"],
            layout={"anna": {"x": 1, "y": 2}, "bakkerij": {"x": 30, "y": 40}, "x": {"x": 0}},
        )
        secret_view = service.save_view(
            session,
            principal=net.analyst,
            title="Familie",
            center_id="anna",
            nodes=["anna", "cor"],
            layout={},
        )
    with transaction(net.factory) as session:
        listed = service.list_views(session, principal=net.low)
        assert [v.id for v in listed] == [open_view]
        detail = service.get_view(session, principal=net.low, view_id=open_view)
        with pytest.raises(LookupError):
            service.get_view(session, principal=net.low, view_id=secret_view)
        full = service.get_view(session, principal=net.analyst, view_id=secret_view)
    assert detail.view.marking == Marking.of("DEP_VERTROUWELIJK", Service.JOINT)
    assert detail.layout == {"anna": {"x": 1.0, "y": 2.0}, "bakkerij": {"x": 30.0, "y": 40.0}}
    assert [e.id for e in detail.graph.edges] == ["own-1"]
    assert full.view.marking.level == Level.STG_GEHEIM
    assert [e.id for e in full.graph.edges] == ["fam-1"]


def test_a_reopened_view_shows_only_what_is_still_readable(net: World) -> None:
    with transaction(net.factory) as session:
        view_id = service.save_view(
            session,
            principal=net.analyst,
            title="Bakkerij",
            center_id="anna",
            nodes=["anna", "bakkerij"],
            layout={},
        )
    # The company's statements are re-marked out of the low reader's reach afterwards.
    with transaction(net.factory) as session:
        secret_marking = session.execute(
            text("SELECT marking_id FROM collections WHERE id = :c"), {"c": net.secret}
        ).scalar_one()
        session.execute(
            text("UPDATE statements SET marking_id = :m WHERE entity_id = 'bakkerij'"),
            {"m": secret_marking},
        )
    with transaction(net.factory) as session:
        detail = service.get_view(session, principal=net.low, view_id=view_id)
    assert [n.id for n in detail.graph.nodes] == ["anna"]
    assert detail.graph.edges == []
    assert "bakkerij" not in detail.layout


BAD_VIEWS = [
    ({"title": " ", "center_id": "anna", "nodes": ["anna"]}, "give the view a title"),
    ({"title": "x" * 201, "center_id": "anna", "nodes": ["anna"]}, "longer than"),
    ({"title": "t", "center_id": "anna", "nodes": []}, "at least one entity"),
    ({"title": "t", "center_id": "anna", "nodes": ["bakkerij"]}, "starting entity"),
    ({"title": "t", "center_id": "anna", "nodes": ["anna", "cor"]}, "may not read"),
    ({"title": "t", "center_id": "anna", "nodes": ["anna", "niemand"]}, "may not read"),
    (
        {"title": "t", "center_id": "anna", "nodes": ["anna"], "layout": {"anna": {"x": "a"}}},
        "layout",
    ),
    ({"title": "t", "center_id": "anna", "nodes": ["anna"], "layout": []}, "layout"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_VIEWS)
def test_bad_views_are_refused_and_change_nothing(
    net: World, kwargs: dict[str, object], message: str
) -> None:
    args: dict[str, object] = {"layout": {}, **kwargs}
    with transaction(net.factory) as session, pytest.raises(GraphError) as err:
        service.save_view(session, principal=net.low, **args)  # type: ignore[arg-type]
    assert message in str(err.value)
    with transaction(net.factory) as session:
        assert session.scalar(select(func.count()).select_from(GraphView)) == 0


def test_the_unknown_and_the_unreadable_node_get_one_message(net: World) -> None:
    messages = []
    for node in ("cor", "niemand"):
        with transaction(net.factory) as session, pytest.raises(GraphError) as err:
            service.save_view(
                session,
                principal=net.low,
                title="t",
                center_id="anna",
                nodes=["anna", node],
                layout={},
            )
        messages.append(str(err.value))
    assert messages[0] == messages[1]


def test_the_link_query_uses_the_partial_index(net: World) -> None:
    if not net.settings.is_sqlite:
        pytest.skip("the plan is SQLite's")
    with transaction(net.factory) as session:
        query = service.link_query(net.analyst, ["anna"])
        compiled = query.compile(session.get_bind(), compile_kwargs={"render_postcompile": True})
        args = tuple(compiled.params[k] for k in compiled.positiontup or ())
        plan = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), args)
        plan = list(plan)
    assert any("ix_statements_graph_edges" in str(row) for row in plan), plan


def test_the_ctivd_sees_both_services_material_side_by_side(net: World, people: People) -> None:
    """No one service may read an AIVD-only and an MIVD-only statement together, so their
    node has no high-water mark: the CTIVD's view shows it at the highest of them."""
    mivd = people.add("mivd", Level.STG_GEHEIM, service=Service.MIVD)
    ctivd = people.add("toezicht", Level.STG_GEHEIM, {"overseer"}, None, "CTIVD")
    theirs = net.collection("mivd-eigen", Marking.of("STG_GEHEIM", Service.MIVD), author=mivd)
    with transaction(net.factory) as session:
        entities.import_ftm(
            session,
            principal=mivd,
            collection_id=theirs,
            lines=[json.dumps(_person("cor", "Cor Militair"))],
        )
    with transaction(net.factory) as session:
        seen = service.neighbours(session, principal=ctivd, entity_id="anna")
    cor = next(n for n in seen.nodes if n.id == "cor")
    assert cor.marking.level == Level.STG_GEHEIM
    assert seen.marking.level == Level.STG_GEHEIM
