"""The one read/write rule of Baken, in Python and as a SQL filter.

Read is allowed when

1. one of the principal's roles may read the kind of object;
2. clearance >= the marking's level;
3. the marking's compartments are a subset of the principal's (oversight waives this);
4. the service rule admits the principal: internal staff read what their service owns,
   what is joint, and what is released to their service; external principals read only
   what is released to their organisation (oversight waives this rule).

:func:`can_read` is the reference; :func:`read_filter` compiles the same rule to SQL and
every query of a marked table must use it. A property test checks that the two agree.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, and_, exists, false, or_, select

from baken.core.i18n import N_
from baken.core.markings import Marking, MarkingError, Service, high_water
from baken.core.models import MarkingCompartment, MarkingReleasability, MarkingRow
from baken.core.principals import ObjectKind, Principal
from baken.plugins import registry


class PolicyDenied(PermissionError):
    """The principal may not do this. Routes turn it into 403 (write) or 404 (read)."""


def kind(name: str) -> ObjectKind:
    kinds = registry().kinds()
    if name not in kinds:
        raise KeyError(f"unknown object kind {name!r}")
    return kinds[name]


def role_may_read(principal: Principal, kind_name: str) -> bool:
    return bool(principal.roles & kind(kind_name).read_roles)


def role_may_write(principal: Principal, kind_name: str) -> bool:
    return bool(principal.roles & kind(kind_name).write_roles)


def _service_rule(principal: Principal, marking: Marking) -> bool:
    if principal.is_overseer:
        return True
    if principal.is_external:
        return principal.organisation is not None and principal.organisation in (
            marking.releasable_to
        )
    assert principal.service is not None
    return principal.service in marking.reader_services()


def marking_readable(principal: Principal, marking: Marking) -> bool:
    """The marking part of the rule (2-4), without the role check."""
    if principal.clearance < marking.level:
        return False
    if not principal.is_overseer and not marking.compartments <= principal.compartments:
        return False
    return _service_rule(principal, marking)


def can_read(principal: Principal, kind_name: str, marking: Marking) -> bool:
    return role_may_read(principal, kind_name) and marking_readable(principal, marking)


def can_write(principal: Principal, kind_name: str, marking: Marking) -> bool:
    """Write (create or change) an object at ``marking``.

    Besides the role, the writer must be able to read the marking (no one creates what
    they could not read back) and be internal: partners receive, they do not write.
    """
    if principal.is_external or not role_may_write(principal, kind_name):
        return False
    return marking_readable(principal, marking)


def require_read(principal: Principal, kind_name: str, marking: Marking) -> None:
    if not can_read(principal, kind_name, marking):
        raise PolicyDenied(kind_name)


def require_write(principal: Principal, kind_name: str, marking: Marking) -> None:
    if not can_write(principal, kind_name, marking):
        raise PolicyDenied(kind_name)


def readable_markings(principal: Principal) -> Select[tuple[int]]:
    """SELECT of the ids of every marking the principal may read (rule 2-4)."""
    m = MarkingRow.__table__.c
    conds: list[ColumnElement[bool]] = [m.level <= int(principal.clearance)]
    if not principal.is_overseer:
        mc = MarkingCompartment.__table__.c
        conds.append(
            ~exists().where(
                mc.marking_id == m.id,
                mc.compartment.not_in(sorted(principal.compartments)),
            )
        )
        rel = MarkingReleasability.__table__.c
        if principal.is_external:
            conds.append(
                exists().where(rel.marking_id == m.id, rel.recipient == principal.organisation)
            )
        else:
            assert principal.service is not None
            conds.append(
                or_(
                    m.owner.in_([Service.JOINT.value, principal.service.value]),
                    exists().where(
                        rel.marking_id == m.id, rel.recipient == principal.service.value
                    ),
                )
            )
    return select(m.id).where(and_(*conds))


def read_filter(
    principal: Principal, kind_name: str, marking_id: SQLColumnExpression[int]
) -> ColumnElement[bool]:
    """The WHERE clause for a query of a marked table with column ``marking_id``."""
    if not role_may_read(principal, kind_name):
        return false()
    return marking_id.in_(readable_markings(principal))


def readable_kinds(principal: Principal) -> list[str]:
    return sorted(k.name for k in registry().kinds().values() if principal.roles & k.read_roles)


def read_filter_any_kind(
    principal: Principal,
    kind_name: SQLColumnExpression[str],
    marking_id: SQLColumnExpression[int],
) -> ColumnElement[bool]:
    """As :func:`read_filter`, for tables whose rows are of several kinds (a column)."""
    return and_(
        kind_name.in_(readable_kinds(principal)), marking_id.in_(readable_markings(principal))
    )


def derived_marking(sources: list[Marking], floor: Marking | None = None) -> Marking:
    """The marking of derived work: the high-water mark of its sources (and a floor the
    author chose). It can only be raised afterwards, never lowered in place."""
    return high_water([*sources, *([floor] if floor else [])])


def check_remark(old: Marking, new: Marking) -> None:
    """Changing an object's marking in place may only raise it; lowering it is a
    sanitisation, which creates a new object (:mod:`baken.core.sanitise`)."""
    if not new.dominates(old):
        raise MarkingError(N_("a marking can only be raised in place; lowering is a sanitisation"))


__all__ = [
    "PolicyDenied",
    "can_read",
    "can_write",
    "check_remark",
    "derived_marking",
    "high_water",
    "read_filter",
    "readable_markings",
]
