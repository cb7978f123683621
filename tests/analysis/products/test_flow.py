"""The product flow through the services: draft, cite, submit, approve (four eyes),
release; each refusal stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from baken.analysis.products import dissemination, service
from baken.analysis.products.models import Consent, Product, ProductCitation, Release
from baken.analysis.products.service import ProductError
from baken.core.db import transaction
from baken.core.markings import Level, Marking
from baken.core.models import AuditEntry
from tests.analysis.products.conftest import CONF_JOINT, PARTNER_A, SECRET_AIVD, Desk


def _new(desk: Desk, **kw: Any) -> int:
    with transaction(desk.factory) as s:
        return service.create(
            s,
            principal=desk.author,
            type=kw.pop("type", "dreigingsinschatting"),
            title=kw.pop("title", "Dreiging havens"),
            summary_text="Samenvatting.",
            body="Tekst.",
            **kw,
        )


def _cite(desk: Desk, product_id: int, marking: Marking, name: str) -> dict[str, Any]:
    src = desk.source(marking, name)
    with transaction(desk.factory) as s:
        service.cite(
            s,
            principal=desk.author,
            product_id=product_id,
            kind="document",
            target_id=str(src["document_id"]),
        )
    return src


def _counts(desk: Desk) -> tuple[int, int, int, int, str]:
    with transaction(desk.factory) as s:
        return (
            s.scalar(select(func.count()).select_from(ProductCitation)) or 0,
            s.scalar(select(func.count()).select_from(Release)) or 0,
            s.scalar(select(func.count()).select_from(Consent)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            ",".join(str(p.status) for p in s.scalars(select(Product).order_by(Product.id))),
        )


def _approved(
    desk: Desk, marking: Marking = CONF_JOINT, recipients: tuple[str, ...] = ("NCTV",)
) -> int:
    pid = _new(desk)
    _cite(desk, pid, marking, "Jansen")
    with transaction(desk.factory) as s:
        service.submit(s, principal=desk.author, product_id=pid)
    with transaction(desk.factory) as s:
        service.approve(s, principal=desk.lead, product_id=pid, recipients=recipients)
    return pid


def test_the_whole_flow_to_the_nctv(desk: Desk) -> None:
    pid = _new(desk)
    with transaction(desk.factory) as s:
        assert service.get(s, principal=desk.author, product_id=pid).marking.level is (
            Level.DEP_VERTROUWELIJK
        )
    _cite(desk, pid, CONF_JOINT, "Jansen")
    with transaction(desk.factory) as s:
        view = service.get(s, principal=desk.author, product_id=pid)
        # high water of the source (Stg. C, joint) and the author's floor (AIVD)
        assert view.marking.level is Level.STG_CONFIDENTIEEL
        assert view.marking.owner.value == "AIVD"
        assert [c.kind for c in view.citations] == ["document"]
        service.submit(s, principal=desk.author, product_id=pid)
    with transaction(desk.factory) as s:
        service.approve(s, principal=desk.lead, product_id=pid, recipients=["NCTV", "OM"])
    with transaction(desk.factory) as s:
        rid = dissemination.release(s, principal=desk.lead, product_id=pid, recipient="NCTV")
    with transaction(desk.factory) as s:
        view = service.get(s, principal=desk.author, product_id=pid)
        assert view.status == "released"
        assert view.recipients == ["NCTV", "OM"]
        assert view.approved_by == "Teamleider"
        assert [r.recipient for r in view.releases] == ["NCTV"]
        # the NCTV reads the release, not the product
        seen = dissemination.releases(s, principal=desk.nctv)
        assert [r.id for r in seen] == [rid]
        assert seen[0].content["title"] == "Dreiging havens"
        assert seen[0].marking.releasable_to == frozenset({"NCTV"})
        with pytest.raises(LookupError):
            service.get(s, principal=desk.nctv, product_id=pid)
        assert dissemination.releases(s, principal=desk.partner_a) == []
        with pytest.raises(LookupError):
            dissemination.get_release(s, principal=desk.partner_a, release_id=rid)
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    for action in (
        "product.create",
        "product.cite",
        "product.submit",
        "product.approve",
        "product.release",
        "release.list",
    ):
        assert action in actions


def test_marking_rises_with_sources_and_never_falls(desk: Desk) -> None:
    pid = _new(desk)
    _cite(desk, pid, SECRET_AIVD, "Pietersen")
    with transaction(desk.factory) as s:
        view = service.get(s, principal=desk.author, product_id=pid)
        assert view.marking.level is Level.STG_GEHEIM
        service.uncite(s, principal=desk.author, product_id=pid, citation_id=view.citations[0].id)
    with transaction(desk.factory) as s:
        assert service.get(s, principal=desk.author, product_id=pid).marking.level is (
            Level.STG_GEHEIM
        )
        # asking for a lower level leaves it where it is
        service.update(
            s,
            principal=desk.author,
            product_id=pid,
            title="T",
            summary_text="",
            body="",
            level=Level.DEP_VERTROUWELIJK,
        )
    with transaction(desk.factory) as s:
        assert service.get(s, principal=desk.author, product_id=pid).marking.level is (
            Level.STG_GEHEIM
        )
    # a reader below the product's level does not find it
    with transaction(desk.factory) as s, pytest.raises(LookupError):
        service.get(s, principal=desk.low, product_id=pid)


def test_citation_to_something_unreadable_is_refused_like_a_missing_one(desk: Desk) -> None:
    pid = _new(desk)
    hidden = desk.source(Marking.of("STG_ZEER_GEHEIM", "AIVD"), "Geheim")
    before = _counts(desk)
    messages: dict[str, set[str]] = {"document": set(), "entity": set()}
    for kind, target in (
        ("document", str(hidden["document_id"])),
        ("document", "999999"),
        ("entity", hidden["entity_id"]),
        ("entity", "geen-entiteit"),
    ):
        with transaction(desk.factory) as s, pytest.raises(ProductError) as err:
            service.cite(s, principal=desk.author, product_id=pid, kind=kind, target_id=target)
        messages[kind].add(err.value.message)
    # one refusal per kind, the same for hidden and missing: nothing tells them apart
    assert [len(m) for m in messages.values()] == [1, 1]
    assert all("may read" in m for ms in messages.values() for m in ms)
    assert _counts(desk)[:3] == before[:3]


def test_submit_without_sources_is_refused(desk: Desk) -> None:
    pid = _new(desk)
    before = _counts(desk)
    with transaction(desk.factory) as s, pytest.raises(ProductError, match="at least one source"):
        service.submit(s, principal=desk.author, product_id=pid)
    assert _counts(desk) == before


def test_four_eyes_the_author_cannot_approve(desk: Desk, people: Any) -> None:
    lead_author = people.add("schrijvende.lead", Level.STG_GEHEIM, {"analyst", "team_lead"})
    with transaction(desk.factory) as s:
        pid = service.create(s, principal=lead_author, type="ambtsbericht", title="Ambtsbericht")
    src = desk.source(CONF_JOINT, "Klaassen")
    with transaction(desk.factory) as s:
        service.cite(
            s,
            principal=lead_author,
            product_id=pid,
            kind="document",
            target_id=str(src["document_id"]),
        )
        service.submit(s, principal=lead_author, product_id=pid)
    before = _counts(desk)
    with transaction(desk.factory) as s, pytest.raises(ProductError, match="four eyes"):
        service.approve(s, principal=lead_author, product_id=pid, recipients=["OM"])
    with transaction(desk.factory) as s, pytest.raises(ProductError, match="team lead"):
        service.approve(s, principal=desk.author, product_id=pid, recipients=["OM"])
    assert _counts(desk) == before
    with transaction(desk.factory) as s:
        service.approve(s, principal=desk.lead, product_id=pid, recipients=["OM"])
        assert service.get(s, principal=desk.lead, product_id=pid).status == "approved"


def test_send_back_returns_a_draft_with_the_reason(desk: Desk) -> None:
    pid = _new(desk)
    _cite(desk, pid, CONF_JOINT, "Bakker")
    with transaction(desk.factory) as s:
        service.submit(s, principal=desk.author, product_id=pid)
    with transaction(desk.factory) as s, pytest.raises(ProductError, match="reason"):
        service.send_back(s, principal=desk.lead, product_id=pid, note=" ")
    with transaction(desk.factory) as s:
        service.send_back(s, principal=desk.lead, product_id=pid, note="Bron ontbreekt")
    with transaction(desk.factory) as s:
        view = service.get(s, principal=desk.author, product_id=pid)
        assert (view.status, view.review_note) == ("draft", "Bron ontbreekt")


@pytest.mark.parametrize(
    ("step", "match"),
    [
        ("approve", "only a submitted product can be approved"),
        ("release", "only an approved product can be released"),
        ("send_back", "only a submitted product can be sent back"),
    ],
)
def test_out_of_order_transitions_are_refused(desk: Desk, step: str, match: str) -> None:
    pid = _new(desk)
    _cite(desk, pid, CONF_JOINT, "Visser")
    before = _counts(desk)
    calls = {
        "approve": lambda s: service.approve(
            s, principal=desk.lead, product_id=pid, recipients=["NCTV"]
        ),
        "release": lambda s: dissemination.release(
            s, principal=desk.lead, product_id=pid, recipient="NCTV"
        ),
        "send_back": lambda s: service.send_back(s, principal=desk.lead, product_id=pid, note="x"),
    }
    with transaction(desk.factory) as s, pytest.raises(ProductError, match=match):
        calls[step](s)
    assert _counts(desk) == before


def test_submitted_and_approved_products_cannot_be_edited_or_resubmitted(desk: Desk) -> None:
    pid = _approved(desk)
    before = _counts(desk)
    with transaction(desk.factory) as s, pytest.raises(ProductError, match="only a draft"):
        service.update(
            s, principal=desk.author, product_id=pid, title="X", summary_text="", body=""
        )
    with transaction(desk.factory) as s, pytest.raises(ProductError, match="only a draft"):
        service.submit(s, principal=desk.author, product_id=pid)
    src = desk.source(CONF_JOINT, "Later")
    before = _counts(desk)
    with transaction(desk.factory) as s, pytest.raises(ProductError, match="only a draft"):
        service.cite(
            s,
            principal=desk.author,
            product_id=pid,
            kind="document",
            target_id=str(src["document_id"]),
        )
    assert _counts(desk) == before


def test_release_to_a_recipient_not_on_the_list_is_refused(desk: Desk) -> None:
    pid = _approved(desk, recipients=("NCTV",))
    before = _counts(desk)
    with transaction(desk.factory) as s, pytest.raises(ProductError, match="releasability list"):
        dissemination.release(s, principal=desk.lead, product_id=pid, recipient="OM")
    with transaction(desk.factory) as s, pytest.raises(ProductError, match="unknown recipient"):
        dissemination.release(s, principal=desk.lead, product_id=pid, recipient="CTIVD")
    assert _counts(desk) == before


def test_third_party_rule(desk: Desk) -> None:
    pid = _approved(desk, marking=PARTNER_A, recipients=("NCTV", "PARTNER-A"))
    before = _counts(desk)
    with transaction(desk.factory) as s, pytest.raises(ProductError, match="third-party rule"):
        dissemination.release(s, principal=desk.lead, product_id=pid, recipient="NCTV")
    assert _counts(desk) == before
    # the originator itself may receive its own material
    with transaction(desk.factory) as s:
        dissemination.release(s, principal=desk.lead, product_id=pid, recipient="PARTNER-A")
    # with the partner's recorded consent the NCTV may receive it too
    with transaction(desk.factory) as s:
        dissemination.record_consent(
            s,
            principal=desk.lead,
            product_id=pid,
            partner="PARTNER-A",
            recipient="NCTV",
            reference="PA-2026-114",
        )
    with transaction(desk.factory) as s:
        rid = dissemination.release(s, principal=desk.lead, product_id=pid, recipient="NCTV")
        view = service.get(s, principal=desk.lead, product_id=pid)
        assert [(c.partner, c.recipient, c.reference, c.recorded_by) for c in view.consents] == [
            ("PARTNER-A", "NCTV", "PA-2026-114", "Teamleider")
        ]
    with transaction(desk.factory) as s:
        assert [r.id for r in dissemination.releases(s, principal=desk.nctv)] == [rid]
        # each recipient reads only its own release
        assert [r.recipient for r in dissemination.releases(s, principal=desk.partner_a)] == [
            "PARTNER-A"
        ]


def test_consent_needs_partner_material_and_a_reference(desk: Desk) -> None:
    pid = _approved(desk)
    before = _counts(desk)
    with transaction(desk.factory) as s, pytest.raises(ProductError, match="no consent is needed"):
        dissemination.record_consent(
            s,
            principal=desk.lead,
            product_id=pid,
            partner="PARTNER-A",
            recipient="NCTV",
            reference="x",
        )
    assert _counts(desk) == before


def test_observables_are_validated(desk: Desk) -> None:
    pid = _new(desk, type="slachtoffernotificatie")
    with transaction(desk.factory) as s:
        service.add_observable(
            s,
            principal=desk.author,
            product_id=pid,
            type="ipv4-addr",
            value="198.51.100.7",
            description="C2",
        )
        service.add_observable(
            s,
            principal=desk.author,
            product_id=pid,
            type="domain-name",
            value="update-check.example",
        )
    for kind, value in (("ipv4-addr", "300.1.1.1"), ("file-sha256", "abc"), ("smtp", "x")):
        with transaction(desk.factory) as s, pytest.raises(ProductError):
            service.add_observable(s, principal=desk.author, product_id=pid, type=kind, value=value)
    with transaction(desk.factory) as s:
        view = service.get(s, principal=desk.author, product_id=pid)
        assert [(o.type, o.value) for o in view.observables] == [
            ("ipv4-addr", "198.51.100.7"),
            ("domain-name", "update-check.example"),
        ]
        assert view.cyber


def test_partners_and_unreadable_products_answer_not_found(desk: Desk) -> None:
    pid = _new(desk)
    with transaction(desk.factory) as s:
        for who in (desk.nctv, desk.partner_a):
            with pytest.raises(LookupError):
                service.get(s, principal=who, product_id=pid)
        with pytest.raises(LookupError):
            service.get(s, principal=desk.author, product_id=pid + 1000)
        assert service.list_products(s, principal=desk.nctv) == []
