"""Secure rooms, sweeps, findings and flagged meetings through the services: the interval,
the journey from plan to a closed finding, every bad input refused with nothing stored,
and the read filter in every list and count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.core.markings import Level
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.protect.sweeps import dashboard, meetings, service
from baken.protect.sweeps.models import Finding, Meeting, Room, Sweep
from baken.protect.sweeps.service import SweepsError
from tests.protect.sweeps.conftest import TODAY, SWorld


def test_the_interval_follows_level_and_risk() -> None:
    assert service.interval_days("STG_ZEER_GEHEIM", "hoog") == 90
    assert service.interval_days("DEP_VERTROUWELIJK", "laag") == 730
    # Heavier level or risk: never a longer interval.
    levels = [lv.name for lv in service.room_levels()]
    for risk in service.risks():
        days = [service.interval_days(lv, risk) for lv in levels]
        assert days == sorted(days, reverse=True)
    for level in levels:
        days = [service.interval_days(level, r) for r in ("laag", "midden", "hoog")]
        assert days == sorted(days, reverse=True)


def test_recording_a_sweep_moves_the_rooms_due_date(sw: SWorld) -> None:
    with transaction(sw.factory) as s:
        fresh = service.room(s, sw.evo, sw.fresh)
        overdue = service.room(s, sw.evo, sw.overdue)
        never = service.room(s, sw.evo, sw.never)
        assert fresh.last_swept_on == TODAY - timedelta(days=10)
        assert fresh.next_due_on == fresh.last_swept_on + timedelta(days=240)
        assert service.state(fresh, TODAY) == "ok"
        assert service.state(overdue, TODAY) == "overdue"
        assert service.state(never, TODAY) == "never"
        # The interval proposes the due day, or today when overdue or never swept.
        assert service.plan_next(fresh, TODAY) == fresh.next_due_on
        assert service.plan_next(overdue, TODAY) == TODAY
        assert service.plan_next(never, TODAY) == TODAY


def test_an_officer_plans_records_a_sweep_with_a_finding_and_closes_it(sw: SWorld) -> None:
    room = sw.room("Kamer voor de reis")
    sweep_id = sw.run(
        lambda s: (
            service.plan_sweep(s, sw.evo, room, planned_on=TODAY, reason="bezoek", today=TODAY).id
        )
    )
    sw.run(
        lambda s: service.record_performed(
            s, sw.evo, sweep_id, performed_on=TODAY, team="Ploeg 3", today=TODAY
        )
    )
    finding_id = sw.run(
        lambda s: (
            service.add_finding(
                s,
                sw.evo,
                sweep_id,
                description="Zender in de lamp",
                severity="kritiek",
                kind="zender",
            ).id
        )
    )
    with transaction(sw.factory) as s:
        found = service.sweep(s, sw.evo, sweep_id)
        assert found.sweep.status == "performed"
        assert found.open_findings == 1
        assert found.room is not None
        assert found.room.next_due_on == TODAY + timedelta(days=240)
        before = dashboard.counts(s, sw.evo, today=TODAY).open_findings
    sw.run(
        lambda s: service.close_finding(
            s,
            sw.evo,
            sweep_id,
            finding_id,
            remediation="Lamp vervangen, ruimte opnieuw geveegd",
            remediated_on=TODAY,
            today=TODAY,
        )
    )
    with transaction(sw.factory) as s:
        found = service.sweep(s, sw.evo, sweep_id)
        assert found.open_findings == 0
        assert found.findings[0].status == "closed"
        assert dashboard.counts(s, sw.evo, today=TODAY).open_findings == before - 1


def _refused(sw: SWorld, call: object, message: str) -> None:
    with pytest.raises(SweepsError) as err:
        sw.run(call)  # type: ignore[arg-type]
    assert err.value.message == message


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "a secure room needs a name"),
        ({"owner": ""}, "a secure room needs an owner"),
        ({"level": "GEHEIM"}, "unknown classification level {level}"),
        ({"level": "ONGERUBRICEERD"}, "unknown classification level {level}"),
        ({"risk": "extreem"}, "unknown risk {risk}"),
        ({"service": "NCTV"}, "unknown service {service}"),
        ({"marking_level": "TOP"}, "unknown classification level {level}"),
    ],
)
def test_a_bad_room_is_refused_and_nothing_stored(
    sw: SWorld, changes: dict[str, str], message: str
) -> None:
    before = sw.count(Room)
    with pytest.raises(SweepsError) as err:
        sw.room(**changes)
    assert err.value.message == message
    assert sw.count(Room) == before


def test_a_sweep_dated_in_the_future_is_refused_and_nothing_stored(sw: SWorld) -> None:
    room = sw.room("Kamer toekomst")
    sweep_id = sw.run(
        lambda s: service.plan_sweep(s, sw.evo, room, planned_on=TODAY, today=TODAY).id
    )
    _refused(
        sw,
        lambda s: service.record_performed(
            s, sw.evo, sweep_id, performed_on=TODAY + timedelta(days=1), team="X", today=TODAY
        ),
        "a sweep cannot be dated in the future",
    )
    with transaction(sw.factory) as s:
        row = s.get(Sweep, sweep_id)
        place = s.get(Room, room)
        assert row is not None
        assert place is not None
        assert (row.status, row.performed_on, row.team) == ("planned", None, "")
        assert place.last_swept_on is None
        assert place.next_due_on is None


def test_a_sweep_planned_in_the_past_is_refused_and_nothing_stored(sw: SWorld) -> None:
    before = sw.count(Sweep)
    _refused(
        sw,
        lambda s: service.plan_sweep(
            s, sw.evo, sw.never, planned_on=TODAY - timedelta(days=1), today=TODAY
        ),
        "a sweep cannot be planned in the past",
    )
    _refused(
        sw,
        lambda s: service.plan_sweep(s, sw.evo, sw.never, planned_on=TODAY, reason="zomaar"),
        "unknown reason for a sweep {reason}",
    )
    _refused(
        sw,
        lambda s: service.plan_sweep(
            s, sw.evo, sw.never, planned_on=TODAY, compartments="kobalt, x!", today=TODAY
        ),
        "invalid compartment code {code}",
    )
    assert sw.count(Sweep) == before


@pytest.mark.parametrize(
    ("remediation", "days_after", "message"),
    [
        ("", 0, "closing a finding needs the remediation"),
        ("Vervangen", -1, "the remediation cannot be dated before the sweep ({date})"),
        ("Vervangen", 11, "the remediation cannot be dated in the future"),
        ("Vervangen", None, "closing a finding needs the date of the remediation"),
    ],
)
def test_closing_a_finding_wrongly_is_refused_and_it_stays_open(
    sw: SWorld, remediation: str, days_after: int | None, message: str
) -> None:
    swept_on = TODAY - timedelta(days=10)
    on = None if days_after is None else swept_on + timedelta(days=days_after)
    _refused(
        sw,
        lambda s: service.close_finding(
            s,
            sw.evo,
            sw.fresh_sweep,
            sw.fresh_finding,
            remediation=remediation,
            remediated_on=on,
            today=TODAY,
        ),
        message,
    )
    with transaction(sw.factory) as s:
        row = s.get(Finding, sw.fresh_finding)
        assert row is not None
        assert (row.status, row.remediation, row.remediated_on) == ("open", "", None)


def test_findings_need_a_performed_sweep_and_known_codes(sw: SWorld) -> None:
    planned = sw.run(
        lambda s: service.plan_sweep(s, sw.evo, sw.never, planned_on=TODAY, today=TODAY).id
    )
    before = sw.count(Finding)
    _refused(
        sw,
        lambda s: service.add_finding(
            s, sw.evo, planned, description="x", severity="laag", kind="camera"
        ),
        "findings are recorded on a performed sweep",
    )
    for kw, message in (
        (
            {"description": " ", "severity": "laag", "kind": "camera"},
            "a finding needs a description",
        ),
        (
            {"description": "x", "severity": "enorm", "kind": "camera"},
            "unknown severity {severity}",
        ),
        ({"description": "x", "severity": "laag", "kind": "ufo"}, "unknown kind of finding {kind}"),
    ):
        _refused(
            sw,
            lambda s, kw=kw: service.add_finding(s, sw.evo, sw.fresh_sweep, **kw),
            message,
        )
    assert sw.count(Finding) == before
    sw.run(lambda s: service.cancel_sweep(s, sw.evo, planned))
    _refused(
        sw,
        lambda s: service.cancel_sweep(s, sw.evo, planned),
        "only a planned sweep can be cancelled",
    )


def test_a_meeting_above_the_rooms_level_is_refused_and_nothing_stored(sw: SWorld) -> None:
    before = sw.count(Meeting)
    soon = TODAY + timedelta(days=3)
    for kw, message in (
        (
            {"room_id": sw.never, "level": "STG_GEHEIM"},
            "a meeting at {level} cannot be held in a room for at most {room_level}",
        ),
        ({"room_id": sw.fresh, "level": "GEHEIM"}, "unknown classification level {level}"),
        ({"room_id": sw.fresh, "level": "STG_GEHEIM", "title": " "}, "a meeting needs a title"),
        (
            {"room_id": sw.fresh, "level": "STG_GEHEIM", "planned_on": TODAY - timedelta(days=1)},
            "a meeting cannot be planned in the past",
        ),
        (
            {"room_id": sw.fresh, "level": "STG_GEHEIM", "starts_at": "25:00"},
            "give a time as HH:MM",
        ),
        ({"room_id": 10**9, "level": "STG_GEHEIM"}, "no such secure room"),
    ):
        args = {"title": "Overleg", "planned_on": soon, "today": TODAY, **kw}
        _refused(sw, lambda s, a=args: meetings.plan_meeting(s, sw.planner, **a), message)
    assert sw.count(Meeting) == before


def test_meetings_are_flagged_when_the_rooms_sweep_is_overdue_on_their_day(sw: SWorld) -> None:
    def plan(room: int, days: int, level: str) -> int:
        return sw.run(
            lambda s: (
                meetings.plan_meeting(
                    s,
                    sw.lead,
                    title=f"Overleg {room} +{days}",
                    room_id=room,
                    level=level,
                    planned_on=TODAY + timedelta(days=days),
                    today=TODAY,
                ).id
            )
        )

    in_overdue = plan(sw.overdue, 5, "STG_ZEER_GEHEIM")
    before_due = plan(sw.fresh, 5, "STG_GEHEIM")  # due in 230 days
    after_due = plan(sw.fresh, 240, "STG_CONFIDENTIEEL")
    in_never = plan(sw.never, 1, "DEP_VERTROUWELIJK")
    with transaction(sw.factory) as s:
        flags = {m.meeting.id: m.flagged for m in meetings.meetings(s, sw.planner, today=TODAY)[0]}
        assert flags[in_overdue] is True
        assert flags[before_due] is False
        assert flags[after_due] is True
        assert flags[in_never] is True
        assert meetings.meeting(s, sw.planner, in_overdue).flagged is True
        flagged_ids = {
            m.meeting.id
            for m in meetings.meetings(s, sw.planner, today=TODAY, flagged_only=True)[0]
        }
        assert {in_overdue, after_due, in_never} <= flagged_ids
        assert before_due not in flagged_ids
        counted = meetings.count_flagged(s, sw.planner, today=TODAY)
        assert counted == len(flagged_ids)
    # Sweeping the overdue room today clears its meeting's flag.
    sw.swept(sw.overdue, TODAY)
    with transaction(sw.factory) as s:
        assert meetings.meeting(s, sw.planner, in_overdue).flagged is False


def test_planners_read_rooms_and_meetings_but_not_sweeps(sw: SWorld) -> None:
    with transaction(sw.factory) as s:
        ids = {r.id for r in service.rooms(s, sw.planner)[0]}
        assert {sw.overdue, sw.fresh, sw.never, sw.secret} <= ids
        with pytest.raises(SweepsError) as err:
            service.sweep(s, sw.planner, sw.fresh_sweep)
        assert err.value.message == "no such sweep"  # as for one that does not exist
        assert service.sweeps_of(s, sw.planner, sw.fresh) == []
        assert dashboard.counts(s, sw.planner, today=TODAY).open_findings == 0
        assert dashboard.counts(s, sw.evo, today=TODAY).open_findings >= 1
    with pytest.raises(PolicyDenied):
        sw.run(
            lambda s: service.create_room(
                s,
                sw.planner,
                name="x",
                location="",
                level="STG_GEHEIM",
                owner="X",
                service="JOINT",
                risk="laag",
            )
        )
    with pytest.raises(PolicyDenied):
        sw.run(lambda s: service.plan_sweep(s, sw.planner, sw.fresh, planned_on=TODAY, today=TODAY))


def test_hidden_rooms_are_like_rooms_that_do_not_exist(sw: SWorld) -> None:
    with transaction(sw.factory) as s:
        # ``low`` (Dep. Vertrouwelijk) may not read the Stg. Geheim record of ``secret``.
        ids = {r.id for r in service.rooms(s, sw.low)[0]}
        assert sw.secret not in ids
        assert sw.never in ids
        for room_id in (sw.secret, 10**9):
            with pytest.raises(SweepsError) as err:
                service.room(s, sw.low, room_id)
            assert err.value.message == "no such secure room"
        assert sw.secret not in {r.id for r in service.room_choices(s, sw.low)}
        # The other service's officer does not see the AIVD-only room either.
        assert sw.secret not in {r.id for r in service.rooms(s, sw.evo_mivd)[0]}
        low_counts = dashboard.counts(s, sw.low, today=TODAY)
        evo_counts = dashboard.counts(s, sw.evo, today=TODAY)
        assert low_counts.overdue < evo_counts.overdue  # secret is never swept: overdue
    with pytest.raises(SweepsError) as err:
        sw.run(
            lambda s: meetings.plan_meeting(
                s,
                sw.low,
                title="x",
                room_id=sw.secret,
                level="DEP_VERTROUWELIJK",
                planned_on=TODAY,
                today=TODAY,
            )
        )
    assert err.value.message == "no such secure room"


def test_partners_see_nothing_and_may_plan_nothing(sw: SWorld) -> None:
    with transaction(sw.factory) as s:
        assert service.rooms(s, sw.nctv)[0] == []
        assert meetings.meetings(s, sw.nctv, today=TODAY)[0] == []
        assert all(count == 0 for _, count, _, _ in service.figures(s, principal=sw.nctv))
    with pytest.raises(PolicyDenied):
        sw.run(
            lambda s: meetings.plan_meeting(
                s,
                sw.nctv,
                title="x",
                room_id=sw.fresh,
                level="STG_GEHEIM",
                planned_on=TODAY,
                today=TODAY,
            )
        )


def test_the_oversight_reads_everything_and_writes_nothing(sw: SWorld) -> None:
    with transaction(sw.factory) as s:
        assert service.sweep(s, sw.ctivd, sw.fresh_sweep).findings
        assert sw.secret in {r.id for r in service.rooms(s, sw.ctivd)[0]}
    with pytest.raises(PolicyDenied):
        sw.run(lambda s: service.cancel_sweep(s, sw.ctivd, sw.fresh_sweep))


def test_a_sweep_can_be_marked_above_its_room(sw: SWorld) -> None:
    from baken.core.marking_store import load_one

    sweep_id = sw.run(
        lambda s: (
            service.plan_sweep(
                s, sw.evo, sw.never, planned_on=TODAY, marking_level="STG_GEHEIM", today=TODAY
            ).id
        )
    )
    with transaction(sw.factory) as s:
        row = s.get(Sweep, sweep_id)
        assert row is not None
        assert load_one(s, row.marking_id).level is Level.STG_GEHEIM
    # Not into a compartment the officer lacks: no one creates what they cannot read.
    before = sw.count(Sweep)
    with pytest.raises(PolicyDenied):
        sw.run(
            lambda s: service.plan_sweep(
                s, sw.evo, sw.never, planned_on=TODAY, compartments="KOBALT", today=TODAY
            )
        )
    assert sw.count(Sweep) == before


def test_reads_and_writes_are_audited(sw: SWorld) -> None:
    def entries(action: str) -> int:
        with transaction(sw.factory) as s:
            return int(
                s.scalar(
                    select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
                )
                or 0
            )

    reads, lists = entries("room.read"), entries("sweeps.dashboard")
    with transaction(sw.factory) as s:
        service.room(s, sw.planner, sw.fresh)
        dashboard.dashboard(s, sw.planner, today=TODAY)
    assert entries("room.read") == reads + 1
    assert entries("sweeps.dashboard") == lists + 1


def test_figures_count_through_the_read_filter(sw: SWorld) -> None:
    with transaction(sw.factory) as s:
        evo = {label: count for label, count, _, _ in service.figures(s, principal=sw.evo)}
        low = {label: count for label, count, _, _ in service.figures(s, principal=sw.low)}
        hrefs = [href for _, _, href, _ in service.figures(s, principal=sw.evo)]
    assert len(evo) == 3
    assert all(h.startswith("/") for h in hrefs)
    assert evo["Secure rooms overdue for a sweep"] > low["Secure rooms overdue for a sweep"]
    assert evo["Open sweep findings"] >= 1
    assert low["Open sweep findings"] == 0


def test_an_older_sweep_recorded_late_does_not_move_the_due_date_back(sw: SWorld) -> None:
    room = sw.room("Kamer volgorde")
    sw.swept(room, TODAY - timedelta(days=5))
    sw.swept(room, TODAY - timedelta(days=50))
    with transaction(sw.factory) as s:
        place = service.room(s, sw.evo, room)
        assert place.last_swept_on == TODAY - timedelta(days=5)
        assert place.next_due_on == TODAY - timedelta(days=5) + timedelta(days=240)


def test_a_room_out_of_use_takes_no_sweeps_and_flags_its_meetings(sw: SWorld) -> None:
    room = sw.room("Kamer buiten gebruik")
    sw.swept(room, TODAY)
    meeting = sw.run(
        lambda s: (
            meetings.plan_meeting(
                s,
                sw.planner,
                title="Overleg in oude kamer",
                room_id=room,
                level="STG_GEHEIM",
                planned_on=TODAY + timedelta(days=2),
                today=TODAY,
            ).id
        )
    )
    with transaction(sw.factory) as s:
        assert meetings.meeting(s, sw.planner, meeting).flagged is False
    sw.run(lambda s: service.deactivate_room(s, sw.evo, room))
    with transaction(sw.factory) as s:
        assert meetings.meeting(s, sw.planner, meeting).flagged is True
        assert room not in {r.id for r in service.room_choices(s, sw.planner)}
    _refused(
        sw,
        lambda s: service.plan_sweep(s, sw.evo, room, planned_on=TODAY, today=TODAY),
        "this secure room is out of use",
    )


def test_a_reassessed_room_gets_the_interval_of_its_new_level_and_risk(sw: SWorld) -> None:
    room_id = sw.room("Herbeoordeelde kamer (fictief)", level="STG_CONFIDENTIEEL", risk="laag")
    swept_on = TODAY - timedelta(days=30)
    sw.swept(room_id, swept_on)
    sw.run(
        lambda s: service.reassess_room(
            s, sw.evo, room_id, level="STG_ZEER_GEHEIM", risk="hoog", location="Vleugel B",
            owner="aivd-di", today=TODAY,
        )
    )  # fmt: skip
    with transaction(sw.factory) as s:
        row = service.room(s, sw.evo, room_id)
        assert (row.level, row.risk, row.interval_days, row.owner) == (
            "STG_ZEER_GEHEIM",
            "hoog",
            90,
            "AIVD-DI",
        )
        assert row.next_due_on == swept_on + timedelta(days=90)
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "room.reassess", AuditEntry.object_id == str(room_id))
            )
            == 1
        )


def test_a_reassessment_below_a_planned_meeting_or_by_a_planner_is_refused(sw: SWorld) -> None:
    room_id = sw.room("Vergaderkamer herbeoordeling (fictief)", level="STG_GEHEIM")
    sw.run(
        lambda s: meetings.plan_meeting(
            s, sw.planner, title="Overleg (fictief)", room_id=room_id, level="STG_GEHEIM",
            planned_on=TODAY + timedelta(days=5), today=TODAY,
        )
    )  # fmt: skip

    def reassess(who: object, **kw: str) -> None:
        args = {"level": "STG_CONFIDENTIEEL", "risk": "midden", "location": "", "owner": "X"}
        args.update(kw)
        sw.run(lambda s: service.reassess_room(s, who, room_id, today=TODAY, **args))  # type: ignore[arg-type]

    for kw, message in (
        ({}, "meetings at a higher level are planned in this room: move them first"),
        ({"level": "GEHEIM"}, "unknown classification level {level}"),
        ({"level": "STG_GEHEIM", "risk": "extreem"}, "unknown risk {risk}"),
        ({"level": "STG_GEHEIM", "owner": " "}, "a secure room needs an owner"),
    ):
        with pytest.raises(SweepsError) as err:
            reassess(sw.evo, **kw)
        assert err.value.message == message
    with pytest.raises(PolicyDenied):
        reassess(sw.planner, level="STG_GEHEIM")
    with transaction(sw.factory) as s:
        row = service.room(s, sw.evo, room_id)
        assert (row.level, row.risk, row.owner) == ("STG_GEHEIM", "midden", "AIVD-DI")
