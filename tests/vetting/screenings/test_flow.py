"""From intake to decision and after: the file and who reads it, the clock, the decision
path, the mandate, withdrawal; each bad input refused with nothing stored half-way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.core.policy import PolicyDenied
from baken.vetting.screenings import decisions, file, service, views
from baken.vetting.screenings.models import CheckItem, Screening, Step, Vgb
from baken.vetting.screenings.service import ScreeningsError
from tests.vetting.screenings.conftest import BSN2, DAY, SWorld


def _rows(sw: SWorld, model: type) -> int:
    with transaction(sw.factory) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_intake_assigns_officers_and_opens_the_checklist_of_the_level(sw: SWorld) -> None:
    sid = sw.request(sw.uvo, position=sw.pos_a)
    sw.run(lambda s: service.intake(s, sw.uvo, screening_id=sid, on=DAY))
    assert sw.screening(sid).status == "investigation"
    case = sw.case(sw.uvo, sid)
    assert case.file is not None
    states = {c.item: c.state for c in case.file.checks}
    # Level A: interviews and the partner are on the list; finances and foreign
    # inquiries only when called for.
    assert states["interviews"] == "open"
    assert states["partner"] == "open"
    assert states["finances"] == "not_applicable"
    assert case.file.officers == ["Uvo"]
    # At level C there are no interviews and no partner.
    cid = sw.taken_in(position=sw.pos_c, bsn=BSN2)
    c_states = {c.item: c.state for c in sw.case(sw.uvo, cid).file.checks}  # type: ignore[union-attr]
    assert c_states["interviews"] == "not_applicable"
    assert c_states["partner"] == "not_applicable"


def test_the_file_is_read_only_by_the_officers_on_the_case(sw: SWorld) -> None:
    sid = sw.request(sw.uvo, position=sw.pos_a)
    sw.run(lambda s: service.intake(s, sw.uvo, screening_id=sid, on=DAY))
    sw.run(
        lambda s: file.set_partner(
            s, sw.uvo, screening_id=sid, name="Paula Partner", birth_date=date(1991, 1, 1), on=DAY
        )
    )
    sw.run(
        lambda s: file.update_check(
            s, sw.uvo, screening_id=sid, item="police", state="done", result="findings",
            note="Aangifte 2019", on=DAY,
        )
    )  # fmt: skip
    mine = sw.case(sw.uvo, sid).file
    assert mine is not None
    assert mine.partner is not None
    assert mine.partner.name == "Paula Partner"
    # Another officer of the same unit, not on the case: the status, not the file.
    other = sw.case(sw.uvo2, sid)
    assert other.file is None
    with transaction(sw.factory) as session:
        assert file.checklist(session, sw.uvo2, sid) == []
        assert file.partner(session, sw.uvo2, sid) is None
    # Nor may that officer write to it.
    with pytest.raises(PolicyDenied):
        sw.run(
            lambda s: file.update_check(
                s, sw.uvo2, screening_id=sid, item="police", state="open", on=DAY
            )
        )
    # The employer (EMPLOYER-C's position: employer A does not even see the case) and a
    # mandated party outside the case see nothing of the file.
    with pytest.raises(LookupError):
        sw.case(sw.werkgever, sid)
    with pytest.raises(LookupError):
        sw.case(sw.kmar, sid)
    with transaction(sw.factory) as session:
        assert file.checklist(session, sw.kmar, sid) == []
        assert file.checklist(session, sw.werkgever, sid) == []
    # The oversight reads it.
    assert sw.case(sw.ctivd, sid).file is not None


def test_the_employer_sees_status_and_outcome_never_the_file(sw: SWorld) -> None:
    sid = sw.taken_in()
    sw.run(
        lambda s: file.update_check(
            s, sw.uvo, screening_id=sid, item="justice", state="done", result="findings",
            note="Veroordeling 2015", on=DAY,
        )
    )  # fmt: skip
    case = sw.case(sw.werkgever, sid)
    assert case.row.status == "investigation"
    assert case.file is None
    with transaction(sw.factory) as session:
        assert file.checklist(session, sw.werkgever, sid) == []
    # The other employer at the same airport does not see the case at all.
    with pytest.raises(LookupError):
        sw.case(sw.werkgever_b, sid)


def test_suspension_moves_the_due_date_and_dates_out_of_order_are_refused(sw: SWorld) -> None:
    sid = sw.taken_in()
    due = sw.screening(sid).due_on
    sw.run(
        lambda s: decisions.suspend(
            s,
            sw.uvo,
            screening_id=sid,
            reason="Navraag buitenlandse dienst",
            on=DAY + timedelta(10),
        )
    )
    assert sw.screening(sid).status == "suspended"
    with pytest.raises(ScreeningsError, match="out of order"):
        sw.run(lambda s: decisions.resume(s, sw.uvo, screening_id=sid, on=DAY + timedelta(5)))
    assert sw.screening(sid).status == "suspended"
    assert sw.refusals("screening.resume") == 1
    sw.run(lambda s: decisions.resume(s, sw.uvo, screening_id=sid, on=DAY + timedelta(24)))
    after = sw.screening(sid)
    assert after.status == "investigation"
    assert after.suspended_days == 14
    assert after.due_on == due + timedelta(days=14)
    history = sw.case(sw.uvo, sid).file
    assert history is not None
    assert [(x.since, x.until) for x in history.suspensions] == [
        (DAY + timedelta(10), DAY + timedelta(24))
    ]
    # A decision dated before the last date of the case is refused too.
    with pytest.raises(ScreeningsError, match="out of order"):
        sw.run(
            lambda s: decisions.decide(
                s, sw.uvo, screening_id=sid, outcome="issued", reasons="Geen bezwaar.",
                on=DAY + timedelta(3),
            )
        )  # fmt: skip
    assert sw.screening(sid).status == "investigation"
    assert _rows(sw, Vgb) == 0


def test_a_suspension_needs_a_reason(sw: SWorld) -> None:
    sid = sw.taken_in()
    with pytest.raises(ScreeningsError, match="reason"):
        sw.run(lambda s: decisions.suspend(s, sw.uvo, screening_id=sid, reason=" ", on=DAY))
    assert sw.screening(sid).status == "investigation"


def test_a_decision_without_reasons_is_refused(sw: SWorld) -> None:
    sid = sw.taken_in()
    with pytest.raises(ScreeningsError, match="reasons"):
        sw.run(
            lambda s: decisions.decide(
                s, sw.uvo, screening_id=sid, outcome="issued", reasons="  ", on=DAY
            )
        )
    assert sw.screening(sid).status == "investigation"
    assert _rows(sw, Vgb) == 0
    assert _rows(sw, Step) == 0
    assert sw.refusals("screening.decision") == 1


def test_a_location_bound_vgb_for_a_position_at_the_airport(sw: SWorld) -> None:
    sid = sw.taken_in()
    vgb = sw.run(
        lambda s: decisions.decide(
            s, sw.uvo, screening_id=sid, outcome="issued", reasons="Geen bezwaar.",
            on=DAY + timedelta(20),
        )
    )  # fmt: skip
    assert vgb is not None
    s = sw.screening(sid)
    assert (s.status, s.outcome, s.decided_on) == ("decided", "issued", DAY + timedelta(20))
    view = sw.run(lambda x: views.get_vgb(x, sw.werkgever, vgb_id=vgb.id))
    assert view.scope == "location"
    assert view.location_id == sw.airport
    # A function-bound one elsewhere.
    cid = sw.taken_in(position=sw.pos_c, bsn=BSN2)
    fvgb = sw.run(
        lambda x: decisions.decide(
            x, sw.uvo, screening_id=cid, outcome="issued", reasons="Geen bezwaar.", on=DAY
        )
    )
    assert fvgb is not None
    assert sw.run(lambda x: views.get_vgb(x, sw.uvo, vgb_id=fvgb.id)).scope == "function"
    with pytest.raises(LookupError):
        sw.run(lambda x: views.get_vgb(x, sw.werkgever_b, vgb_id=vgb.id))


def test_refusal_path_view_objection_appeal(sw: SWorld) -> None:
    sid = sw.taken_in()
    # A refusal without an intended refusal and the person's view is refused.
    with pytest.raises(ScreeningsError, match="intended refusal"):
        sw.run(
            lambda s: decisions.decide(
                s, sw.uvo, screening_id=sid, outcome="refused", reasons="Risico.", on=DAY
            )
        )
    with pytest.raises(ScreeningsError, match="reasons"):
        sw.run(lambda s: decisions.intend_refusal(s, sw.uvo, screening_id=sid, reasons="", on=DAY))
    d = DAY + timedelta(days=10)
    sw.run(
        lambda s: decisions.intend_refusal(
            s, sw.uvo, screening_id=sid, reasons="Onverklaarde schulden.", on=d
        )
    )
    with pytest.raises(ScreeningsError, match="view"):
        sw.run(
            lambda s: decisions.decide(
                s, sw.uvo, screening_id=sid, outcome="refused", reasons="Risico.", on=d
            )
        )
    sw.run(
        lambda s: decisions.record_view(
            s, sw.uvo, screening_id=sid, received=True, text="De schulden zijn afgelost.",
            on=d + timedelta(14),
        )
    )  # fmt: skip
    refused = sw.run(
        lambda s: decisions.decide(
            s, sw.uvo, screening_id=sid, outcome="refused",
            reasons="Schulden niet aannemelijk afgelost.", on=d + timedelta(20),
        )
    )  # fmt: skip
    assert refused is None
    assert sw.screening(sid).outcome == "refused"
    # An appeal before an objection is refused; the objection is lodged and dismissed.
    with pytest.raises(ScreeningsError, match="ruling"):
        sw.run(
            lambda s: decisions.lodge(
                s, sw.uvo, screening_id=sid, step="appeal", reasons="x", on=d + timedelta(30)
            )
        )
    sw.run(
        lambda s: decisions.lodge(
            s, sw.uvo, screening_id=sid, step="objection", reasons="Bezwaar.",
            on=d + timedelta(30),
        )
    )  # fmt: skip
    assert sw.screening(sid).status == "objection"
    sw.run(
        lambda s: decisions.rule(
            s, sw.uvo, screening_id=sid, outcome="dismissed", reasons="Ongegrond.",
            on=d + timedelta(60),
        )
    )  # fmt: skip
    # Appeal to the court, upheld: the VGB is issued.
    sw.run(
        lambda s: decisions.lodge(
            s, sw.uvo, screening_id=sid, step="appeal", reasons="Beroep.", on=d + timedelta(70)
        )
    )
    vgb = sw.run(
        lambda s: decisions.rule(
            s, sw.uvo, screening_id=sid, outcome="upheld", reasons="Gegrond.",
            on=d + timedelta(200),
        )
    )  # fmt: skip
    assert vgb is not None
    final = sw.screening(sid)
    assert (final.status, final.outcome) == ("decided", "issued")
    steps = [x.step for x in sw.case(sw.uvo, sid).file.steps]  # type: ignore[union-attr]
    assert steps == [
        "intended_refusal", "view", "decision", "objection", "objection_ruling", "appeal",
        "appeal_ruling",
    ]  # fmt: skip


def test_the_mandate_kmar_sees_only_its_cases_and_cannot_refuse(sw: SWorld) -> None:
    sid = sw.request()
    other = sw.request(bsn=BSN2)
    # Only B-level cases go under mandate.
    cid = sw.request(position=sw.pos_c)
    with pytest.raises(ScreeningsError, match="B-level"):
        sw.run(lambda s: service.mandate(s, sw.uvo, screening_id=cid, party="KMAR"))
    sw.run(lambda s: service.mandate(s, sw.uvo, screening_id=sid, party="KMAR"))
    # KMar sees its own case, not the others; the Police sees none of them.
    with transaction(sw.factory) as session:
        q = service.queue(session, sw.kmar, tab="alle", today=DAY)
        assert [r.id for r in q.rows] == [sid]
        assert q.counts["alle"] == 1
        assert service.queue(session, sw.politie, tab="alle", today=DAY).rows == []
    with pytest.raises(LookupError):
        sw.case(sw.kmar, other)
    with pytest.raises(LookupError):
        sw.case(sw.politie, sid)
    sw.run(lambda s: service.intake(s, sw.kmar, screening_id=sid, on=DAY))
    # An AIVD officer cannot be put on a KMar case.
    with pytest.raises(ScreeningsError, match="officer"):
        sw.run(
            lambda s: service.add_officers(s, sw.kmar, screening_id=sid, officer_ids=[sw.uvo.id])
        )
    # No (intended) refusal under mandate.
    for call in (
        lambda s: decisions.intend_refusal(s, sw.kmar, screening_id=sid, reasons="Twijfel", on=DAY),
        lambda s: decisions.decide(
            s, sw.kmar, screening_id=sid, outcome="refused", reasons="Twijfel", on=DAY
        ),
    ):
        with pytest.raises(ScreeningsError, match="mandate"):
            sw.run(call)
    assert sw.screening(sid).status == "investigation"
    # The doubtful case goes to the AIVD, with a reason; then KMar no longer sees it.
    with pytest.raises(ScreeningsError, match="why"):
        sw.run(lambda s: decisions.hand_over(s, sw.kmar, screening_id=sid, reason="", on=DAY))
    sw.run(
        lambda s: decisions.hand_over(
            s, sw.kmar, screening_id=sid, reason="Verblijf in het buitenland", on=DAY
        )
    )
    assert sw.screening(sid).handled_by == "UVO"
    with pytest.raises(LookupError):
        sw.case(sw.kmar, sid)
    with transaction(sw.factory) as session:
        assert file.checklist(session, sw.kmar, sid) == []


def test_a_mandated_party_can_issue(sw: SWorld) -> None:
    sid = sw.request()
    sw.run(lambda s: service.mandate(s, sw.uvo, screening_id=sid, party="POLITIE"))
    sw.run(lambda s: service.intake(s, sw.politie, screening_id=sid, on=DAY))
    vgb = sw.run(
        lambda s: decisions.decide(
            s, sw.politie, screening_id=sid, outcome="issued", reasons="Geen bezwaar.", on=DAY
        )
    )
    assert vgb is not None
    assert sw.screening(sid).outcome == "issued"


def test_withdrawal_of_a_vgb(sw: SWorld) -> None:
    sid = sw.taken_in()
    vgb = sw.run(
        lambda s: decisions.decide(
            s, sw.uvo, screening_id=sid, outcome="issued", reasons="Geen bezwaar.", on=DAY
        )
    )
    assert vgb is not None
    with pytest.raises(ScreeningsError, match="reasons"):
        sw.run(lambda s: decisions.withdraw(s, sw.uvo, vgb_id=vgb.id, reasons="", on=DAY))
    with pytest.raises(PolicyDenied):
        sw.run(lambda s: decisions.withdraw(s, sw.werkgever, vgb_id=vgb.id, reasons="x", on=DAY))
    sw.run(
        lambda s: decisions.withdraw(
            s, sw.uvo, vgb_id=vgb.id, reasons="Nieuwe feiten (art. 10).", on=DAY + timedelta(90)
        )
    )
    with transaction(sw.factory) as session:
        row = session.get(Vgb, vgb.id)
        assert row is not None
        assert (row.status, row.ended_on) == ("withdrawn", DAY + timedelta(90))


def test_queues_tabs_counts_and_order(sw: SWorld) -> None:
    fresh = sw.request()
    late = sw.taken_in(position=sw.pos_c, bsn=BSN2)
    today = DAY + timedelta(weeks=8, days=1)
    with transaction(sw.factory) as session:
        q = service.queue(session, sw.uvo, tab="te-laat", today=today)
        # Requested or in investigation, the clock runs for both.
        assert [r.id for r in q.rows] == [fresh, late]
        assert q.rows[0].clock.days_left == -1
        assert q.counts == {
            "mijn": 1, "intake": 1, "te-laat": 2, "risico": 0, "opgeschort": 0,
            "besloten": 0, "alle": 2,
        }  # fmt: skip
        assert [r.id for r in service.queue(session, sw.uvo, tab="intake", today=today).rows] == [
            fresh
        ]
        assert service.queue(session, sw.uvo2, tab="mijn", today=today).rows == []
        risk = service.queue(session, sw.uvo, tab="risico", today=DAY + timedelta(weeks=7))
        assert risk.counts["risico"] == 2
        # The employer sees its own; an analyst nothing at all.
        assert service.counts(session, sw.werkgever, today)["alle"] == 2
        assert service.counts(session, sw.werkgever_b, today)["alle"] == 0
        assert service.counts(session, sw.analyst, today)["alle"] == 0
        with pytest.raises(ScreeningsError):
            service.queue(session, sw.uvo, tab="?", today=today)


def test_the_checklist_refuses_bad_input(sw: SWorld) -> None:
    sid = sw.taken_in()
    with pytest.raises(ScreeningsError, match="findings"):
        sw.run(
            lambda s: file.update_check(
                s, sw.uvo, screening_id=sid, item="police", state="done", on=DAY
            )
        )
    with pytest.raises(ScreeningsError, match="unknown"):
        sw.run(
            lambda s: file.update_check(s, sw.uvo, screening_id=sid, item="x", state="open", on=DAY)
        )
    with transaction(sw.factory) as session:
        states = set(
            session.scalars(select(CheckItem.state).where(CheckItem.item == "police")).all()
        )
    assert states == {"open"}


def test_status_read_is_audited(sw: SWorld) -> None:
    sid = sw.request()
    sw.run(lambda s: service.status(s, sw.werkgever, screening_id=sid, today=DAY))
    from baken.core.models import AuditEntry

    with transaction(sw.factory) as session:
        found = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "screening.read", AuditEntry.object_id == str(sid))
        )
    assert found == 1
    assert _rows(sw, Screening) == 1


def test_holdings_matches_are_recorded_as_a_finding(sw: SWorld) -> None:
    from baken.core.markings import Marking
    from baken.resolve.screening import Match

    sid = sw.taken_in()
    match = Match(
        entity_id="ent-1", score=0.9, schema="Person", collections=("c1",),
        marking_keys=(), marking=Marking.of("STG_GEHEIM", "AIVD"), names=("Piet Proef",),
        birth_dates=(), nationalities=(), identifiers=(), explanation=(),
    )  # fmt: skip
    sw.run(lambda s: file.record_holdings(s, sw.uvo, screening_id=sid, matches=[match], on=DAY))
    check = next(c for c in sw.case(sw.uvo, sid).file.checks if c.item == "holdings")  # type: ignore[union-attr]
    assert check.result == "findings"
    assert "ent-1 (Piet Proef)" in check.note
    assert check.note.startswith("1 treffer")


def test_an_extension_only_when_configured_and_only_once(sw: SWorld) -> None:
    from baken.vetting.screenings import clock

    sid = sw.taken_in()
    due = sw.screening(sid).due_on
    with pytest.raises(ScreeningsError, match="configured"):
        sw.run(lambda s: decisions.extend(s, sw.uvo, screening_id=sid, reason="Druk", on=DAY))
    rules = clock.Rules(extension_weeks=4)
    sw.run(
        lambda s: decisions.extend(
            s, sw.uvo, screening_id=sid, reason="Complex dossier", on=DAY, rules=rules
        )
    )
    assert sw.screening(sid).due_on == due + timedelta(weeks=4)
    with pytest.raises(ScreeningsError, match="already"):
        sw.run(
            lambda s: decisions.extend(
                s, sw.uvo, screening_id=sid, reason="Nog eens", on=DAY, rules=rules
            )
        )
    assert sw.screening(sid).due_on == due + timedelta(weeks=4)


def test_counts_are_exact_up_to_the_cap_and_pages_go_on(
    sw: SWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "CAP", 2)
    monkeypatch.setattr(service, "PAGE", 1)
    for number in ("111222333", "123456782", "100000009", "100000010"):
        sw.request(bsn=number)
    with transaction(sw.factory) as session:
        first = service.queue(session, sw.uvo, tab="intake", today=DAY)
        assert first.counts["intake"] == 3  # CAP + 1: "more than 2"
        assert first.shown("intake") == "2+"
        assert first.more
        fourth = service.queue(session, sw.uvo, tab="intake", page=4, today=DAY)
        assert len(fourth.rows) == 1
        assert not fourth.more
        # Exact below the cap.
        assert service.counts(session, sw.uvo, DAY)["opgeschort"] == 0
        assert service.counts(session, sw.werkgever_b, DAY)["alle"] == 0
