"""The legal basis of a collection, the relevance assessment within the term, the legal
hold, extensions by the minister with the CTIVD's review, and destruction ordered for a
permission — with every bad input refused, changing nothing, and audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.holdings.models import Statement
from baken.holdings.service import HoldingsError
from baken.oversight.lifecycle import destruction, extensions, service
from baken.oversight.lifecycle.models import Assessment, BulkDataset, Extension
from baken.oversight.permissions import service as permissions
from tests.oversight.lifecycle.conftest import DAY, LWorld, committed, in_use

TERM_END = date(2027, 7, 5)  # acquired 2026-01-05 + 18 months


def _refusals(lw: LWorld, action: str) -> list[AuditEntry]:
    with transaction(lw.pw.factory) as session:
        return list(
            session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == action, AuditEntry.outcome.in_(("refused", "denied"))
                )
            )
        )


def _entities(lw: LWorld) -> list[str]:
    with transaction(lw.pw.factory) as session:
        return sorted(
            session.scalars(
                select(Statement.entity_id).where(Statement.collection_id == lw.dataset).distinct()
            )
        )


def _dataset(lw: LWorld) -> BulkDataset:
    with transaction(lw.pw.factory) as session:
        row = session.get(BulkDataset, lw.dataset)
        assert row is not None
        session.expunge(row)
        return row


def _assess(lw: LWorld, items: list[tuple[str, str]], verdict: str, today: date) -> int:
    return lw.run(
        lw.analyst,
        "bulkdataset.assess",
        lambda s: service.assess(
            s,
            principal=lw.analyst,
            collection_id=lw.dataset,
            items=items,
            verdict=verdict,
            today=today,
        ),
    )


def _destroy(lw: LWorld, scope: str, today: date) -> int:
    return lw.run(
        lw.lead,
        "destruction.execute",
        lambda s: destruction.destroy(
            s,
            principal=lw.lead,
            collection_id=lw.dataset,
            scope=scope,
            reason="Beoordeeld als niet relevant",
            today=today,
            stores=lw.stores,
        ),
    )


# --- the legal basis -----------------------------------------------------------------------


def test_a_collection_points_to_a_usable_permission_and_intake_stops_when_it_expires(
    lw: LWorld,
) -> None:
    pid = in_use(lw.pw)
    lw.run(
        lw.analyst,
        "legal_basis.link",
        lambda s: service.link_permission(
            s, principal=lw.analyst, collection_id=lw.dataset, permission_id=pid, today=DAY
        ),
    )
    with transaction(lw.pw.factory) as session:
        view = service.legal_basis(
            session, principal=lw.analyst, collection_id=lw.dataset, today=DAY
        )
        assert view is not None
        assert view.permission_id == pid
        assert view.usable
        expired = service.legal_basis(
            session, principal=lw.analyst, collection_id=lw.dataset, today=date(2026, 7, 1)
        )
        assert expired is not None
        assert not expired.usable
        assert expired.problem is not None
        assert "expired" in str(expired.problem)
    # Loading more data into the collection after the term is refused.
    with transaction(lw.pw.factory) as session:
        permissions.expire(session, principal=lw.lead, on=date(2026, 7, 1))
    with pytest.raises(HoldingsError, match="expired"):
        lw.load(lw.dataset)


def test_linking_to_an_unusable_permission_is_refused_and_audited(lw: LWorld) -> None:
    draft = lw.pw.request()  # never decided: not usable
    for permission_id in (draft, 9999):
        with pytest.raises(DomainError):
            lw.run(
                lw.analyst,
                "legal_basis.link",
                lambda s, p=permission_id: service.link_permission(
                    s, principal=lw.analyst, collection_id=lw.dataset, permission_id=p, today=DAY
                ),
            )
    assert len(_refusals(lw, "legal_basis.link")) == 2
    with transaction(lw.pw.factory) as session:
        assert (
            service.legal_basis(session, principal=lw.analyst, collection_id=lw.dataset, today=DAY)
            is None
        )


def test_only_a_special_power_collection_points_to_a_permission(lw: LWorld) -> None:
    pid = in_use(lw.pw)
    osint = lw.collection("osint", kind="documents", basis="open_source")
    with pytest.raises(DomainError, match="special power"):
        lw.run(
            lw.analyst,
            "legal_basis.link",
            lambda s: service.link_permission(
                s, principal=lw.analyst, collection_id=osint, permission_id=pid, today=DAY
            ),
        )


# --- assessment ---------------------------------------------------------------------------------


def test_items_are_assessed_within_the_term_and_counted(lw: LWorld) -> None:
    items = _entities(lw)
    assert len(items) > 3
    assert _assess(lw, [("entity", items[0])], "relevant", DAY) == 1
    assert _assess(lw, [("entity", e) for e in items[1:3]], "not_relevant", DAY) == 2
    with transaction(lw.pw.factory) as session:
        view = service.get_dataset(
            session, principal=lw.analyst, collection_id=lw.dataset, today=DAY
        )
        assert (view.items, view.relevant, view.not_relevant) == (len(items), 1, 2)
        assert view.term_until == TERM_END
        assert not view.overdue
        late = service.get_dataset(
            session, principal=lw.analyst, collection_id=lw.dataset, today=date(2027, 8, 1)
        )
        assert late.overdue
        rest = service.unassessed(session, principal=lw.analyst, collection_id=lw.dataset)
        assert len(rest) == len(items) - 3


def test_an_assessment_after_the_term_is_refused_and_audited(lw: LWorld) -> None:
    items = _entities(lw)
    with pytest.raises(DomainError, match="assessment term ended on 2027-07-05"):
        _assess(lw, [("entity", items[0])], "relevant", date(2027, 7, 6))
    assert _refusals(lw, "bulkdataset.assess")
    with transaction(lw.pw.factory) as session:
        assert not session.scalar(select(func.count()).select_from(Assessment))


def test_an_unknown_or_unreadable_item_is_refused_alike(lw: LWorld) -> None:
    for item in (("entity", "bestaat-niet"), ("document", "12345"), ("thing", "x")):
        with pytest.raises(DomainError, match="unknown item"):
            _assess(lw, [item], "relevant", DAY)


# --- legal hold and destruction -------------------------------------------------------------------


def test_a_legal_hold_blocks_destruction_with_a_clear_audited_refusal(lw: LWorld) -> None:
    lw.run(
        lw.lead,
        "bulkdataset.hold",
        lambda s: service.set_hold(
            s,
            principal=lw.lead,
            collection_id=lw.dataset,
            hold=True,
            reason="Rechtszaak 2026/17",
            today=DAY,
        ),
    )
    before = len(_entities(lw))
    with pytest.raises(DomainError, match="legal hold \\(Rechtszaak 2026/17\\)"):
        _destroy(lw, "all", DAY)
    assert len(_entities(lw)) == before
    assert _refusals(lw, "destruction.execute")
    with pytest.raises(DomainError, match="needs a reason"):
        lw.run(
            lw.lead,
            "bulkdataset.hold",
            lambda s: service.set_hold(
                s, principal=lw.lead, collection_id=lw.dataset, hold=True, reason=" ", today=DAY
            ),
        )


def test_destroying_what_is_not_relevant_keeps_the_relevant_items(lw: LWorld) -> None:
    items = _entities(lw)
    _assess(lw, [("entity", items[0])], "relevant", DAY)
    _assess(lw, [("entity", items[1])], "not_relevant", DAY)
    with pytest.raises(DomainError, match="runs until 2027-07-05"):
        _destroy(lw, "expired", DAY)  # the term has not ended
    _destroy(lw, "not_relevant", DAY)
    assert _entities(lw) == [e for e in items if e != items[1]]
    # After the term, whatever was not found relevant goes.
    _destroy(lw, "expired", date(2027, 7, 6))
    assert _entities(lw) == [items[0]]
    assert _dataset(lw).state == "active"


def test_an_analyst_may_not_destroy(lw: LWorld) -> None:
    with pytest.raises(PolicyDenied):
        lw.run(
            lw.analyst,
            "destruction.execute",
            lambda s: destruction.destroy(
                s,
                principal=lw.analyst,
                collection_id=lw.dataset,
                scope="all",
                reason="x",
                today=DAY,
                stores=lw.stores,
            ),
        )
    assert _refusals(lw, "destruction.execute")


def test_an_unlawful_urgency_finding_destroys_every_linked_collection(lw: LWorld) -> None:
    pw = lw.pw
    pid = pw.request(urgent=True)
    committed(pw, lambda s: permissions.submit(s, principal=pw.analyst, permission_id=pid))
    committed(
        pw,
        lambda s: permissions.team_lead(
            s, principal=pw.lead, permission_id=pid, outcome="oral", note="mondeling", on=DAY
        ),
    )
    lw.run(
        lw.analyst,
        "legal_basis.link",
        lambda s: service.link_permission(
            s, principal=lw.analyst, collection_id=lw.dataset, permission_id=pid, today=DAY
        ),
    )
    committed(
        pw,
        lambda s: permissions.decide(
            s,
            principal=pw.tib,
            permission_id=pid,
            outcome="unlawful",
            note="Onrechtmatig",
            on=DAY,
            stores=destruction.Stores.of(pw.settings),
        ),
    )
    assert _entities(lw) == []
    assert _dataset(lw).state == "destroyed"
    assert not (pw.settings.bulk_dir / str(lw.dataset)).exists()
    with transaction(pw.factory) as session:
        records = destruction.list_records(session, principal=pw.ctivd)
        assert [r.permission_id for r in records] == [pid]
        check = destruction.verify(
            session, principal=pw.ctivd, record_id=records[0].id, stores=lw.stores
        )
        assert check.ok, check.problems


# --- extensions ------------------------------------------------------------------------------


def _request(lw: LWorld, new_until: date, motivation: str = "Nog niet alles beoordeeld.") -> int:
    return lw.run(
        lw.lead,
        "extension.request",
        lambda s: extensions.request_extension(
            s,
            principal=lw.lead,
            collection_id=lw.dataset,
            new_until=new_until,
            motivation=motivation,
            today=DAY,
        ),
    )


def _minister(lw: LWorld, ext: int, decision: str = "permitted", inform: bool = True) -> None:
    lw.run(
        lw.pw.minister,
        "extension.minister",
        lambda s: extensions.minister_decide(
            s,
            principal=lw.pw.minister,
            extension_id=ext,
            decision=decision,
            inform_parliament=inform,
        ),
    )


def _ctivd(lw: LWorld, ext: int, review: str) -> None:
    lw.run(
        lw.pw.ctivd,
        "extension.ctivd",
        lambda s: extensions.ctivd_review(
            s, principal=lw.pw.ctivd, extension_id=ext, review=review, note="getoetst"
        ),
    )


def test_extensions_one_year_at_a_time_stricter_from_the_third(lw: LWorld) -> None:
    first = _request(lw, date(2028, 7, 5))
    _minister(lw, first)
    assert _dataset(lw).term_until == date(2028, 7, 5)  # in effect at the minister's word
    _ctivd(lw, first, "lawful")
    second = _request(lw, date(2029, 7, 5))
    _minister(lw, second)
    _ctivd(lw, second, "lawful")
    with pytest.raises(DomainError, match="at least 100 characters"):
        _request(lw, date(2030, 7, 5))  # the third: a full motivation is needed
    third = _request(lw, date(2030, 7, 5), "Reden. " * 20)
    with pytest.raises(DomainError, match="parliament must be informed"):
        _minister(lw, third, inform=False)
    _minister(lw, third)
    assert _dataset(lw).term_until == date(2029, 7, 5)  # not before the CTIVD's review
    _ctivd(lw, third, "lawful")
    assert _dataset(lw).term_until == date(2030, 7, 5)
    with transaction(lw.pw.factory) as session:
        rows = session.execute(select(Extension.number, Extension.state).order_by(Extension.id))
        assert [tuple(r) for r in rows] == [(1, "in_effect"), (2, "in_effect"), (3, "in_effect")]


def test_an_unlawful_review_annuls_an_extension_in_effect(lw: LWorld) -> None:
    ext = _request(lw, date(2028, 7, 5))
    _minister(lw, ext)
    assert _dataset(lw).term_until == date(2028, 7, 5)
    _ctivd(lw, ext, "unlawful")
    assert _dataset(lw).term_until == TERM_END


def test_an_extension_beyond_one_year_or_out_of_order_is_refused_and_audited(
    lw: LWorld,
) -> None:
    with pytest.raises(DomainError, match="at most one year"):
        _request(lw, date(2028, 7, 6))
    ext = _request(lw, date(2028, 1, 1))
    with pytest.raises(DomainError, match="after the minister's decision"):
        _ctivd(lw, ext, "lawful")  # the CTIVD before the minister
    with pytest.raises(DomainError, match="still being decided"):
        _request(lw, date(2028, 2, 1))
    _minister(lw, ext, "refused")
    with pytest.raises(DomainError, match="decided on this extension already"):
        _minister(lw, ext)
    with pytest.raises(DomainError, match="not open for review"):
        _ctivd(lw, ext, "lawful")
    assert _dataset(lw).term_until == TERM_END
    assert _refusals(lw, "extension.request")
    assert _refusals(lw, "extension.ctivd")
    assert _refusals(lw, "extension.minister")


def test_only_the_responsible_minister_and_the_ctivd_decide(lw: LWorld) -> None:
    ext = _request(lw, date(2028, 1, 1))
    for who in (lw.pw.defence, lw.pw.tib, lw.lead):
        with pytest.raises((PolicyDenied, LookupError)):
            lw.run(
                who,
                "extension.minister",
                lambda s, w=who: extensions.minister_decide(
                    s, principal=w, extension_id=ext, decision="permitted", inform_parliament=True
                ),
            )
