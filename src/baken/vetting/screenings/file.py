"""The file of a screening (kind ``vo_dossier``, marked for the screening unit only): the
checklist of its level, the holdings check through resolve's screening, the partner.

Read only by the officers on the case (and the oversight): every query joins on the case
officers through :func:`baken.vetting.screenings.service.file_ids` besides the kernel's
read filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit, policy, refusals
from baken.core.i18n import N_
from baken.core.marking_store import intern
from baken.core.principals import Principal
from baken.vetting import access
from baken.vetting.screenings.models import CheckItem, Partner, Screening
from baken.vetting.screenings.service import (
    FILE,
    KIND,
    ScreeningsError,
    file_ids,
    require_on_case,
    writable,
)
from baken.vetting.vocab import data

STATES = ("open", "done", "not_applicable")
RESULTS = ("none", "findings")


def items() -> dict[str, dict[str, Any]]:
    return dict(data("screenings")["checklist"])


def open_checklist(session: Session, principal: Principal, screening: Screening) -> None:
    """The checklist of the screening's level; items outside it start not applicable."""
    marking_id = intern(session, access.file_marking())
    present = set(
        session.scalars(select(CheckItem.item).where(CheckItem.screening_id == screening.id))
    )
    for code, info in items().items():
        if code in present:
            continue
        state = "open" if screening.level in info.get("levels", []) else "not_applicable"
        session.add(
            CheckItem(screening_id=screening.id, item=code, state=state, marking_id=marking_id)
        )
    session.flush()


def _open_case(session: Session, principal: Principal, screening_id: int) -> Screening:
    screening = writable(session, principal, screening_id)
    require_on_case(session, principal, screening)
    if screening.status not in ("investigation", "suspended", "intended_refusal"):
        raise ScreeningsError(N_("the file can only be changed while the case is investigated"))
    return screening


def update_check(
    session: Session,
    principal: Principal,
    *,
    screening_id: int,
    item: str,
    state: str,
    result: str | None = None,
    note: str = "",
    on: date,
) -> CheckItem:
    """Record the state of one checklist item, with its result and a note."""
    with refusals.savepoint(
        session, principal=principal, action="screening.check", kind=FILE, object_id=screening_id
    ):
        screening = _open_case(session, principal, screening_id)
        if state not in STATES:
            raise ScreeningsError(N_("unknown state {state}"), state=state)
        if state == "done" and result not in RESULTS:
            raise ScreeningsError(N_("a finished check says whether there were findings"))
        if on < screening.received_on:
            raise ScreeningsError(N_("a check cannot be dated before the request was received"))
        found = session.scalar(
            select(CheckItem).where(CheckItem.screening_id == screening.id, CheckItem.item == item)
        )
        if found is None:
            raise ScreeningsError(N_("unknown checklist item {item}"), item=item)
        found.state = state
        found.result = result if state == "done" else None
        found.note = note.strip()[:4000]
        found.updated_by, found.updated_on = principal.id, on
        session.flush()
        audit.record(
            session,
            principal=principal,
            action="screening.check",
            kind=FILE,
            object_id=screening.id,
            marking=access.file_marking(),
            details={"item": item, "state": state, "result": found.result},
        )
        return found


def holdings_query(screening: Screening) -> Any:
    """The resolve screening query for the person of the case."""
    from baken.resolve import screening as resolve

    return resolve.parse_query(
        names=[screening.person_name],
        birth_date=screening.person_birth_date.isoformat(),
        identifiers=[screening.person_bsn],
    )


def record_holdings(
    session: Session,
    principal: Principal,
    *,
    screening_id: int,
    matches: Sequence[Any],
    on: date,
) -> CheckItem:
    """Record the holdings check: the number of matches and the matched entities the
    officer could read (``matches`` from :func:`baken.resolve.screening.screen` under the
    officer's own index policy, so only readable entities are named)."""
    named = [f"{m.entity_id} ({', '.join(m.names[:2])})" for m in matches]
    note = (
        f"{len(named)} treffer(s): " + "; ".join(named) if named else "0 treffers"
    )  # a record in the file, in the unit's language
    found = update_check(
        session,
        principal,
        screening_id=screening_id,
        item="holdings",
        state="done",
        result="findings" if named else "none",
        note=note,
        on=on,
    )
    audit.record(
        session,
        principal=principal,
        action="screening.holdings",
        kind=FILE,
        object_id=screening_id,
        marking=access.file_marking(),
        details={"matches": [m.entity_id for m in matches]},
    )
    return found


def holdings_check(
    session: Session, principal: Principal, *, screening_id: int, index: Any, on: date
) -> CheckItem:
    """Screen the person against the holdings (resolve's screening over ``index``) with
    the officer's own read rule, and record the result in the checklist."""
    from baken.core.policy_index import index_policy
    from baken.holdings.vocab import ENTITY
    from baken.resolve import screening as resolve

    screening = _open_case(session, principal, screening_id)
    matches = resolve.screen(index, index_policy(principal, [ENTITY]), holdings_query(screening))
    return record_holdings(session, principal, screening_id=screening_id, matches=matches, on=on)


def set_partner(
    session: Session,
    principal: Principal,
    *,
    screening_id: int,
    name: str,
    birth_date: date | None,
    on: date,
) -> None:
    """The partner of the person (levels A and B)."""
    with refusals.savepoint(
        session, principal=principal, action="screening.partner", kind=FILE, object_id=screening_id
    ):
        screening = _open_case(session, principal, screening_id)
        if screening.level not in ("A", "B"):
            raise ScreeningsError(N_("the partner is included at levels A and B only"))
        clean = " ".join(name.split())
        if not clean:
            raise ScreeningsError(N_("give the name of the partner"))
        if birth_date is not None and birth_date > on:
            raise ScreeningsError(N_("the date of birth lies in the future"))
        found = session.scalar(select(Partner).where(Partner.screening_id == screening.id))
        if found is None:
            found = Partner(
                screening_id=screening.id,
                name=clean[:200],
                birth_date=birth_date,
                marking_id=intern(session, access.file_marking()),
                recorded_by=principal.id,
            )
            session.add(found)
        else:
            found.name, found.birth_date = clean[:200], birth_date
        session.flush()
        audit.record(
            session,
            principal=principal,
            action="screening.partner",
            kind=FILE,
            object_id=screening.id,
            marking=access.file_marking(),
        )


@dataclass(frozen=True)
class Check:
    item: str
    state: str
    result: str | None
    note: str
    updated_on: date | None


@dataclass(frozen=True)
class PartnerView:
    name: str
    birth_date: date | None


def checklist(session: Session, principal: Principal, screening_id: int) -> list[Check]:
    order = list(items())
    found = session.scalars(
        select(CheckItem).where(
            CheckItem.screening_id == screening_id,
            CheckItem.screening_id.in_(file_ids(principal)),
            policy.read_filter(principal, FILE, CheckItem.marking_id),
        )
    )
    checks = [Check(c.item, c.state, c.result, c.note, c.updated_on) for c in found]
    return sorted(checks, key=lambda c: order.index(c.item) if c.item in order else 99)


def partner(session: Session, principal: Principal, screening_id: int) -> PartnerView | None:
    found = session.scalar(
        select(Partner).where(
            Partner.screening_id == screening_id,
            Partner.screening_id.in_(file_ids(principal)),
            policy.read_filter(principal, FILE, Partner.marking_id),
        )
    )
    return PartnerView(found.name, found.birth_date) if found else None


__all__ = ["KIND", "checklist", "open_checklist", "partner", "record_holdings", "update_check"]
