"""The demo world at scale: the seeded generators, the sizes, and loading through the
services (at generator level and with a handful of documents: the default world itself is
never built here)."""

from __future__ import annotations

import csv
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from baken.cli import app
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Service
from baken.core.models import AuditEntry, User
from baken.core.principals import Principal, role_names
from baken.demo import USERS
from baken.demo_world import corpus, load
from baken.demo_world.sizes import SIZES, SizeError, size_of
from baken.holdings.demo import NOTICE, NOTICE_EN
from baken.holdings.models import Document, Statement
from baken.holdings.search import SearchIndex
from baken.holdings.service import search
from baken.vetting import access
from baken.vetting.positions import demo as positions_demo
from baken.vetting.screenings import demo as screenings_demo
from baken.vetting.screenings.models import Screening, Vgb
from baken.vetting.vocab import codes
from tests.conftest import People

SCRIPTS = {
    "latin": re.compile("[A-Za-z]"),
    "cyrillic": re.compile("[\u0400-\u04ff]"),
    "arabic": re.compile("[\u0600-\u06ff]"),
    "chinese": re.compile("[\u4e00-\u9fff]"),
}


def test_same_seed_same_corpus_and_another_seed_another() -> None:
    first = list(corpus.documents(40))
    assert first == list(corpus.documents(40))
    # Document i does not depend on how many are asked for: small is a prefix of large.
    assert corpus.document(17) == first[17]
    other = list(corpus.documents(40, seed=7))
    assert [d.data for d in other] != [d.data for d in first]
    assert len({d.name for d in first}) == 40


def test_documents_are_fictional_bilingual_and_name_the_cast() -> None:
    docs = list(corpus.documents(300))
    assert {d.language for d in docs} == {"nl", "en"}
    assert {d.theme for d in docs} == {t.code for t in corpus.THEMES}
    for doc in docs:
        text = doc.data.decode()
        assert (NOTICE if doc.language == "nl" else NOTICE_EN) in text
        assert ("fictief" if doc.language == "nl" else "fictional") in doc.title
    cast = {p.name for p in corpus.PEOPLE}
    named = {name for d in docs for name in d.people}
    assert "Pavel Orlov" in named
    assert named <= cast
    assert "Noordzee Logistiek B.V." in {c for d in docs for c in d.companies}
    everything = " ".join(d.data.decode() for d in docs)
    for real in ("Europol", "NCTV", "Rusland", "North Korea", "Iran"):
        assert real in everything


def test_every_role_has_a_demo_user() -> None:
    assert set(role_names()) <= {role for user in USERS for role in user[3]}


def test_sizes_parse_and_a_bad_size_is_refused() -> None:
    assert size_of("small").documents == 0
    assert size_of(" Default ").documents >= 2_000
    assert size_of("large").documents > SIZES["default"].documents
    with pytest.raises(SizeError, match="choose one of small, default, large"):
        size_of("huge")


def test_bad_size_on_the_command_line_changes_nothing(
    settings: Settings, factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAKEN_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BAKEN_DATA_DIR", str(settings.data_dir))
    result = CliRunner().invoke(app, ["demo", "--size", "enorm"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "unknown size enorm; choose one of small, default, large" in said
    assert "Nothing was changed" in said
    with transaction(factory) as session:
        assert session.scalar(select(func.count(User.id))) == 0
        assert session.scalar(select(func.count(AuditEntry.seq))) == 0


def test_bulk_dataset_has_names_in_four_scripts(settings: Settings) -> None:
    path = settings.data_dir / "bulk.csv"
    assert load.bulk_csv(path, rows=400) == 400
    with path.open(encoding="utf-8") as rows:
        names = [row["name"] for row in csv.DictReader(rows)]
    assert len(names) == 400
    for script, pattern in SCRIPTS.items():
        assert any(pattern.search(n) for n in names), script
    again = settings.data_dir / "again.csv"
    load.bulk_csv(again, rows=400)
    assert again.read_bytes() == path.read_bytes()


def _analyst(people: People) -> Principal:
    return people.add(load.AUTHOR, Level.STG_ZEER_GEHEIM, {"analyst"}, Service.AIVD)


def test_documents_go_through_the_pipeline_once(
    settings: Settings, factory: sessionmaker[Session], people: People
) -> None:
    analyst = _analyst(people)
    unread = people.add("analist.ong", Level.ONGERUBRICEERD, {"analyst"}, Service.AIVD)
    assert load.load_documents(settings, factory, count=6) == 6
    index = SearchIndex(settings.index_dir)
    with transaction(factory) as session:
        found = search.search(session, principal=analyst, index=index, query="Baken")
        assert found.result.total >= 6
        # The collections' markings hold in the index: nothing for an uncleared analyst.
        hidden = search.search(session, principal=unread, index=index, query="Baken")
        assert hidden.result.total == 0
    with transaction(factory) as session:
        rows = session.scalars(select(Document).where(Document.name.like("demo-wereld/%"))).all()
        assert len(rows) == 6
        assert {r.state for r in rows} == {"done"}
        assert {r.language for r in rows} == {"nl", "en"}
        audited = session.scalar(
            select(func.count(AuditEntry.seq)).where(AuditEntry.action == "document.ingest")
        )
        assert audited == 6
        names = set(session.scalars(select(Statement.value).where(Statement.prop == "name")))
        assert names & {p.name for p in corpus.PEOPLE}
    # A second run registers nothing and processes nothing.
    assert load.load_documents(settings, factory, count=6) == 6
    with transaction(factory) as session:
        assert load.count_documents(session) == 6
        again = session.scalar(
            select(func.count(AuditEntry.seq)).where(AuditEntry.action == "document.ingest")
        )
        assert again == 6


def test_bulk_dataset_loads_once(
    settings: Settings, factory: sessionmaker[Session], people: People
) -> None:
    _analyst(people)
    assert load.load_bulk(settings, factory, rows=50) == 50
    with transaction(factory) as session:
        count = select(func.count(Statement.id)).where(Statement.origin == "bulk")
        first = session.scalar(count)
        assert first is not None
        assert first >= 50
        loads = select(func.count(AuditEntry.seq)).where(AuditEntry.action == "entity.bulk_load")
        assert session.scalar(loads) == 1
    assert load.load_bulk(settings, factory, rows=50) == 50
    with transaction(factory) as session:
        assert session.scalar(count) == first


def test_screenings_cover_every_state_once(
    settings: Settings, factory: sessionmaker[Session], people: People
) -> None:
    users = {
        "uvo": people.add("uvo", Level.STG_GEHEIM, {access.SCREENER}).id,
        "werkgever": people.add(
            "werkgever", Level.STG_CONFIDENTIEEL, {access.EMPLOYER}, None, "EMPLOYER-A"
        ).id,
        "kmar": people.add(
            "kmar", Level.STG_CONFIDENTIEEL, {access.MANDATED}, Service.AIVD, "KMAR"
        ).id,
    }
    with transaction(factory) as session:
        positions_demo.load(session, users, settings)
        screenings_demo.load(session, users, settings)
        assert screenings_demo.load_more(session, users, settings) == 5
    with transaction(factory) as session:
        assert screenings_demo.load_more(session, users, settings) == 0
        statuses = set(session.scalars(select(Screening.status)))
        assert statuses == set(codes("screenings", "statuses"))
        assert set(session.scalars(select(Vgb.status))) == {"valid", "withdrawn"}
        handed = session.scalar(
            select(Screening.handled_by).where(Screening.person_bsn == "100000137")
        )
        assert handed == "UVO"
        assert session.scalar(select(func.count(Screening.id))) == 13
