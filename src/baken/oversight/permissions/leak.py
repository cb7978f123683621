"""Leak-matrix fixtures and cases for oversight (permissions).

The ``permission`` fixture is a request carrying the secret in its title and targets,
for an onderzoeksopdracht at the same marking (a small plan made through the steering
service), taken through the minister and the TIB to "in use" so that it shows on every
page and figure (dashboard shares, expiring soon). The ``complaint`` fixture is a
complaint answered by the minister and now with the CTIVD.

The matrix has no minister's office or TIB seat; the fixtures make their decisions as
external principals built here for the purpose (the author's user id, the deciding
role and organisation), through the same service and decision rule.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from baken.core.markings import Level, Marking
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.core.timeutil import utcnow
from baken.oversight.permissions import complaints, rules, service
from baken.oversight.permissions.rules import KLACHT, TOESTEMMING
from baken.steering.leak import _plan
from baken.testing.leakmatrix import LeakCase, LeakFixture


def external(author: Principal, role: str, organisation: str, marking: Marking) -> Principal:
    return Principal(
        id=author.id,
        username=author.username,
        display_name=f"{role} (leak fixture)",
        clearance=Level.STG_ZEER_GEHEIM,
        service=None,
        organisation=organisation,
        compartments=marking.compartments,
        roles=frozenset({role}),
    )


def make_permission(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    _, assignment = _plan(session, author, marking, "Jaarplan")
    today = utcnow().date()
    pid = service.create(
        session,
        principal=author,
        data=service.PermissionCreate(
            power="interceptie",
            title=f"Tap {secret}",
            targets=[secret],
            assignment_id=assignment,
            necessity=f"Noodzaak {secret}",
            proportionality="p",
            subsidiarity="s",
            targeting="g",
            term_months=3,
            marking=MarkingIn.of(marking),
        ),
        on=today,
    )
    service.submit(session, principal=author, permission_id=pid)
    service.team_lead(session, principal=author, permission_id=pid, outcome="forwarded")
    minister = external(
        author, "minister_office", rules.minister_organisation(marking.owner.value), marking
    )
    service.decide(session, principal=minister, permission_id=pid, outcome="permitted")
    tib = external(author, "tib", rules.tib_organisation(), marking)
    # Reviewed long enough ago that the term ends within the reminder lead time.
    service.decide(
        session, principal=tib, permission_id=pid, outcome="lawful", on=today - timedelta(days=80)
    )
    return {"permission_id": pid}


def make_complaint(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    cid = complaints.create_complaint(
        session,
        principal=author,
        data=complaints.ComplaintCreate(
            subject=f"Klacht {secret}",
            body=secret,
            received_on=date(2026, 5, 1),
            marking=MarkingIn.of(marking),
        ),
    )
    minister = external(
        author, "minister_office", rules.minister_organisation(marking.owner.value), marking
    )
    complaints.decide_complaint(
        session, principal=minister, complaint_id=cid, outcome="answered", note="Antwoord"
    )
    ctivd = external(author, "overseer", "CTIVD", marking)
    complaints.decide_complaint(session, principal=ctivd, complaint_id=cid, outcome="received")
    return {"complaint_id": cid}


FIXTURES = [
    LeakFixture("permission", TOESTEMMING, make_permission),
    LeakFixture("complaint", KLACHT, make_complaint),
]


def _decision(p: dict[str, Any]) -> dict[str, Any]:
    return {"outcome": "?", "note": ""}


CASES = [
    LeakCase("GET", "/toestemmingen"),
    LeakCase("GET", "/toestemmingen/nieuw"),
    LeakCase("POST", "/toestemmingen", form=lambda p: {"power": "interceptie", "title": "x"}),
    LeakCase("GET", "/toestemmingen/{permission_id}", fixture="permission"),
    LeakCase("POST", "/toestemmingen/{permission_id}/indienen", fixture="permission", form=dict),
    LeakCase(
        "POST", "/toestemmingen/{permission_id}/teamleider", fixture="permission", form=_decision
    ),
    LeakCase(
        "POST", "/toestemmingen/{permission_id}/besluit", fixture="permission", form=_decision
    ),
    LeakCase(
        "POST", "/toestemmingen/{permission_id}/verlengen", fixture="permission", form=dict, order=1
    ),
    LeakCase("GET", "/toezicht"),
    LeakCase("GET", "/toezicht/dashboard"),
    LeakCase("GET", "/toezicht/klachten"),
    LeakCase("POST", "/toezicht/klachten", form=lambda p: {"subject": "x"}),
    LeakCase("GET", "/toezicht/klachten/{complaint_id}", fixture="complaint"),
    LeakCase(
        "POST", "/toezicht/klachten/{complaint_id}/besluit", fixture="complaint", form=_decision
    ),
    LeakCase("GET", "/api/v1/oversight/permissions"),
    LeakCase("POST", "/api/v1/oversight/permissions", json=lambda p: {"power": "x"}),
    LeakCase("GET", "/api/v1/oversight/permissions/{permission_id}", fixture="permission"),
    LeakCase("GET", "/api/v1/oversight/permissions/{permission_id}/usable", fixture="permission"),
    LeakCase(
        "POST",
        "/api/v1/oversight/permissions/{permission_id}/submit",
        fixture="permission",
        json=dict,
    ),
    LeakCase(
        "POST",
        "/api/v1/oversight/permissions/{permission_id}/team-lead",
        fixture="permission",
        json=_decision,
    ),
    LeakCase(
        "POST",
        "/api/v1/oversight/permissions/{permission_id}/decision",
        fixture="permission",
        json=_decision,
    ),
    LeakCase(
        "POST",
        "/api/v1/oversight/permissions/{permission_id}/renew",
        fixture="permission",
        json=dict,
        order=1,
    ),
    LeakCase("GET", "/api/v1/oversight/complaints"),
    LeakCase("POST", "/api/v1/oversight/complaints", json=lambda p: {"subject": "x"}),
    LeakCase("GET", "/api/v1/oversight/complaints/{complaint_id}", fixture="complaint"),
    LeakCase(
        "POST",
        "/api/v1/oversight/complaints/{complaint_id}/decision",
        fixture="complaint",
        json=_decision,
    ),
    LeakCase("GET", "/api/v1/oversight/dashboard"),
]
