"""The audit hash chain: intact logs verify; every kind of tampering is caught and the
first bad entry is named, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from baken.cli import app as cli
from baken.core import audit
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Marking
from baken.core.models import AuditEntry, AuditHead


def _fill(factory: sessionmaker[Session], n: int = 6) -> None:
    with transaction(factory) as session:
        for i in range(n):
            audit.record(
                session,
                principal=None,
                actor=f"user{i}",
                action="test.event",
                kind="mededeling",
                object_id=i,
                marking=Marking.of("STG_GEHEIM", "AIVD"),
                details={"i": i},
            )


def _untrigger(session: Session) -> None:
    """What an attacker with DDL rights does first: lift the append-only trigger."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("DROP TRIGGER audit_log_no_delete"))
    else:
        session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))


def _verify(factory: sessionmaker[Session]) -> audit.VerifyResult:
    with transaction(factory) as session:
        return audit.verify(session)


def test_untouched_chain_verifies(factory: sessionmaker[Session]) -> None:
    _fill(factory)
    result = _verify(factory)
    assert result.ok
    assert result.checked == 6


def test_empty_chain_verifies(factory: sessionmaker[Session]) -> None:
    assert _verify(factory).ok


def test_database_refuses_update_and_delete(factory: sessionmaker[Session]) -> None:
    _fill(factory, 2)
    with pytest.raises(DBAPIError, match="append-only"), transaction(factory) as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 1).values(actor="x"))
    with pytest.raises(DBAPIError, match="append-only"), transaction(factory) as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 1))
    assert _verify(factory).ok


def test_edit_is_caught(factory: sessionmaker[Session]) -> None:
    _fill(factory)
    with transaction(factory) as session:
        _untrigger(session)
        session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(actor="mallory"))
    result = _verify(factory)
    assert not result.ok
    assert result.bad_seq == 3
    assert "changed" in result.reason


def test_edit_of_details_is_caught(factory: sessionmaker[Session]) -> None:
    _fill(factory)
    with transaction(factory) as session:
        _untrigger(session)
        session.execute(update(AuditEntry).where(AuditEntry.seq == 5).values(details={"i": 99}))
    assert _verify(factory).bad_seq == 5


def test_delete_is_caught(factory: sessionmaker[Session]) -> None:
    _fill(factory)
    with transaction(factory) as session:
        _untrigger(session)
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 3))
    result = _verify(factory)
    assert (result.ok, result.bad_seq) == (False, 3)
    assert "missing" in result.reason


def test_delete_of_the_tail_is_caught(factory: sessionmaker[Session]) -> None:
    _fill(factory)
    with transaction(factory) as session:
        _untrigger(session)
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 6))
    result = _verify(factory)
    assert (result.ok, result.bad_seq) == (False, 6)
    assert "head" in result.reason


def _forge(session: Session, seq: int, prev_hash: str) -> AuditEntry:
    forged = AuditEntry(
        seq=seq,
        ts=audit.utcnow(),
        actor="mallory",
        action="forged",
        outcome="ok",
        details={},
        prev_hash=prev_hash,
    )
    forged.hash = audit.entry_hash(forged)
    return forged


def test_insert_in_the_middle_is_caught(factory: sessionmaker[Session]) -> None:
    _fill(factory)
    with transaction(factory) as session:
        _untrigger(session)
        # Make room after entry 2 and slip in a well-formed entry that links to 2.
        for seq in range(6, 2, -1):
            session.execute(update(AuditEntry).where(AuditEntry.seq == seq).values(seq=seq + 1))
        prev = session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == 2))
        assert prev is not None
        session.add(_forge(session, 3, prev))
    result = _verify(factory)
    # The forged entry links to 2, so the first that does not fit is the one after it.
    assert (result.ok, result.bad_seq) == (False, 4)
    assert "broken" in result.reason or "changed" in result.reason


def test_insert_at_the_end_is_caught(factory: sessionmaker[Session]) -> None:
    _fill(factory)
    with transaction(factory) as session:
        last = session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == 6))
        assert last is not None
        session.add(_forge(session, 7, last))
    result = _verify(factory)
    assert (result.ok, result.bad_seq) == (False, 7)


def test_swap_is_caught(factory: sessionmaker[Session]) -> None:
    _fill(factory)
    with transaction(factory) as session:
        _untrigger(session)
        session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(seq=-3))
        session.execute(update(AuditEntry).where(AuditEntry.seq == 4).values(seq=3))
        session.execute(update(AuditEntry).where(AuditEntry.seq == -3).values(seq=4))
    result = _verify(factory)
    assert (result.ok, result.bad_seq) == (False, 3)


def test_rewritten_chain_is_caught_by_an_anchor(factory: sessionmaker[Session]) -> None:
    _fill(factory)
    with transaction(factory) as session:
        anchor = audit.head(session)
        _untrigger(session)
        # A full rewrite from entry 1 on: every link recomputed, head updated.
        session.execute(delete(AuditEntry))
        session.execute(delete(AuditHead))
    _fill(factory)
    assert _verify(factory).ok  # without an anchor a full rewrite cannot be seen
    with transaction(factory) as session:
        result = audit.verify(session, anchor=anchor)
    assert (result.ok, result.bad_seq) == (False, anchor[0])


def test_cli_verify_names_the_bad_entry(
    settings: Settings, factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAKEN_DATABASE_URL", settings.database_url)
    _fill(factory)
    runner = CliRunner()
    ok = runner.invoke(cli, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "6 entries" in ok.output
    with transaction(factory) as session:
        _untrigger(session)
        session.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(outcome="ok!"))
    broken = runner.invoke(cli, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "entry 2" in broken.output
    bad_anchor = runner.invoke(cli, ["audit", "verify", "--anchor", "nonsense"])
    assert bad_anchor.exit_code == 2


def test_appends_before_and_after_a_verify_in_one_transaction(
    factory: sessionmaker[Session],
) -> None:
    """The head is cached per transaction; a verify in between must not detach it."""
    _fill(factory, 3)
    with transaction(factory) as session:
        audit.record(session, principal=None, action="before")
        assert audit.verify(session).ok
        audit.record(session, principal=None, action="after")
    result = _verify(factory)
    assert result.ok
    assert result.checked == 5
