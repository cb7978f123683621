"""Permission requests through every path, on a real database: normal (TIB lawful),
urgency with an unlawful finding, the Tijdelijke wet with a CTIVD stop order, refusal,
expiry and renewal; and the check the lifecycle runs before recording anything."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from baken.core import audit
from baken.core.db import transaction
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.core.principals import Principal
from baken.oversight.permissions import service
from baken.oversight.permissions.models import Permission
from baken.oversight.permissions.service import PermissionsError
from tests.oversight.permissions.conftest import DAY, PWorld, committed


def _do(pw: PWorld, fn: str, principal: Principal, permission_id: int, **kw: object) -> None:
    committed(
        pw,
        lambda s: getattr(service, fn)(s, principal=principal, permission_id=permission_id, **kw),
    )


def _status(pw: PWorld, permission_id: int) -> Permission:
    with transaction(pw.factory) as session:
        row = session.get(Permission, permission_id)
        assert row is not None
        session.expunge(row)
        return row


def _to_minister(pw: PWorld, pid: int) -> None:
    _do(pw, "submit", pw.analyst, pid)
    _do(pw, "team_lead", pw.lead, pid, outcome="forwarded", note="akkoord")


def _usable(pw: PWorld, pid: int, on: date) -> service.PermissionView:
    return committed(
        pw, lambda s: service.usable(s, principal=pw.analyst, permission_id=pid, on=on)
    )


def _refused_entries(pw: PWorld, action: str) -> list[AuditEntry]:
    with transaction(pw.factory) as session:
        return list(
            session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == action, AuditEntry.outcome == "refused"
                )
            )
        )


def test_the_normal_path_minister_then_tib_then_use_then_expiry(pw: PWorld) -> None:
    pid = pw.request()
    assert _status(pw, pid).status == "draft"
    with pytest.raises(PermissionsError, match="not \\(yet\\) lawful"):
        _usable(pw, pid, DAY)
    _to_minister(pw, pid)
    assert _status(pw, pid).status == "minister"
    _do(pw, "decide", pw.minister, pid, outcome="permitted", on=DAY)
    assert _status(pw, pid).status == "review"
    with pytest.raises(PermissionsError, match="not \\(yet\\) lawful"):
        _usable(pw, pid, DAY)  # permitted but not yet reviewed: may not be used
    _do(pw, "decide", pw.tib, pid, outcome="lawful", on=DAY)
    row = _status(pw, pid)
    assert (row.status, row.valid_from, row.valid_until) == (
        "in_use",
        DAY,
        date(2026, 6, 1),
    )
    assert _usable(pw, pid, date(2026, 6, 1)).reference == row.reference
    with pytest.raises(PermissionsError, match="expired on 2026-06-01"):
        _usable(pw, pid, date(2026, 6, 2))
    with transaction(pw.factory) as session:
        view = service.get(session, principal=pw.ctivd, permission_id=pid)
        assert [(s.step, s.outcome) for s in view.steps] == [
            ("created", "drafted"),
            ("submit", "submitted"),
            ("team_lead", "forwarded"),
            ("minister", "permitted"),
            ("tib", "lawful"),
        ]
        assert service.expiring(session, principal=pw.analyst, on=date(2026, 5, 20))
        assert not service.expiring(session, principal=pw.analyst, on=date(2026, 4, 1))
        assert service.expire(session, principal=pw.lead, on=date(2026, 6, 2)) == [row.reference]
    assert _status(pw, pid).status == "expired"
    assert _refused_entries(pw, "permission.use")  # every refused use was audited


def test_urgency_with_an_unlawful_finding_orders_destruction(pw: PWorld) -> None:
    pid = pw.request(urgent=True)
    _do(pw, "submit", pw.analyst, pid)
    _do(pw, "team_lead", pw.lead, pid, outcome="oral", note="Minister telefonisch, 02:10", on=DAY)
    assert _usable(pw, pid, DAY).status == "in_use"  # in use before the TIB reviews
    _do(pw, "decide", pw.tib, pid, outcome="unlawful", note="Niet proportioneel.", on=DAY)
    row = _status(pw, pid)
    assert row.status == "unlawful"
    assert row.destruction_ordered
    assert row.destruction_reason
    assert "Niet proportioneel" in row.destruction_reason
    with pytest.raises(PermissionsError, match="found unlawful"):
        _usable(pw, pid, DAY)


def test_urgency_found_lawful_afterwards_stays_in_use(pw: PWorld) -> None:
    pid = pw.request(urgent=True)
    _do(pw, "submit", pw.analyst, pid)
    _do(pw, "team_lead", pw.lead, pid, outcome="oral", note="Minister telefonisch", on=DAY)
    _do(pw, "decide", pw.tib, pid, outcome="lawful", on=DAY)
    row = _status(pw, pid)
    assert (row.status, row.reviewed, row.destruction_ordered) == ("in_use", True, False)
    with pytest.raises(PermissionsError, match="not expected now"):
        _do(pw, "decide", pw.tib, pid, outcome="unlawful", note="te laat")


def test_tijdelijke_wet_in_use_after_the_minister_until_the_ctivd_stops_it(pw: PWorld) -> None:
    pid = pw.request(power="hacken", country="RU")
    assert _status(pw, pid).regime == "tijdelijke_wet"
    _to_minister(pw, pid)
    _do(pw, "decide", pw.minister, pid, outcome="permitted", on=DAY)
    assert _status(pw, pid).status == "in_use"  # no prior TIB review under this act
    with pytest.raises(PermissionsError, match="not expected now"):
        _do(pw, "decide", pw.tib, pid, outcome="lawful")
    _do(pw, "decide", pw.ctivd, pid, outcome="lawful", note="Tussentijds: rechtmatig")
    assert _usable(pw, pid, DAY).reviewed
    _do(pw, "decide", pw.ctivd, pid, outcome="stop", note="Doelwit buiten het programma.")
    row = _status(pw, pid)
    assert (row.status, row.destruction_ordered) == ("stopped", True)
    with pytest.raises(PermissionsError, match=r"ordered permission .* stopped"):
        _usable(pw, pid, DAY)


def test_a_wiv_power_against_a_listed_country_outside_the_act_stays_wiv(pw: PWorld) -> None:
    assert _status(pw, pw.request(power="observatie", country="CN")).regime == "wiv"


def test_the_minister_refuses_and_nothing_can_be_recorded(pw: PWorld) -> None:
    pid = pw.request()
    _to_minister(pw, pid)
    with pytest.raises(PermissionsError, match="reasons"):
        _do(pw, "decide", pw.minister, pid, outcome="refused")
    _do(pw, "decide", pw.minister, pid, outcome="refused", note="Niet noodzakelijk.")
    with pytest.raises(PermissionsError, match="refused by the minister"):
        _usable(pw, pid, DAY)


def test_renewal_is_a_new_request_that_takes_over_at_the_end_of_the_term(pw: PWorld) -> None:
    pid = pw.request()
    _to_minister(pw, pid)
    _do(pw, "decide", pw.minister, pid, outcome="permitted")
    _do(pw, "decide", pw.tib, pid, outcome="lawful", on=DAY)
    with transaction(pw.factory) as session:
        new = service.renew(session, principal=pw.analyst, permission_id=pid)
    with (
        pytest.raises(PermissionsError, match="already under way"),
        transaction(pw.factory) as session,
    ):
        service.renew(session, principal=pw.analyst, permission_id=pid)
    _to_minister(pw, new)
    _do(pw, "decide", pw.minister, new, outcome="permitted")
    _do(pw, "decide", pw.tib, new, outcome="lawful", on=date(2026, 5, 20))
    old_row, new_row = _status(pw, pid), _status(pw, new)
    assert old_row.status == "renewed"
    assert (new_row.renews_id, new_row.valid_from) == (pid, date(2026, 6, 2))
    assert new_row.valid_until == date(2026, 9, 1)
    with pytest.raises(PermissionsError, match="expired"):
        _usable(pw, pid, date(2026, 5, 25))
    with pytest.raises(PermissionsError, match="valid only from 2026-06-02"):
        _usable(pw, new, date(2026, 5, 25))
    assert _usable(pw, new, date(2026, 6, 2)).id == new


def test_a_power_with_limited_renewals_refuses_one_more(pw: PWorld) -> None:
    pid = pw.request(power="doorzoeking", term_months=1)
    for _ in range(2):
        _to_minister(pw, pid)
        _do(pw, "decide", pw.minister, pid, outcome="permitted")
        _do(pw, "decide", pw.tib, pid, outcome="lawful", on=DAY)
        with transaction(pw.factory) as session:
            pid = service.renew(session, principal=pw.analyst, permission_id=pid)
    _to_minister(pw, pid)
    _do(pw, "decide", pw.minister, pid, outcome="permitted")
    _do(pw, "decide", pw.tib, pid, outcome="lawful", on=DAY)
    with (
        pytest.raises(PermissionsError, match="at most 2 times"),
        transaction(pw.factory) as session,
    ):
        service.renew(session, principal=pw.analyst, permission_id=pid)


# --- bad input: refused with a clear message, nothing changed, the refusal audited --------


@pytest.mark.parametrize("criterion", ["necessity", "proportionality", "subsidiarity", "targeting"])
def test_a_request_without_justification_is_refused(pw: PWorld, criterion: str) -> None:
    with pytest.raises(PermissionsError) as caught:
        pw.request(**{criterion: "  "})
    assert caught.value.params == {"criterion": criterion}
    assert "justification" in str(caught.value)
    with transaction(pw.factory) as session:
        assert session.scalar(select(Permission.id)) is None
    (entry,) = _refused_entries(pw, "permission.create")
    assert entry.details["params"]["criterion"] == criterion


def test_a_term_beyond_the_maximum_is_refused(pw: PWorld) -> None:
    with pytest.raises(PermissionsError, match="4 months exceeds the maximum of 3"):
        pw.request(term_months=4)
    with transaction(pw.factory) as session:
        assert session.scalar(select(Permission.id)) is None
    assert _refused_entries(pw, "permission.create")


def test_a_decision_out_of_order_tib_before_minister_is_refused(pw: PWorld) -> None:
    pid = pw.request()
    _to_minister(pw, pid)
    with pytest.raises(PermissionsError, match="at step minister"):
        _do(pw, "decide", pw.tib, pid, outcome="lawful")
    assert _status(pw, pid).status == "minister"
    (entry,) = _refused_entries(pw, "permission.decide")
    assert entry.object_id == str(pid)
    assert entry.actor == "tib"


def test_use_of_an_expired_permission_is_refused_and_audited(pw: PWorld) -> None:
    pid = pw.request()
    _to_minister(pw, pid)
    _do(pw, "decide", pw.minister, pid, outcome="permitted")
    _do(pw, "decide", pw.tib, pid, outcome="lawful", on=DAY)
    late = DAY + timedelta(days=200)
    with pytest.raises(PermissionsError, match="expired"):
        _usable(pw, pid, late)
    (entry,) = _refused_entries(pw, "permission.use")
    assert entry.details["params"]["date"] == "2026-06-01"
    with transaction(pw.factory) as session:
        assert audit.verify(session).ok


def test_unknown_power_and_country_and_urgency_under_the_act_are_refused(pw: PWorld) -> None:
    with pytest.raises(PermissionsError, match="unknown special power"):
        pw.request(power="telepathie")
    with pytest.raises(PermissionsError, match="unknown country"):
        pw.request(country="XX")
    with pytest.raises(PermissionsError, match="urgency procedure"):
        pw.request(power="hacken", country="IR", urgent=True)
    with pytest.raises(PermissionsError, match="at least one target"):
        pw.request(targets=[" "])


# --- the decision rule ------------------------------------------------------------------


def test_only_the_minister_of_the_owning_service_decides(pw: PWorld) -> None:
    pid = pw.request()
    _to_minister(pw, pid)
    # Defence's minister cannot read an AIVD request (not released to DEF): 404.
    with pytest.raises(LookupError):
        _do(pw, "decide", pw.defence, pid, outcome="permitted")
    with pytest.raises(PolicyDenied):  # an analyst is no decider at all
        _do(pw, "decide", pw.analyst, pid, outcome="permitted")
    with pytest.raises(PermissionsError, match="team lead"):
        _do(pw, "team_lead", pw.analyst, pid, outcome="forwarded")


def test_other_service_and_unreadable_requests_look_like_nonexistent_ones(pw: PWorld) -> None:
    pid = pw.request()
    with transaction(pw.factory) as session:
        with pytest.raises(LookupError):
            service.get(session, principal=pw.mivd, permission_id=pid)
        assert service.list_permissions(session, principal=pw.mivd) == []
        with pytest.raises(PermissionsError) as unreadable:
            service.usable(session, principal=pw.mivd, permission_id=pid, on=DAY)
        with pytest.raises(PermissionsError) as missing:
            service.usable(session, principal=pw.mivd, permission_id=pid + 999, on=DAY)
    assert str(unreadable.value).replace(str(pid), "N") == str(missing.value).replace(
        str(pid + 999), "N"
    )
