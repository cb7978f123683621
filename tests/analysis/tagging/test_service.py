"""Tagging through the services and the CLI on a real database: scoring as documents
arrive, (re)tagging with ``baken tag``, deciding, tagging by hand and its bad input,
feeds, coverage, markings and audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from typer.testing import CliRunner

from baken.analysis.tagging import service
from baken.analysis.tagging.models import Tag
from baken.analysis.tagging.service import TaggingError
from baken.cli import application
from baken.core.db import transaction
from baken.core.marking_store import load_one
from baken.core.markings import Level, Marking
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.holdings.models import Collection, Document
from baken.holdings.service import entities
from tests.analysis.tagging.conftest import CRIME_REF, CYBER_REF, GA
from tests.conftest import People
from tests.holdings.conftest import World, write
from tests.holdings.test_holdings import env, ingest

runner = CliRunner()
cli = application()

CYBER = (
    "Ransomware legde de systemen van het ziekenhuis in Utrecht plat; de hackers eisten losgeld."
)
CRIME = (
    "Een crimineel netwerk smokkelt cocaïne via de haven van Rotterdam; "
    "havenmedewerkers worden omgekocht."
)
PHISHING = "Phishingmails met malware gingen naar medewerkers van een ministerie."
CANTEEN = "De kantine is volgende week gesloten wegens een verbouwing."


def _ingest(world: World, tmp_path: Path, collection: str = "osint") -> dict[str, int]:
    folder = write(
        tmp_path / collection,
        {"cyber.txt": CYBER, "crime.txt": CRIME, "phishing.txt": PHISHING, "canteen.txt": CANTEEN},
    )
    ingest(world, folder, collection)
    with transaction(world.factory) as session:
        rows = session.execute(
            select(Document.name, Document.id)
            .join(Collection, Collection.id == Document.collection_id)
            .where(Collection.name == collection)
        ).all()
    return {Path(name).stem: doc_id for name, doc_id in rows if name.endswith(".txt")}


def _tags(world: World) -> list[Tag]:
    with transaction(world.factory) as session:
        rows = list(session.scalars(select(Tag).order_by(Tag.id)))
        session.expunge_all()
        return rows


def _count(world: World) -> int:
    with transaction(world.factory) as session:
        return session.scalar(select(func.count()).select_from(Tag)) or 0


def _marking(world: World, marking_id: int) -> Marking:
    with transaction(world.factory) as session:
        return load_one(session, marking_id)


def test_arriving_documents_are_scored_with_their_markings(
    world: World, ga_world: GA, tmp_path: Path
) -> None:
    docs = _ingest(world, tmp_path)
    tags = {(t.document_id, t.theme, t.requirement_ref): t for t in _tags(world)}
    cyber = tags[(docs["cyber"], "CYB", CYBER_REF)]
    crime = tags[(docs["crime"], "CN", CRIME_REF)]
    phishing = tags[(docs["phishing"], "CYB", None)]  # no requirement shares a word
    assert not [t for t in tags.values() if t.document_id == docs["canteen"]]
    for t in (cyber, crime, phishing):
        assert (t.source, t.status) == ("auto", "proposed")
        assert t.explanation["terms"] or t.explanation["examples"]
    assert "ransomware" in cyber.explanation["terms"]
    assert cyber.explanation["requirement_terms"]
    # A theme tag has its document's marking; a requirement tag the high-water mark of
    # the document (Dep. Vertrouwelijk) and the requirement.
    assert _marking(world, phishing.marking_id) == Marking.of("DEP_VERTROUWELIJK", "JOINT")
    assert _marking(world, cyber.marking_id).level == Level.STG_CONFIDENTIEEL
    assert _marking(world, crime.marking_id).level == Level.STG_GEHEIM
    with transaction(world.factory) as session:
        proposed = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "tag.propose")
        )
    assert proposed == len(tags)


def test_readers_see_only_tags_they_may_read(
    world: World, ga_world: GA, tmp_path: Path, people: People
) -> None:
    docs = _ingest(world, tmp_path)
    with transaction(world.factory) as session:
        high = service.list_tags(session, principal=world.analyst)
        low = service.list_tags(session, principal=world.low)
        planner = service.list_tags(session, principal=ga_world.planner)
        low_reqs = service.requirements(session, principal=world.low)
    assert {t.requirement_ref for t in high.items} >= {CYBER_REF, CRIME_REF}
    assert {t.requirement_ref for t in low.items} == {None}
    assert low.total == len(low.items)
    assert sum(low.counts.values()) == low.total
    assert {t.document_id for t in low.items} == {docs["phishing"]}
    assert planner.total == 0  # may read tags, not documents: sees none
    assert low_reqs == []
    with transaction(world.factory) as session, pytest.raises(LookupError):
        service.feed(session, principal=world.low, ref=CYBER_REF)
    with transaction(world.factory) as session, pytest.raises(LookupError):
        service.get_tag(
            session, principal=world.low, tag_id=next(t.id for t in high.items if t.requirement_ref)
        )


def test_confirm_reject_once_and_coverage(world: World, ga_world: GA, tmp_path: Path) -> None:
    docs = _ingest(world, tmp_path)
    cyber = next(t for t in _tags(world) if t.requirement_ref == CYBER_REF)
    crime = next(t for t in _tags(world) if t.requirement_ref == CRIME_REF)
    with transaction(world.factory) as session:
        before = service.coverage(session, principal=world.analyst)
        view = service.decide(
            session, principal=world.analyst, tag_id=cyber.id, decision="confirmed"
        )
        service.decide(session, principal=world.analyst, tag_id=crime.id, decision="rejected")
    assert before["requirements"] == {}
    assert (view.status, view.decided_by) == ("confirmed", "analist")
    for decision in ("confirmed", "rejected"):
        with transaction(world.factory) as session, pytest.raises(TaggingError, match="already"):
            service.decide(session, principal=world.analyst, tag_id=cyber.id, decision=decision)
    with transaction(world.factory) as session, pytest.raises(TaggingError, match="unknown"):
        service.decide(session, principal=world.analyst, tag_id=cyber.id, decision="misschien")
    with transaction(world.factory) as session:
        after = service.coverage(session, principal=world.analyst)
        low = service.coverage(session, principal=world.low)
        feed = service.feed(session, principal=world.analyst, ref=CYBER_REF)
        crime_feed = service.feed(session, principal=world.analyst, ref=CRIME_REF)
    assert after["requirements"] == {CYBER_REF: 1}
    assert after["themes"] == {"CYB": 1}
    assert low == {"requirements": {}, "themes": {}}
    assert {t.document_id for t in feed.page.items} == {docs["cyber"], docs["phishing"]}
    assert crime_feed.page.items == []  # rejected material leaves the feed
    assert _tags(world)[0].status in service.STATUSES


def test_a_low_reader_may_not_decide_a_tag_they_cannot_read(
    world: World, ga_world: GA, tmp_path: Path
) -> None:
    _ingest(world, tmp_path)
    cyber = next(t for t in _tags(world) if t.requirement_ref == CYBER_REF)
    with transaction(world.factory) as session, pytest.raises(LookupError):
        service.decide(session, principal=world.low, tag_id=cyber.id, decision="confirmed")
    assert next(t for t in _tags(world) if t.id == cyber.id).status == "proposed"


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"theme": "XYZ"}, TaggingError, "unknown theme"),
        ({"requirement_ref": "BH-9999"}, TaggingError, "unknown requirement"),
        ({"requirement_ref": CRIME_REF}, TaggingError, "belongs to theme"),
        ({"document_id": None}, TaggingError, "either a document or an entity"),
        ({"entity_id": "iets"}, TaggingError, "either a document or an entity"),
        ({"note": "x" * 2001}, TaggingError, "longer than"),
        ({"document_id": -1}, LookupError, ""),
    ],
)
def test_bad_tags_by_hand_are_refused_and_store_nothing(
    world: World,
    ga_world: GA,
    tmp_path: Path,
    changes: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    docs = _ingest(world, tmp_path)
    args: dict[str, object] = {"theme": "CYB", "document_id": docs["canteen"], "note": ""}
    args.update(changes)
    before = _count(world)
    with transaction(world.factory) as session, pytest.raises(error, match=message or None):
        service.add(session, principal=world.analyst, **args)  # type: ignore[arg-type]
    assert _count(world) == before


def test_tagging_what_one_may_not_read_answers_not_found(
    world: World, ga_world: GA, tmp_path: Path
) -> None:
    secret = _ingest(world, tmp_path, "tap")  # Stg. Geheim, AIVD
    before = _count(world)
    with transaction(world.factory) as session, pytest.raises(LookupError):
        service.add(session, principal=world.low, theme="CYB", document_id=secret["canteen"])
    with transaction(world.factory) as session, pytest.raises(LookupError):
        service.add(session, principal=world.low, theme="CYB", entity_id="niet-bestaand")
    with transaction(world.factory) as session, pytest.raises(PolicyDenied):
        service.add(session, principal=ga_world.planner, theme="CYB", document_id=secret["canteen"])
    # the low analyst may not tag to a requirement they cannot read: as unknown
    docs = _ingest(world, tmp_path)
    with transaction(world.factory) as session, pytest.raises(TaggingError, match="unknown"):
        service.add(
            session,
            principal=world.low,
            theme="CYB",
            document_id=docs["canteen"],
            requirement_ref=CYBER_REF,
        )
    assert _count(world) > before  # the second ingest was scored; nothing else was added


def test_tag_by_hand_once_and_duplicates_are_refused(
    world: World, ga_world: GA, tmp_path: Path
) -> None:
    docs = _ingest(world, tmp_path)
    with transaction(world.factory) as session:
        tag_id = service.add(
            session,
            principal=world.analyst,
            theme="CYB",
            document_id=docs["canteen"],
            requirement_ref=CYBER_REF,
            note="Kantine gebruikt als dekmantel",
        )
        view = service.get_tag(session, principal=world.analyst, tag_id=tag_id)
    assert (view.source, view.status, view.decided_by) == ("analyst", "confirmed", "analist")
    assert view.marking.level == Level.STG_CONFIDENTIEEL
    before = _count(world)
    with transaction(world.factory) as session, pytest.raises(TaggingError, match="already has"):
        service.add(
            session,
            principal=world.analyst,
            theme="CYB",
            document_id=docs["canteen"],
            requirement_ref=CYBER_REF,
        )
    assert _count(world) == before


def test_cli_retags_what_the_user_may_read_and_keeps_decisions(
    world: World, ga_world: GA, tmp_path: Path
) -> None:
    docs = _ingest(world, tmp_path)
    cyber = next(t for t in _tags(world) if t.requirement_ref == CYBER_REF)
    with transaction(world.factory) as session:
        service.decide(session, principal=world.analyst, tag_id=cyber.id, decision="confirmed")
        session.execute(delete(Tag).where(Tag.status == "proposed"))
    result = runner.invoke(cli, ["tag", "-u", "analist"], env=env(world))
    assert result.exit_code == 0, result.output
    assert "4 documents scored" in result.output
    tags = _tags(world)
    keys = [(t.document_id, t.theme, t.requirement_ref) for t in tags]
    assert len(keys) == len(set(keys))  # the confirmed tag is not proposed again
    assert (docs["crime"], "CN", CRIME_REF) in keys
    assert next(t for t in tags if t.id == cyber.id).status == "confirmed"
    # Run again: the same proposals, replaced rather than doubled.
    again = runner.invoke(cli, ["tag", "-u", "analist", "-c", "osint"], env=env(world))
    assert again.exit_code == 0, again.output
    assert sorted(keys) == sorted((t.document_id, t.theme, t.requirement_ref) for t in _tags(world))
    # The low analyst's run proposes no requirement it cannot read.
    low = runner.invoke(cli, ["tag", "-u", "laag"], env=env(world))
    assert low.exit_code == 0, low.output
    denied = runner.invoke(cli, ["tag", "-u", "planner"], env=env(world))
    assert denied.exit_code == 2


def _entity(world: World, collection_id: int, notes: str) -> None:
    line = {
        "id": "ent-ransom",
        "schema": "Company",
        "properties": {"name": ["Zwarte Schaduw B.V."], "notes": [notes]},
    }
    with transaction(world.factory) as session:
        entities.import_ftm(
            session,
            principal=world.analyst,
            collection_id=collection_id,
            lines=[json.dumps(line)],
        )


def test_entities_are_tagged_from_the_statements_their_tagger_may_read(
    world: World, ga_world: GA
) -> None:
    _entity(world, world.osint, "Bekend van ransomware-aanvallen op ziekenhuizen.")
    _entity(world, world.secret, "Werkt samen met een botnet voor DDoS-aanvallen.")
    with transaction(world.factory) as session:
        low_ids = service.score_entity(session, principal=world.low, entity_id="ent-ransom")
    [low_tag] = [t for t in _tags(world) if t.id in low_ids]
    # the low analyst read only the open-source statements: the tag has their marking
    assert _marking(world, low_tag.marking_id) == Marking.of("DEP_VERTROUWELIJK", "JOINT")
    assert low_tag.requirement_ref is None  # BH-0001 is above their clearance
    assert "ransomware" in low_tag.explanation["terms"]
    with transaction(world.factory) as session:
        high_ids = service.score_entity(session, principal=world.analyst, entity_id="ent-ransom")
        seen_low = service.list_tags(session, principal=world.low)
    high = [t for t in _tags(world) if t.id in high_ids]
    assert {t.requirement_ref for t in high} == {CYBER_REF}
    assert all(_marking(world, t.marking_id).level == Level.STG_GEHEIM for t in high)
    assert {t.id for t in seen_low.items} == {low_tag.id}
    assert seen_low.items[0].item_title == "Zwarte Schaduw B.V."
    with transaction(world.factory) as session, pytest.raises(LookupError):
        service.score_entity(session, principal=world.low, entity_id="bestaat-niet")
