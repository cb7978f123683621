"""Series, follows and signals against a real store: a viewer's series counts only what
that viewer may read (events and tagged documents), a signal is computed per follower and
marked at the high-water mark of what it counted, recording an event runs detection for
its followers, and reads and writes are audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baken.analysis.tagging.models import Tag
from baken.analysis.warning import service
from baken.analysis.warning.models import Alert, Event, Follow
from baken.analysis.warning.series import SeriesKey, monday
from baken.core import policy
from baken.core.db import transaction
from baken.core.marking_store import intern, load_one
from baken.core.markings import Level, Marking, Service
from baken.core.models import AuditEntry
from baken.holdings.leak import make_document
from baken.holdings.models import Document
from tests.conftest import People
from tests.holdings.conftest import World

LOW = Marking.of("DEP_VERTROUWELIJK", Service.JOINT)
HIGH = Marking.of("STG_GEHEIM", Service.AIVD)
UA_CYB = SeriesKey(place="UA", theme="CYB")


def _record(
    session: Session, world: World, day: date, marking: Marking, n: int = 1, **kw: str
) -> None:
    for _ in range(n):
        service.record_event(
            session,
            principal=world.analyst,
            data=service.EventIn(
                occurred_on=day,
                country=kw.get("country", "UA"),
                event_type="cyberincident",
                theme=kw.get("theme", "CYB"),
                marking=marking,
                actor="Groep",
            ),
            run_detection=False,
        )


def _history(session: Session, world: World) -> None:
    today = service.today()
    for back in range(1, 110):
        _record(session, world, today - timedelta(weeks=back), LOW, n=1 + back % 2)


def test_a_viewers_series_counts_only_what_the_viewer_may_read(world: World) -> None:
    today = service.today()
    with transaction(world.factory) as session:
        _record(session, world, today, LOW, n=2)
        _record(session, world, today, HIGH, n=3)
        _record(session, world, today, LOW, country="DE")  # another place
        _record(session, world, today, LOW, theme="ET")  # another theme
    with transaction(world.factory) as session:
        high = service.get_series(session, principal=world.analyst, key=UA_CYB)
        low = service.get_series(session, principal=world.low, key=UA_CYB)
        region = service.get_series(
            session, principal=world.analyst, key=SeriesKey(place="R-OEUR", theme="CYB")
        )
    assert high.points[-1].value == 5
    assert high.marking.level is Level.STG_GEHEIM
    assert low.points[-1].value == 2
    assert low.marking == LOW
    assert region.points[-1].value == 5  # UA is in Eastern Europe, DE is not
    assert high.weeks[-1] == monday(today)


def test_tagged_documents_count_unless_rejected_and_only_when_readable(world: World) -> None:
    with transaction(world.factory) as session:
        docs = []
        for marking, secret in ((LOW, "AAA"), (HIGH, "BBB"), (LOW, "CCC")):
            doc_id = make_document(session, world.analyst, marking, secret)["document_id"]
            doc = session.get(Document, doc_id)
            assert doc is not None
            doc.countries = ["ua"]
            docs.append(doc)
        # The tagging part's table, filled as its tagger would (its service is built
        # alongside this one).
        for doc, status in zip(docs, ("confirmed", "proposed", "rejected"), strict=True):
            session.add(
                Tag(
                    document_id=doc.id,
                    collection_id=doc.collection_id,
                    theme="CYB",
                    source="auto",
                    status=status,
                    score=0.9,
                    explanation={},
                    marking_id=doc.marking_id,
                    created_by=world.analyst.id,
                )
            )
    with transaction(world.factory) as session:
        high = service.get_series(session, principal=world.analyst, key=UA_CYB)
        low = service.get_series(session, principal=world.low, key=UA_CYB)
        other = service.get_series(session, principal=world.analyst, key=SeriesKey(place="DE"))
    assert high.points[-1].value == 2  # the rejected tag does not count
    assert low.points[-1].value == 1
    assert other.points[-1].value == 0


def test_signals_are_computed_per_follower(world: World, people: People) -> None:
    # The history is readable to both; the surge only to the Stg. Geheim analyst.
    today = service.today()
    with transaction(world.factory) as session:
        _history(session, world)
        _record(session, world, today, HIGH, n=14)
        high_follow = service.follow(
            session, principal=world.analyst, target_kind="place", target="R-OEUR"
        )
        service.follow(session, principal=world.low, target_kind="place", target="UA")
        result = service.detect_followers(session)
    assert result.follows == 2
    assert result.for_user(world.analyst.id) == 1
    assert result.for_user(world.low.id) == 0
    with transaction(world.factory) as session:
        alerts = service.list_alerts(session, principal=world.analyst)
        assert service.list_alerts(session, principal=world.low) == []
        row = session.scalars(select(Alert)).one()
        assert load_one(session, row.marking_id).level is Level.STG_GEHEIM
        assert row.follow_id == high_follow
    assert len(alerts) == 1
    assert alerts[0].observed == 14
    assert alerts[0].key == SeriesKey(place="R-OEUR")
    assert alerts[0].unread
    # Running again signals nothing new.
    with transaction(world.factory) as session:
        assert service.detect_followers(session).for_user(world.analyst.id) == 0


def test_a_signal_counts_only_what_its_follower_may_read(world: World) -> None:
    today = service.today()
    with transaction(world.factory) as session:
        _history(session, world)
        _record(session, world, today, LOW, n=12)
        _record(session, world, today, HIGH, n=30)
        service.follow(session, principal=world.low, target_kind="place", target="UA")
        service.detect_followers(session)
    with transaction(world.factory) as session:
        (alert,) = service.list_alerts(session, principal=world.low)
    assert alert.observed == 12
    assert alert.marking == LOW


def test_recording_an_event_runs_detection_for_its_followers(world: World) -> None:
    today = service.today()
    with transaction(world.factory) as session:
        _history(session, world)
        _record(session, world, today, LOW, n=12)
        service.follow(session, principal=world.analyst, target_kind="place", target="UA")
        assert session.scalar(select(func.count()).select_from(Alert)) == 0
        service.record_event(
            session,
            principal=world.analyst,
            data=service.EventIn(
                occurred_on=today,
                country="UA",
                event_type="overig",
                theme="CYB",
                marking=LOW,
                actor="Groep",
            ),
        )
        assert session.scalar(select(func.count()).select_from(Alert)) == 1


def test_a_signal_is_readable_only_by_its_recipient(world: World, people: People) -> None:
    other = people.add("collega", Level.STG_ZEER_GEHEIM)
    today = service.today()
    with transaction(world.factory) as session:
        _history(session, world)
        _record(session, world, today, LOW, n=12)
        service.follow(session, principal=world.analyst, target_kind="place", target="UA")
        service.detect_followers(session)
        alert_id = session.scalars(select(Alert.id)).one()
    with transaction(world.factory) as session, pytest.raises(LookupError):
        service.mark_read(session, principal=other, alert_id=alert_id)
    with transaction(world.factory) as session:
        assert service.list_alerts(session, principal=other) == []
        service.mark_read(session, principal=world.analyst, alert_id=alert_id)
        assert service.list_alerts(session, principal=world.analyst, unread_only=True) == []


@pytest.mark.parametrize(
    ("kind", "target", "message"),
    [
        ("place", "ATLANTIS", "unknown country or region"),
        ("requirement", "GA-NOPE-99", "unknown requirement"),
        ("entity", "no-such-entity", "unknown entity"),
        ("entity", "bad id!", "entity id"),
        ("weather", "NL", "choose what to follow"),
        ("place", "", "name what to follow"),
    ],
)
def test_bad_follows_are_refused_and_nothing_is_stored(
    world: World, kind: str, target: str, message: str
) -> None:
    with transaction(world.factory) as session, pytest.raises(service.WarningError) as refused:
        service.follow(session, principal=world.analyst, target_kind=kind, target=target)
    assert message in str(refused.value)
    with transaction(world.factory) as session:
        assert session.scalar(select(func.count()).select_from(Follow)) == 0


def test_external_recipients_may_not_follow(world: World, people: People) -> None:
    nctv = people.add(
        "nctv", Level.STG_GEHEIM, roles={"partner_recipient"}, service=None, organisation="NCTV"
    )
    with transaction(world.factory) as session, pytest.raises(policy.PolicyDenied):
        service.follow(session, principal=nctv, target_kind="place", target="NL")


def test_an_event_is_audited_and_hidden_ones_answer_not_found(world: World) -> None:
    with transaction(world.factory) as session:
        _record(session, world, service.today(), HIGH)
        event_id = session.scalars(select(Event.id)).one()
        intern(session, HIGH)
    with transaction(world.factory) as session:
        view = service.get_event(session, principal=world.analyst, event_id=event_id)
        assert view.marking == HIGH
    with transaction(world.factory) as session, pytest.raises(LookupError):
        service.get_event(session, principal=world.low, event_id=event_id)
    with transaction(world.factory) as session, pytest.raises(LookupError):
        service.get_event(session, principal=world.analyst, event_id=event_id + 999)
    with transaction(world.factory) as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert "warning.event.create" in actions
    assert "warning.event.read" in actions


def test_baken_warn_runs_detection_and_reports_the_users_new_signals(world: World) -> None:
    from typer.testing import CliRunner

    from baken.cli import application
    from tests.holdings.test_holdings import env

    today = service.today()
    with transaction(world.factory) as session:
        _history(session, world)
        _record(session, world, today, LOW, n=12)
        service.follow(session, principal=world.analyst, target_kind="place", target="UA")
    runner, cli = CliRunner(), application()
    bad = runner.invoke(cli, ["warn", "-u", "analist", "--threshold", "0.1"], env=env(world))
    assert bad.exit_code == 2
    assert "threshold" in bad.output
    with transaction(world.factory) as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 0
    done = runner.invoke(cli, ["warn", "-u", "analist"], env=env(world))
    assert done.exit_code == 0, done.output
    assert "New signals for analist: 1" in done.output


def test_a_requirement_follow_watches_the_theme_of_the_requirement(
    world: World, people: People
) -> None:
    from baken.core.schemas import MarkingIn
    from baken.steering.schemas import GaVersionCreate, RequirementCreate
    from baken.steering.service import ga

    planner = people.add("planner", Level.STG_GEHEIM, {"planner"}, Service.AIVD)
    today = service.today()
    with transaction(world.factory) as session:
        version_id = ga.create_version(
            session,
            principal=planner,
            data=GaVersionCreate(
                label="GA test", period_start=2023, period_end=2026, marking=MarkingIn.of(LOW)
            ),
        )
        ga.add_requirement(
            session,
            principal=planner,
            version_id=version_id,
            data=RequirementCreate(
                ref="BH-0042",
                question="Welke statelijke actoren dringen binnen?",
                theme="CYB",
                ministry="BZK",
                priority=1,
                service="AIVD",
                task="a",
                marking=MarkingIn.of(LOW),
            ),
        )
        _history(session, world)
        _record(session, world, today, LOW, n=6, country="DE")
        _record(session, world, today, LOW, n=6, country="CN")
        service.follow(
            session, principal=world.analyst, target_kind="requirement", target="BH-0042"
        )
        service.detect_followers(session)
    with transaction(world.factory) as session:
        (alert,) = service.list_alerts(session, principal=world.analyst)
    assert alert.key == SeriesKey(theme="CYB")
    assert alert.observed == 12
    assert alert.follow_kind == "requirement"
