"""The industrial demo loads through the services on top of the holdings demo (fictional,
for ``nbiv``), and the key staff's VGBs are looked up in vetting through its read filter."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from baken.cli import application
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level
from baken.core.models import AuditEntry
from baken.holdings import demo as holdings_demo
from baken.protect.industrial import checklist, dashboard, demo, service, structure
from baken.vetting import access
from baken.vetting.positions.leak import make_position
from baken.vetting.register.leak import issued_vgb
from tests.conftest import People
from tests.protect.industrial.conftest import TODAY, IWorld


def test_the_demo_is_fictional_and_finds_the_foreign_owners(
    settings: Settings,
    factory: sessionmaker[Session],
    people: People,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    analyst = people.add("analist.zg", Level.STG_ZEER_GEHEIM, {"analyst"})
    nbiv = people.add("nbiv", Level.STG_GEHEIM, {"protect_officer"})
    users = {"analist.zg": analyst.id, "nbiv": nbiv.id}
    with transaction(factory) as s:
        holdings_demo.load(s, users, settings)
    with transaction(factory) as s:
        demo.load(s, users, settings)
    with transaction(factory) as s:
        board = dashboard.dashboard(s, nbiv, date.today())
        names = [r.name for r in service.suppliers(s, nbiv).rows]
        [first] = [a for a in board.investigations if a.client == "BZK"]
        found = structure.check(
            s, nbiv, assignment_id=first.id, index=None, on=date.today(), today=date.today()
        )
    assert all("(fictief)" in n for n in names)
    assert board.by_status == {"assessment": 1, "investigation": 1, "monitoring": 1}
    assert [a.client for a in board.abdo] == ["DEF"]
    assert len(board.due) == 1  # the declaration a year old waits for its review
    assert first.tbb == "TBB2"
    assert found.foreign_count == 2
    monkeypatch.setenv("BAKEN_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BAKEN_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("COLUMNS", "250")
    result = CliRunner().invoke(application(), ["protect", "nbiv-review", "--user", "nbiv"])
    assert result.exit_code == 0, result.output
    assert (
        "2 open (assessment or investigation), 1 due for review, 1 under ABDO 2019" in result.output
    )
    assert "BO-2025-0001" in result.output  # the declaration a year old


def test_key_staff_vgbs_are_checked_by_reference_and_name(iw: IWorld) -> None:
    """The NBIV may not read screenings; vetting answers the VGB's standing when its
    reference and the person's name both match, and nothing else (audited)."""
    with transaction(iw.factory) as s:
        position = make_position(s, iw.analyst, access.file_marking(), "NBIV")["position_id"]
        vgb = issued_vgb(s, iw.analyst.id, position, "Vera Veilig (fictief)", "2026-N0001")
        ref = vgb.ref
    made = iw.investigating()

    def add(name: str) -> None:
        iw.run(
            lambda s: checklist.add_staff(
                s, iw.nbiv, assignment_id=made, name=name, vgb_ref=ref.lower(), on=TODAY,
                today=TODAY,
            )
        )  # fmt: skip

    add("vera  VEILIG (fictief)")
    add("Vera de Vries (fictief)")  # another person's VGB reference: no answer
    matched, other = iw.run(lambda s: checklist.staff(s, iw.nbiv, made))
    assert matched.vgb is not None
    assert (matched.vgb.ref, matched.vgb.valid, matched.covered) == (ref, True, True)
    assert other.staff.vgb_ref == ref
    assert other.vgb is None
    assert not other.covered
    with transaction(iw.factory) as s:
        asked = s.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "vgb.standing")
        ).all()
    assert asked
    assert all(d["found"] in ([], [ref]) for d in asked)
