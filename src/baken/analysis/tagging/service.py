"""Tags of documents and entities to GA I&V themes and requirements.

The automatic tagger (:mod:`baken.analysis.tagging.tagger`) proposes tags as material
arrives (:func:`score_arrival`, called by the holdings pipeline when a document is
processed) or when ``baken tag`` (re)tags what its user may read (:func:`retag`).
Analysts confirm or reject each proposal once, and add tags by hand.

Markings: a theme tag carries its item's marking (a document's; for an entity the
high-water marking of the statements the tagger read). A tag to a requirement is derived
from the requirement as well, so it carries the high-water marking of the item and the
requirement: the ref of a secret requirement is no more readable through a tag than
through steering. Every read here goes through :func:`baken.core.policy.read_filter` in
the query, on the tag and on the item it tags; every read and write is audited.

The "active" requirements are those of the latest established (``vastgesteld``) GA
version; for a reader, the latest established version they may read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from baken.analysis.tagging import tagger
from baken.analysis.tagging.models import Tag
from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking, MarkingError
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.holdings.models import Document, Statement
from baken.holdings.service import documents as document_service
from baken.holdings.vocab import ENTITY
from baken.steering import vocab as steering_vocab
from baken.steering.models import GaVersion, Requirement

KIND = "label"
REQUIREMENT_KIND = "ga_behoefte"
ESTABLISHED = "vastgesteld"
STATUSES = ("proposed", "confirmed", "rejected")
DECISIONS = ("confirmed", "rejected")
SOURCES = ("auto", "analyst")
PAGE = 50
MAX_NOTE = 2000
MAX_ENTITY_TEXT = 20_000


class TaggingError(DomainError):
    """A tagging request that is refused, with the reason."""


# --- views -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TagView:
    id: int
    document_id: int | None
    entity_id: str | None
    collection_id: int
    item_title: str
    theme: str
    requirement_ref: str | None
    source: str
    status: str
    score: float
    explanation: dict[str, Any]
    marking: Marking
    created_at: datetime
    created_by: str
    decided_by: str | None
    decided_at: datetime | None

    @property
    def item_url(self) -> str:
        if self.document_id is not None:
            return f"/documenten/{self.document_id}"
        return f"/entiteiten/{self.entity_id}"


@dataclass
class TagPage:
    items: list[TagView] = field(default_factory=list)
    total: int = 0
    page: int = 1
    counts: dict[str, int] = field(default_factory=dict)  # per status, same filters otherwise

    @property
    def pages(self) -> int:
        return max(1, (self.total + PAGE - 1) // PAGE)


@dataclass(frozen=True, slots=True)
class RequirementView:
    ref: str
    theme: str
    question: str
    priority: int
    marking: Marking
    proposed: int = 0
    confirmed: int = 0


@dataclass(frozen=True, slots=True)
class Feed:
    requirement: RequirementView
    page: TagPage


# --- filters ---------------------------------------------------------------------------------


def _tags_readable(principal: Principal) -> ColumnElement[bool]:
    """A tag is readable when the tag's marking is, and so is the item it tags (a reader
    of tags whose role may not read documents or entities sees none of them)."""
    doc_ok = Tag.document_id.in_(select(Document.id).where(document_service.visible(principal)))
    entity_ok = Tag.entity_id.in_(
        select(Statement.entity_id).where(
            policy.read_filter(principal, ENTITY, Statement.marking_id)
        )
    )
    return and_(
        policy.read_filter(principal, KIND, Tag.marking_id),
        or_(and_(Tag.document_id.is_not(None), doc_ok), and_(Tag.document_id.is_(None), entity_ok)),
    )


def _requirements_readable(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, REQUIREMENT_KIND, Requirement.marking_id)


def _active_version(session: Session, principal: Principal | None) -> int | None:
    query = select(GaVersion.id).where(GaVersion.status == ESTABLISHED)
    if principal is not None:
        query = query.where(policy.read_filter(principal, REQUIREMENT_KIND, GaVersion.marking_id))
    return session.scalar(
        query.order_by(GaVersion.established_at.desc(), GaVersion.id.desc()).limit(1)
    )


def _active_requirements(session: Session, principal: Principal | None) -> list[Requirement]:
    version_id = _active_version(session, principal)
    if version_id is None:
        return []
    query = select(Requirement).where(Requirement.ga_version_id == version_id)
    if principal is not None:
        query = query.where(_requirements_readable(principal))
    return list(session.scalars(query.order_by(Requirement.ref)))


def themes() -> list[str]:
    return steering_vocab.codes("themes")


# --- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    document_id: int | None
    entity_id: str | None
    collection_id: int
    text: str
    marking: Marking


def _document_item(row: Document, marking: Marking) -> _Item:
    text = "\n".join(t for t in (row.title, row.text) if t)
    return _Item(row.id, None, row.collection_id, text, marking)


def _entity_item(session: Session, principal: Principal, entity_id: str) -> _Item:
    stmts = list(
        session.scalars(
            select(Statement)
            .where(
                Statement.entity_id == entity_id,
                policy.read_filter(principal, ENTITY, Statement.marking_id),
            )
            .order_by(Statement.prop, Statement.value)
        )
    )
    if not stmts:
        raise LookupError(entity_id)
    markings = load(session, {s.marking_id for s in stmts})
    try:
        marking = policy.derived_marking(list(markings.values()))
    except MarkingError:
        raise TaggingError(N_("no one marking covers this entity's statements")) from None
    text = "\n".join(s.value for s in stmts)[:MAX_ENTITY_TEXT]
    return _Item(None, entity_id, stmts[0].collection_id, text, marking)


def _store_proposals(
    session: Session,
    item: _Item,
    requirements: list[Requirement],
    created_by: int,
    principal: Principal | None,
) -> list[int]:
    """Replace the item's undecided automatic tags with the tagger's proposals (tags an
    analyst decided or added stay, and are not proposed again).

    Only tags the scorer may read are looked at, and of those only the proposals at the
    markings this scoring produces are replaced: a reader who sees less of an entity
    neither removes nor learns of the proposals made from what others see (``principal``
    None is the system scoring a document on arrival, which sees all of it)."""
    same_item = (
        Tag.document_id == item.document_id
        if item.document_id is not None
        else Tag.entity_id == item.entity_id
    )
    query = select(Tag).where(same_item)
    if principal is not None:
        query = query.where(policy.read_filter(principal, KIND, Tag.marking_id))
    existing = list(session.scalars(query))
    kept = {
        (t.theme, t.requirement_ref)
        for t in existing
        if t.status != "proposed" or t.source != "auto"
    }
    by_ref = {r.ref: r for r in requirements}
    refs = [tagger.RequirementRef(r.ref, r.theme, r.question) for r in requirements]
    req_markings = load(session, {r.marking_id for r in requirements})
    planned: list[tuple[tagger.Proposal, Marking]] = []
    for p in tagger.propose(item.text, refs):
        marking = item.marking
        if p.requirement_ref is not None:
            try:
                marking = policy.derived_marking(
                    [item.marking, req_markings[by_ref[p.requirement_ref].marking_id]]
                )
            except MarkingError:
                continue  # no one may read both: this pairing cannot be recorded
        if (p.theme, p.requirement_ref) not in kept:
            planned.append((p, marking))
    produced = {intern(session, item.marking), *(intern(session, m) for _, m in planned)}
    for t in existing:
        # A document reads the same to everyone: all its (readable) proposals are
        # replaced. An entity reads differently per reader: only this view's are.
        this_view = item.document_id is not None or t.marking_id in produced
        if t.status == "proposed" and t.source == "auto" and this_view:
            session.delete(t)
    session.flush()
    ids: list[int] = []
    for p, marking in planned:
        tag = Tag(
            document_id=item.document_id,
            entity_id=item.entity_id,
            collection_id=item.collection_id,
            theme=p.theme,
            requirement_ref=p.requirement_ref,
            source="auto",
            status="proposed",
            score=round(p.score, 4),
            explanation=p.explanation,
            marking_id=intern(session, marking),
            created_by=created_by,
        )
        session.add(tag)
        session.flush()
        ids.append(tag.id)
        audit.record(
            session,
            principal=principal,
            actor="tagger",
            action="tag.propose",
            kind=KIND,
            object_id=tag.id,
            marking=marking,
            details={
                "document": item.document_id,
                "entity": item.entity_id,
                "theme": p.theme,
                "requirement": p.requirement_ref,
                "score": round(p.score, 4),
            },
        )
    return ids


def score_arrival(session: Session, *, document_id: int) -> list[int]:
    """Score a newly processed document against the active requirements and store the
    proposals at its marking. Called by the holdings pipeline in the transaction that
    finishes the document (a system step: the tags are created on behalf of the user
    who ingested it, audited as the tagger)."""
    row = session.get(Document, document_id)
    if row is None or not (row.text or row.title):
        return []
    item = _document_item(row, load_one(session, row.marking_id))
    return _store_proposals(
        session, item, _active_requirements(session, None), row.created_by, None
    )


def score_entity(session: Session, *, principal: Principal, entity_id: str) -> list[int]:
    """Score an entity from the statements ``principal`` may read."""
    item = _entity_item(session, principal, entity_id)
    policy.require_write(principal, KIND, item.marking)
    return _store_proposals(
        session, item, _active_requirements(session, principal), principal.id, principal
    )


def retag_targets(
    session: Session, *, principal: Principal, collection_id: int | None = None
) -> list[int]:
    """The ids of the processed documents ``principal`` may read (in one collection)."""
    if not policy.role_may_write(principal, KIND) or principal.is_external:
        raise policy.PolicyDenied(N_("you may not tag material"))
    query = select(Document.id).where(Document.state == "done", document_service.visible(principal))
    if collection_id is not None:
        query = query.where(Document.collection_id == collection_id)
    return list(session.scalars(query.order_by(Document.id)))


def retag(
    session: Session,
    *,
    principal: Principal,
    document_ids: Iterable[int],
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """(Re)score documents ``principal`` may read against the requirements they may read;
    returns the number of tags proposed."""
    requirements = _active_requirements(session, principal)
    proposed = 0
    for document_id in document_ids:
        row = session.scalar(
            select(Document).where(Document.id == document_id, document_service.visible(principal))
        )
        if row is None:
            raise LookupError(document_id)
        item = _document_item(row, load_one(session, row.marking_id))
        policy.require_write(principal, KIND, item.marking)
        proposed += len(_store_proposals(session, item, requirements, principal.id, principal))
        if on_progress is not None:
            on_progress(1)
    return proposed


# --- reading ---------------------------------------------------------------------------------


def _views(session: Session, principal: Principal, rows: list[Tag]) -> list[TagView]:
    markings = load(session, {r.marking_id for r in rows})
    user_ids = {r.created_by for r in rows} | {r.decided_by for r in rows if r.decided_by}
    names = {
        uid: name
        for uid, name in session.execute(
            select(User.id, User.username).where(User.id.in_(user_ids))
        )
    }
    doc_ids = {r.document_id for r in rows if r.document_id is not None}
    titles: dict[int, str] = {}
    if doc_ids:
        for doc_id, title, name in session.execute(
            select(Document.id, Document.title, Document.name).where(
                Document.id.in_(doc_ids), document_service.visible(principal)
            )
        ):
            titles[doc_id] = title or name
    entity_ids = {r.entity_id for r in rows if r.entity_id is not None}
    captions: dict[str, str] = {}
    if entity_ids:
        for entity_id, value in session.execute(
            select(Statement.entity_id, func.min(Statement.value))
            .where(
                Statement.entity_id.in_(entity_ids),
                Statement.prop == "name",
                policy.read_filter(principal, ENTITY, Statement.marking_id),
            )
            .group_by(Statement.entity_id)
        ):
            captions[entity_id] = value
    return [
        TagView(
            id=r.id,
            document_id=r.document_id,
            entity_id=r.entity_id,
            collection_id=r.collection_id,
            item_title=(
                titles.get(r.document_id, f"#{r.document_id}")
                if r.document_id is not None
                else captions.get(r.entity_id or "", r.entity_id or "")
            ),
            theme=r.theme,
            requirement_ref=r.requirement_ref,
            source=r.source,
            status=r.status,
            score=r.score,
            explanation=dict(r.explanation or {}),
            marking=markings[r.marking_id],
            created_at=r.created_at,
            created_by=names.get(r.created_by, "?"),
            decided_by=names.get(r.decided_by) if r.decided_by else None,
            decided_at=r.decided_at,
        )
        for r in rows
    ]


def _check_filters(theme: str | None, status: str | None) -> None:
    if theme is not None and theme not in themes():
        raise TaggingError(N_("unknown theme {theme}"), theme=theme[:16])
    if status is not None and status not in STATUSES:
        raise TaggingError(N_("unknown status {status}"), status=status[:16])


def _page(
    session: Session, principal: Principal, base: Select[Any], status: str | None, page: int
) -> TagPage:
    counts = {
        s: n
        for s, n in session.execute(
            base.with_only_columns(Tag.status, func.count()).group_by(Tag.status).order_by(None)
        )
    }
    query = base.where(Tag.status == status) if status else base
    total = session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    rows = list(
        session.scalars(
            query.order_by(Tag.created_at.desc(), Tag.id.desc())
            .limit(PAGE)
            .offset((page - 1) * PAGE)
        )
    )
    return TagPage(_views(session, principal, rows), total, page, counts)


def list_tags(
    session: Session,
    *,
    principal: Principal,
    theme: str | None = None,
    requirement_ref: str | None = None,
    status: str | None = None,
    document_id: int | None = None,
    page: int = 1,
) -> TagPage:
    """The tags ``principal`` may read, newest first, with counts per status."""
    _check_filters(theme, status)
    base = select(Tag).where(_tags_readable(principal))
    if theme:
        base = base.where(Tag.theme == theme)
    if requirement_ref:
        base = base.where(Tag.requirement_ref == requirement_ref)
    if document_id is not None:
        base = base.where(Tag.document_id == document_id)
    found = _page(session, principal, base, status, max(1, page))
    audit.record(
        session,
        principal=principal,
        action="tag.list",
        kind=KIND,
        details={
            "theme": theme,
            "requirement": requirement_ref,
            "status": status,
            "shown": [t.id for t in found.items],
        },
    )
    return found


def _tag_row(session: Session, principal: Principal, tag_id: int) -> Tag:
    row = session.scalar(select(Tag).where(Tag.id == tag_id, _tags_readable(principal)))
    if row is None:
        raise LookupError(tag_id)
    return row


def get_tag(session: Session, *, principal: Principal, tag_id: int) -> TagView:
    row = _tag_row(session, principal, tag_id)
    view = _views(session, principal, [row])[0]
    audit.record(
        session,
        principal=principal,
        action="tag.read",
        kind=KIND,
        object_id=row.id,
        marking=view.marking,
    )
    return view


def requirements(session: Session, *, principal: Principal) -> list[RequirementView]:
    """The active requirements ``principal`` may read, with the tags they may read."""
    rows = _active_requirements(session, principal)
    counts: Counter[tuple[str, str]] = Counter()
    if rows:
        for ref, status, n in session.execute(
            select(Tag.requirement_ref, Tag.status, func.count())
            .where(Tag.requirement_ref.in_([r.ref for r in rows]), _tags_readable(principal))
            .group_by(Tag.requirement_ref, Tag.status)
        ):
            counts[(ref or "", status)] = n
    markings = load(session, {r.marking_id for r in rows})
    return [
        RequirementView(
            r.ref,
            r.theme,
            r.question,
            r.priority,
            markings[r.marking_id],
            counts[(r.ref, "proposed")],
            counts[(r.ref, "confirmed")],
        )
        for r in rows
    ]


def _requirement(session: Session, principal: Principal, ref: str) -> RequirementView:
    version_id = _active_version(session, principal)
    row = (
        session.scalar(
            select(Requirement).where(
                Requirement.ga_version_id == version_id,
                Requirement.ref == ref,
                _requirements_readable(principal),
            )
        )
        if version_id is not None
        else None
    )
    if row is None:
        raise LookupError(ref)
    return RequirementView(
        row.ref, row.theme, row.question, row.priority, load_one(session, row.marking_id)
    )


def feed(
    session: Session, *, principal: Principal, ref: str, status: str | None = None, page: int = 1
) -> Feed:
    """A requirement's incoming material: the tags to it, and the tags to its theme that
    name no requirement, newest first (rejected ones only when asked for)."""
    _check_filters(None, status)
    requirement = _requirement(session, principal, ref)
    base = select(Tag).where(
        _tags_readable(principal),
        or_(
            Tag.requirement_ref == requirement.ref,
            and_(Tag.theme == requirement.theme, Tag.requirement_ref.is_(None)),
        ),
    )
    if status is None:
        base = base.where(Tag.status != "rejected")
    found = _page(session, principal, base, status, max(1, page))
    audit.record(
        session,
        principal=principal,
        action="tag.feed",
        kind=KIND,
        object_id=ref,
        marking=requirement.marking,
        details={"shown": [t.id for t in found.items]},
    )
    return Feed(requirement, found)


def coverage(session: Session, *, principal: Principal) -> dict[str, dict[str, int]]:
    """Confirmed tagged items ``principal`` may read, per requirement ref and per theme:
    ``{"requirements": {ref: n}, "themes": {theme: n}}`` (distinct items)."""
    # distinct items: documents and entities counted apart (COUNT DISTINCT skips NULLs)
    items = func.count(func.distinct(Tag.document_id)) + func.count(func.distinct(Tag.entity_id))
    readable = and_(Tag.status == "confirmed", _tags_readable(principal))
    per_req = {
        str(ref): int(n)
        for ref, n in session.execute(
            select(Tag.requirement_ref, items)
            .where(readable, Tag.requirement_ref.is_not(None))
            .group_by(Tag.requirement_ref)
        )
    }
    per_theme = {
        str(theme): int(n)
        for theme, n in session.execute(
            select(Tag.theme, items).where(readable).group_by(Tag.theme)
        )
    }
    audit.record(session, principal=principal, action="tag.coverage", kind=KIND)
    return {"requirements": per_req, "themes": per_theme}


# --- writing ---------------------------------------------------------------------------------


def decide(session: Session, *, principal: Principal, tag_id: int, decision: str) -> TagView:
    """Confirm or reject a proposed tag, once."""
    if decision not in DECISIONS:
        raise TaggingError(N_("unknown decision {decision}"), decision=decision[:16])
    row = _tag_row(session, principal, tag_id)
    marking = load_one(session, row.marking_id)
    policy.require_write(principal, KIND, marking)
    if row.status != "proposed":
        raise TaggingError(N_("this tag has already been decided"))
    row.status, row.decided_by, row.decided_at = decision, principal.id, utcnow()
    session.flush()
    audit.record(
        session,
        principal=principal,
        action=f"tag.{'confirm' if decision == 'confirmed' else 'reject'}",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"theme": row.theme, "requirement": row.requirement_ref},
    )
    return _views(session, principal, [row])[0]


def add(
    session: Session,
    *,
    principal: Principal,
    theme: str,
    document_id: int | None = None,
    entity_id: str | None = None,
    requirement_ref: str | None = None,
    note: str = "",
) -> int:
    """An analyst's own tag (confirmed at once) of a document or an entity they may read."""
    if not policy.role_may_write(principal, KIND) or principal.is_external:
        raise policy.PolicyDenied(N_("you may not tag material"))
    if (document_id is None) == (entity_id is None):
        raise TaggingError(N_("tag either a document or an entity"))
    if theme not in themes():
        raise TaggingError(N_("unknown theme {theme}"), theme=theme[:16])
    if len(note) > MAX_NOTE:
        raise TaggingError(N_("the note is longer than {max} characters"), max=MAX_NOTE)
    sources: list[Marking] = []
    if requirement_ref:
        try:
            requirement = _requirement(session, principal, requirement_ref)
        except LookupError:
            raise TaggingError(N_("unknown requirement {ref}"), ref=requirement_ref[:32]) from None
        if requirement.theme != theme:
            raise TaggingError(
                N_("requirement {ref} belongs to theme {theme}"),
                ref=requirement.ref,
                theme=requirement.theme,
            )
        sources.append(requirement.marking)
    if document_id is not None:
        row = session.scalar(
            select(Document).where(Document.id == document_id, document_service.visible(principal))
        )
        if row is None:
            raise LookupError(document_id)
        item = _document_item(row, load_one(session, row.marking_id))
    else:
        assert entity_id is not None
        item = _entity_item(session, principal, entity_id)
    try:
        marking = policy.derived_marking([item.marking, *sources])
    except MarkingError:
        raise TaggingError(N_("no one marking covers this item and this requirement")) from None
    policy.require_write(principal, KIND, marking)
    same_item = (
        Tag.document_id == document_id if document_id is not None else Tag.entity_id == entity_id
    )
    duplicate = session.scalar(
        select(Tag.id).where(
            same_item,
            Tag.theme == theme,
            Tag.requirement_ref == requirement_ref
            if requirement_ref
            else Tag.requirement_ref.is_(None),
            Tag.status != "rejected",
            policy.read_filter(principal, KIND, Tag.marking_id),
        )
    )
    if duplicate is not None:
        raise TaggingError(N_("this item already has this tag"))
    now = utcnow()
    tag = Tag(
        document_id=item.document_id,
        entity_id=item.entity_id,
        collection_id=item.collection_id,
        theme=theme,
        requirement_ref=requirement_ref or None,
        source="analyst",
        status="confirmed",
        score=1.0,
        explanation={"method": "analyst", "note": note.strip()},
        marking_id=intern(session, marking),
        created_by=principal.id,
        decided_by=principal.id,
        decided_at=now,
    )
    session.add(tag)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="tag.add",
        kind=KIND,
        object_id=tag.id,
        marking=marking,
        details={
            "document": document_id,
            "entity": entity_id,
            "theme": theme,
            "requirement": requirement_ref,
        },
    )
    return tag.id
