"""References are one past the highest in use under their stem, never a count."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, delete, insert
from sqlalchemy.orm import Session

from baken.core.references import next_reference

META = MetaData()
ROWS = Table("refs", META, Column("id", Integer, primary_key=True), Column("ref", String(32)))


def _session(*refs: str) -> Session:
    engine = create_engine("sqlite://")
    META.create_all(engine)
    session = Session(engine)
    for ref in refs:
        session.execute(insert(ROWS).values(ref=ref))
    return session


def test_the_first_reference_of_a_stem_is_one() -> None:
    assert next_reference(_session("TV-2025-0007"), ROWS.c.ref, "TV-2026-", 4) == "TV-2026-0001"


def test_a_deleted_row_does_not_make_two_alike() -> None:
    session = _session("KL-2026-0001", "KL-2026-0002", "KL-2026-0003")
    session.execute(delete(ROWS).where(ROWS.c.ref == "KL-2026-0002"))
    assert next_reference(session, ROWS.c.ref, "KL-2026-", 4) == "KL-2026-0004"


def test_numbers_past_the_width_keep_counting() -> None:
    session = _session("VF-9999", "VF-10000", "VF-0042")
    assert next_reference(session, ROWS.c.ref, "VF-", 4) == "VF-10001"
