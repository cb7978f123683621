"""Notice services: the only way in. Every read goes through the policy filter and is
audited; every write is checked against the policy and audited."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking, summary
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.sanitise import Sanitiser
from baken.notices.models import Notice
from baken.notices.schemas import NoticeCreate, NoticePublic

KIND = "mededeling"


def _visible(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, KIND, Notice.marking_id)


def _public(session: Session, principal: Principal, rows: list[Notice]) -> list[NoticePublic]:
    marks = load(session, {r.marking_id for r in rows})
    author_ids = {r.author_id for r in rows}
    names = session.execute(select(User.id, User.display_name).where(User.id.in_(author_ids)))
    authors = {user_id: name for user_id, name in names}
    # A link to the source of a sanitised version is itself information: keep it only
    # when the source is readable.
    sources = {r.sanitised_from_id for r in rows if r.sanitised_from_id}
    readable_sources = (
        set(session.scalars(select(Notice.id).where(Notice.id.in_(sources), _visible(principal))))
        if sources
        else set()
    )
    return [
        NoticePublic(
            id=r.id,
            title=r.title,
            body=r.body,
            marking=marks[r.marking_id],
            author=authors.get(r.author_id, "?"),
            created_at=r.created_at,
            sanitised_from_id=r.sanitised_from_id
            if r.sanitised_from_id in readable_sources
            else None,
        )
        for r in rows
    ]


def create(session: Session, *, principal: Principal, data: NoticeCreate) -> NoticePublic:
    marking = data.marking.to_marking()
    policy.require_write(principal, KIND, marking)
    row = Notice(
        title=data.title,
        body=data.body,
        marking_id=intern(session, marking),
        author_id=principal.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="notice.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
    )
    return _public(session, principal, [row])[0]


def list_notices(
    session: Session, *, principal: Principal, limit: int = 50, offset: int = 0
) -> tuple[list[NoticePublic], int]:
    where = _visible(principal)
    total = session.scalar(select(func.count()).select_from(Notice).where(where))
    rows = list(
        session.scalars(
            select(Notice)
            .where(where)
            .order_by(Notice.created_at.desc(), Notice.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    items = _public(session, principal, rows)
    audit.record(
        session,
        principal=principal,
        action="notice.list",
        kind=KIND,
        marking=_high(items),
        details={"ids": [n.id for n in items]},
    )
    return items, int(total or 0)


def _high(items: list[NoticePublic]) -> Marking | None:
    return summary(n.marking for n in items) if items else None


def get(session: Session, *, principal: Principal, notice_id: int) -> NoticePublic:
    row = session.scalar(select(Notice).where(Notice.id == notice_id, _visible(principal)))
    if row is None:
        raise LookupError(notice_id)
    item = _public(session, principal, [row])[0]
    audit.record(
        session,
        principal=principal,
        action="notice.read",
        kind=KIND,
        object_id=row.id,
        marking=item.marking,
    )
    return item


def _source_marking(session: Session, notice_id: int) -> Marking | None:
    marking_id = session.scalar(select(Notice.marking_id).where(Notice.id == notice_id))
    return None if marking_id is None else load_one(session, marking_id)


def _create_sanitised(
    session: Session,
    principal: Principal,
    fields: dict[str, str],
    marking: Marking,
    source_id: int,
) -> int:
    # The approver writes the new object; the requester wrote its text.
    row = Notice(
        title=fields["title"],
        body=fields["body"],
        marking_id=intern(session, marking),
        author_id=principal.id,
        sanitised_from_id=source_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="notice.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"sanitised_from": source_id},
    )
    return row.id


SANITISER = Sanitiser(
    kind=KIND,
    fields=("title", "body"),
    source_marking=_source_marking,
    create=_create_sanitised,
    url="/mededelingen/{id}",
)
