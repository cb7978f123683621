"""Threat products through the services: the flow from draft to the decision recorded
back, every bad input refused with nothing stored, and who reads what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from baken.analysis.products import dissemination
from baken.analysis.products import service as products
from baken.core.audit import verify
from baken.core.db import transaction
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.protect.threats import service
from baken.protect.threats.service import ThreatError, ThreatNotFound
from tests.protect.threats.conftest import BB

NO_ADDRESSEE = "a threat product needs an addressee"


def _refused(bb: BB, message: str, call: object) -> None:
    """The call is refused with ``message`` and leaves no row behind."""
    before = bb.counts()
    with pytest.raises(ThreatError) as caught:
        call()  # type: ignore[operator]
    assert message in str(caught.value)
    assert bb.counts() == before


# --- the flow --------------------------------------------------------------------------------


def test_an_assessment_reaches_the_nctv_and_its_decision_is_recorded_back(bb: BB) -> None:
    record_id = bb.create(title="Dreiging vredestop A (fictief)", event_on=date(2026, 12, 1))
    with transaction(bb.factory) as s:
        draft = service.get(s, bb.officer, record_id)
    assert (draft.status, draft.addressee, draft.release) == ("draft", "NCTV", None)
    assert draft.type == "dreigingsinschatting"
    assert draft.event_on == date(2026, 12, 1)
    bb.approve(record_id)
    release_id = bb.release(record_id)

    with transaction(bb.factory) as s:
        # The NCTV reads the release in the portal and the threat product beside it, but
        # never the product row itself.
        assert [r.id for r in dissemination.releases(s, principal=bb.nctv)].count(release_id) == 1
        seen = service.get(s, bb.nctv, record_id)
        assert products.list_products(s, principal=bb.nctv) == []
        board = service.dashboard(s, bb.nctv)
    assert seen.title == "Dreiging vredestop A (fictief)"
    assert seen.status is None
    assert seen.release is not None
    assert seen.release.id == release_id
    assert record_id in [v.id for v in board.awaiting]
    assert board.received

    day = seen.release.released_at.date()
    first = bb.run(
        lambda s: service.record_decision(
            s,
            principal=bb.nctv,
            record_id=record_id,
            measures_chosen=["verhoogde_alertheid", "bewaking_en_beveiliging_evenement"],
            decided_on=day,
            text="Bewaking en beveiliging van de top (fictief).",
            today=day,
        )
    )
    # A second decision amends the first; both stay.
    second = bb.run(
        lambda s: service.record_decision(
            s,
            principal=bb.officer,
            record_id=record_id,
            measures_chosen=["geen_maatregelen"],
            decided_on=day,
            text="Afgeschaald na nieuwe informatie (fictief).",
            today=day,
        )
    )
    with transaction(bb.factory) as s:
        staff = service.get(s, bb.officer, record_id)
        partner = service.get(s, bb.nctv, record_id)
        assert verify(s).ok
        actions = list(
            s.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.kind == "maatregelbesluit", AuditEntry.outcome == "ok"
                )
            )
        )
    assert [d.id for d in staff.decisions] == [first, second] == [d.id for d in partner.decisions]
    assert [d.version for d in staff.decisions] == [1, 2]
    assert [d.recorded_for for d in staff.decisions] == ["authority", "aivd"]
    assert staff.decisions[0].measures == [
        "bewaking_en_beveiliging_evenement",
        "verhoogde_alertheid",
    ]
    assert staff.decision is not None
    assert staff.decision.measures == ["geen_maatregelen"]
    # Marked with the release's marking: the addressee and the service read it.
    assert staff.release is not None
    assert {d.marking for d in staff.decisions} == {staff.release.marking}
    assert "threat.decision" in actions
    assert "threat.decision.amend" in actions


# --- bad input: refused, nothing stored ------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"authority": "", "addressee": ""}, NO_ADDRESSEE),
        ({"addressee": ""}, NO_ADDRESSEE),
        ({"authority": "mayor", "addressee": "GEMEENTE-ZUIDPOLDER"}, "does not fit the domain"),
        (
            {"domain": "strafrecht", "authority": "nctv_coordinator"},
            "does not fit the domain",
        ),
        ({"addressee": "GEMEENTE-ZUIDPOLDER"}, "is not an addressee"),
        ({"type": "inlichtingenrapport"}, "unknown type of threat product"),
        ({"subject_kind": "vliegtuig"}, "unknown kind of subject"),
        ({"subject": "  "}, "say who or what"),
        ({"domain": "buitenland"}, "unknown domain"),
    ],
)
def test_bad_threat_products_are_refused_and_store_nothing(
    bb: BB, changes: dict[str, str], message: str
) -> None:
    _refused(bb, message, lambda: bb.create(**changes))


def test_a_product_without_title_stores_no_record(bb: BB) -> None:
    before = bb.counts()
    with pytest.raises(products.ProductError):
        bb.create(title=" ")
    assert bb.counts() == before


def test_only_staff_who_write_products_create_threat_products(bb: BB) -> None:
    before = bb.counts()
    for who in (bb.nctv, bb.mayor, bb.ctivd):
        with pytest.raises(PolicyDenied):
            bb.create(principal=who)
    assert bb.counts() == before


def test_a_release_before_approval_is_refused(bb: BB) -> None:
    record_id = bb.create()
    before = bb.counts()
    with pytest.raises(products.ProductError) as caught:
        bb.release(record_id)
    assert caught.value.message == "only an approved product can be released"
    assert bb.counts() == before


def test_a_release_needs_the_addressee_on_the_approved_list(bb: BB) -> None:
    record_id = bb.create()
    bb.approve(record_id, recipients=["OM"])
    before = bb.counts()
    with pytest.raises(products.ProductError) as caught:
        bb.release(record_id)
    assert "not on the releasability list" in caught.value.message
    assert bb.counts() == before


def _decide(bb: BB, who: object, record_id: int, **kw: object) -> int:
    args: dict[str, object] = {
        "measures_chosen": ["objectbeveiliging"],
        "decided_on": date.today(),
        "text": "Besluit (fictief).",
    }
    args.update(kw)
    return bb.run(
        lambda s: service.record_decision(s, principal=who, record_id=record_id, **args)  # type: ignore[arg-type]
    )


def test_a_decision_before_the_release_is_refused(bb: BB) -> None:
    record_id = bb.create()
    bb.approve(record_id)
    _refused(
        bb, "has not been released to the addressee", lambda: _decide(bb, bb.officer, record_id)
    )
    with pytest.raises(ThreatNotFound):  # the NCTV has nothing to read yet
        _decide(bb, bb.nctv, record_id)


def test_a_decision_dated_before_the_release_or_in_the_future_is_refused(bb: BB) -> None:
    record_id, day = bb.released()
    _refused(
        bb,
        "before the release",
        lambda: _decide(bb, bb.nctv, record_id, decided_on=day - timedelta(days=1), today=day),
    )
    _refused(
        bb,
        "in the future",
        lambda: _decide(bb, bb.nctv, record_id, decided_on=day + timedelta(days=1), today=day),
    )


def test_a_decision_by_another_organisation_is_refused(bb: BB) -> None:
    # Released to the NCTV (the addressee) and to the OM: the OM reads it, cannot decide.
    record_id, day = bb.released(recipients=["NCTV", "OM"])
    bb.run(
        lambda s: dissemination.release(
            s, principal=bb.officer, product_id=bb.product_id(record_id), recipient="OM"
        )
    )
    with transaction(bb.factory) as s:
        assert service.get(s, bb.om, record_id).addressee == "NCTV"
    _refused(
        bb,
        "only the addressee (NCTV)",
        lambda: _decide(bb, bb.om, record_id, decided_on=day, today=day),
    )
    # The mayor has received nothing of it: not found, exactly as a missing one.
    before = bb.counts()
    for who in (bb.mayor, bb.partner_a):
        with pytest.raises(ThreatNotFound):
            _decide(bb, who, record_id, decided_on=day, today=day)
    with pytest.raises(PolicyDenied):  # the oversight reads, it does not decide
        _decide(bb, bb.ctivd, record_id, decided_on=day, today=day)
    assert bb.counts() == before


@pytest.mark.parametrize(
    ("measures", "message"),
    [
        ([], "choose at least one measure"),
        (["raketschild"], "unknown measure"),
        (["geen_maatregelen", "cameratoezicht"], "cannot be combined"),
    ],
)
def test_bad_measures_are_refused(bb: BB, measures: list[str], message: str) -> None:
    record_id, day = bb.released()
    _refused(
        bb,
        message,
        lambda: _decide(
            bb, bb.nctv, record_id, measures_chosen=measures, decided_on=day, today=day
        ),
    )


def test_a_decision_needs_its_text(bb: BB) -> None:
    record_id, day = bb.released()
    _refused(
        bb,
        "describe the decision",
        lambda: _decide(bb, bb.nctv, record_id, text=" ", decided_on=day, today=day),
    )


# --- who reads what --------------------------------------------------------------------------


def test_readers_see_only_what_they_may_read(bb: BB) -> None:
    mayor_record, _ = bb.released(
        type="dreigingsmelding",
        subject_kind="persoon",
        subject="Wethouder (fictief)",
        domain="openbare_orde",
        authority="mayor",
        addressee="GEMEENTE-ZUIDPOLDER",
    )
    draft = bb.create(type="risicoanalyse", subject_kind="object", subject="Terminal (fictief)")
    with transaction(bb.factory) as s:
        mayor_ids = [v.id for v in service.search(s, bb.mayor)[0]]
        nctv_ids = [v.id for v in service.search(s, bb.nctv)[0]]
        staff_ids = [v.id for v in service.search(s, bb.officer)[0]]
        overseer_ids = [v.id for v in service.search(s, bb.ctivd)[0]]
        for who in (bb.mivd, bb.partner_a):
            assert service.search(s, who)[0] == []
            assert service.dashboard(s, who).total == 0
            assert [n for _, n, _, _ in service.figures(s, principal=who)] == [0] * len(
                service.figures(s, principal=who)
            )
            with pytest.raises(ThreatNotFound):
                service.get(s, who, mayor_record)
        with pytest.raises(ThreatNotFound):
            service.get(s, bb.nctv, mayor_record)
        with pytest.raises(ThreatNotFound):
            service.get(s, bb.mayor, draft)
    assert mayor_ids == [mayor_record]
    assert mayor_record not in nctv_ids
    assert draft not in nctv_ids
    assert {mayor_record, draft} <= set(staff_ids)
    assert set(staff_ids) == set(overseer_ids)


def test_the_dashboard_counts_and_the_figures(bb: BB) -> None:
    with transaction(bb.factory) as s:
        before = service.dashboard(s, bb.officer)
    submitted = bb.create(type="dreigingsanalyse")
    pid = bb.product_id(submitted)
    with transaction(bb.factory) as s:
        products.cite(
            s, principal=bb.officer, product_id=pid, kind="document", target_id=str(bb.document_id)
        )
        products.submit(s, principal=bb.officer, product_id=pid)
    record_id, day = bb.released()
    with transaction(bb.factory) as s:
        after = service.dashboard(s, bb.officer)
        figures = {label: n for label, n, _, _ in service.figures(s, principal=bb.officer)}
    assert after.total == before.total + 2
    assert after.by_type.get("dreigingsanalyse", 0) == before.by_type.get("dreigingsanalyse", 0) + 1
    assert after.by_status.get("submitted", 0) == before.by_status.get("submitted", 0) + 1
    assert record_id in [v.id for v in after.awaiting]
    assert figures["Threat products"] == after.total
    assert figures["Released, awaiting a decision"] == after.waiting == len(after.awaiting)
    _decide(bb, bb.nctv, record_id, decided_on=day, today=day)
    with transaction(bb.factory) as s:
        decided = service.dashboard(s, bb.officer)
    assert record_id not in [v.id for v in decided.awaiting]
    assert decided.decided == after.decided + 1
