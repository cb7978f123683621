"""Resilience records through the services: one unit of work with the product, the bad
input of the issue refused with nothing stored, the victim's acknowledgement checked
explicitly, and reads only through the product's marking."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from baken.analysis.products import service as products
from baken.analysis.products.models import Product
from baken.core.markings import Level
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.core.principals import Principal
from baken.protect.resilience import leak, service, victims
from baken.protect.resilience.models import ResilienceRecord
from baken.protect.resilience.service import RecordNotFound, ResilienceError
from tests.protect.resilience.conftest import DAY, SECRET, World


def _audit(world: World, action: str) -> list[AuditEntry]:
    return world.run(
        lambda s: list(
            s.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
            )
        )
    )


def test_create_makes_the_draft_product_and_its_record(world: World) -> None:
    record_id = world.create(audience=["bedrijfsleven", "rijksoverheid"], topic="Phishing")
    view = world.run(lambda s: service.get(s, principal=world.author, record_id=record_id))
    assert view.type == "weerbaarheidsadvies"
    assert view.status == "draft"
    assert view.audiences == ["bedrijfsleven", "rijksoverheid"]
    assert view.topic == "Phishing"
    assert view.victim is None
    product = world.run(
        lambda s: products.get(s, principal=world.author, product_id=view.product_id)
    )
    assert product.title == view.title
    assert product.marking.level is Level.DEP_VERTROUWELIJK
    created = _audit(world, "resilience.create")
    assert any(e.object_id == str(record_id) for e in created)


def test_a_victim_notification_keeps_its_victim_and_incident(world: World) -> None:
    record_id, _ = world.notification()
    view = world.run(lambda s: service.get(s, principal=world.author, record_id=record_id))
    assert view.victim == "VICTIM-A"
    assert view.incident.startswith("Verbindingen")
    assert view.observed_on == date(2026, 10, 12)
    assert view.status == "released"
    assert [r.recipient for r in view.releases] == ["VICTIM-A"]


BAD_CREATE: list[tuple[dict[str, Any], str]] = [
    ({"audience": []}, "choose at least one audience"),
    ({"audience": ["vitale_sectoren", "ruimtevaart"]}, "unknown audience {audience}"),
    (
        {"type": "slachtoffernotificatie", "incident": "Iets gebeurd."},
        "a victim notification needs the victim organisation",
    ),
    (
        {"type": "slachtoffernotificatie", "victim": "NCTV", "incident": "Iets gebeurd."},
        "{organisation} is not an organisation of a victim",
    ),
    (
        {"type": "slachtoffernotificatie", "victim": "VICTIM-A", "incident": ""},
        "describe the incident the victim is notified of",
    ),
    (
        {
            "type": "slachtoffernotificatie",
            "victim": "VICTIM-A",
            "incident": "x",
            "observed_on": date(2026, 12, 1),
        },
        "the incident cannot have been observed in the future",
    ),
    ({"victim": "VICTIM-A"}, "only a victim notification names a victim"),
    ({"type": "ambtsbericht"}, "choose a type of resilience product"),
    ({"topic": " "}, "give the topic of the product"),
]


@pytest.mark.parametrize(("change", "message"), BAD_CREATE)
def test_bad_input_is_refused_and_stores_nothing(
    world: World, change: dict[str, Any], message: str
) -> None:
    before = world.counts()
    args: dict[str, Any] = {
        "type": "weerbaarheidsadvies",
        "title": "Wordt niet opgeslagen",
        "summary_text": "",
        "audience": ["vitale_sectoren"],
        "topic": "Onderwerp",
        "today": DAY,
        **change,
    }
    with pytest.raises(ResilienceError) as caught:
        world.attempt(world.author, lambda s: service.create(s, principal=world.author, **args))
    assert caught.value.message == message
    assert world.counts() == before


def test_a_refused_product_leaves_no_record_and_no_product(world: World) -> None:
    """The product service refuses after my checks passed: the unit keeps nothing."""
    before = world.counts()
    with pytest.raises(products.ProductError):
        world.attempt(
            world.author,
            lambda s: service.create(
                s,
                principal=world.author,
                type="weerbaarheidsadvies",
                title="",
                summary_text="",
                audience=["vitale_sectoren"],
                topic="Onderwerp",
            ),
        )
    assert world.counts() == before


def test_partners_and_readers_without_the_role_cannot_create(world: World) -> None:
    before = world.counts()
    for who in (world.victim, world.ctivd):
        with pytest.raises(PolicyDenied):
            world.attempt(
                who,
                lambda s, who=who: service.create(
                    s,
                    principal=who,
                    type="weerbaarheidsadvies",
                    title="x",
                    summary_text="",
                    audience=["vitale_sectoren"],
                    topic="x",
                ),
            )
    assert world.counts() == before


# --- the victim's acknowledgement -------------------------------------------------------------


def _acknowledged(world: World, record_id: int) -> ResilienceRecord:
    row = world.run(lambda s: s.get(ResilienceRecord, record_id))
    assert row is not None
    return row


def test_the_victim_acknowledges_once_and_it_is_audited(world: World) -> None:
    record_id, product_id = world.notification()
    release_id = world.release_to(product_id, "VICTIM-A")
    got = world.attempt(
        world.victim,
        lambda s: victims.acknowledge(s, principal=world.victim, release_id=release_id),
    )
    assert got == record_id
    row = _acknowledged(world, record_id)
    assert row.acknowledged_release_id == release_id
    assert row.acknowledged_by == world.victim.id
    assert row.acknowledged_at is not None
    entry = _audit(world, "resilience.acknowledge")[-1]
    assert entry.object_id == str(record_id)
    assert entry.actor_id == world.victim.id
    with pytest.raises(ResilienceError, match="already been acknowledged"):
        world.attempt(
            world.victim,
            lambda s: victims.acknowledge(s, principal=world.victim, release_id=release_id),
        )
    assert _acknowledged(world, record_id).acknowledged_at == row.acknowledged_at


def test_another_organisation_cannot_acknowledge(world: World) -> None:
    """The NCSC received the notification too, but it is not the victim; the NCTV did not
    receive it at all (refused like a release that does not exist)."""
    record_id, product_id = world.notification(("NCSC", "VICTIM-A"))
    to_ncsc = world.release_to(product_id, "NCSC")
    to_victim = world.release_to(product_id, "VICTIM-A")
    with pytest.raises(ResilienceError) as caught:
        world.attempt(
            world.ncsc, lambda s: victims.acknowledge(s, principal=world.ncsc, release_id=to_ncsc)
        )
    assert caught.value.message == (
        "this is not a notification to your organisation as a victim of a cyber operation"
    )
    for who, release_id in ((world.nctv, to_victim), (world.ncsc, to_victim)):
        with pytest.raises(ResilienceError) as caught:
            world.attempt(
                who,
                lambda s, who=who, release_id=release_id: victims.acknowledge(
                    s, principal=who, release_id=release_id
                ),
            )
        assert caught.value.message == "no resilience product with this number was released to you"
    with pytest.raises(ResilienceError, match="only the victim organisation itself"):
        world.attempt(
            world.author,
            lambda s: victims.acknowledge(s, principal=world.author, release_id=to_victim),
        )
    row = _acknowledged(world, record_id)
    assert row.acknowledged_at is None
    assert row.acknowledged_by is None


def test_the_victim_cannot_acknowledge_what_was_not_released_to_them(world: World) -> None:
    # A notification approved for the victim but not released; and an advisory (not a
    # notification) released to the victim organisation.
    pending = world.create(
        type="slachtoffernotificatie",
        title="Nog niet verstrekt (fictief)",
        victim="VICTIM-A",
        incident="x",
    )
    advisory = world.create(title="Advies aan Slachtoffer A (fictief)")
    advisory_product = world.released(advisory, ["VICTIM-A"])
    to_victim = world.release_to(advisory_product, "VICTIM-A")
    with pytest.raises(ResilienceError) as caught:
        world.attempt(
            world.victim, lambda s: victims.acknowledge(s, principal=world.victim, release_id=0)
        )
    assert caught.value.message == "no resilience product with this number was released to you"
    with pytest.raises(ResilienceError) as caught:
        world.attempt(
            world.victim,
            lambda s: victims.acknowledge(s, principal=world.victim, release_id=to_victim),
        )
    assert caught.value.message.startswith("this is not a notification to your organisation")
    for record_id in (pending, advisory):
        assert _acknowledged(world, record_id).acknowledged_at is None
    refused = _audit(world, "test")
    assert refused
    assert all(e.outcome == "refused" for e in refused[-2:])


# --- reading ------------------------------------------------------------------------------------


def test_a_record_is_read_only_through_its_products_marking(world: World) -> None:
    for who in (world.mivd, world.low, world.victim, world.nctv):
        with pytest.raises(RecordNotFound):
            world.run(lambda s, who=who: service.get(s, principal=who, record_id=world.secret))
    seen = world.run(lambda s: service.get(s, principal=world.ctivd, record_id=world.secret))
    assert seen.marking.level is Level.STG_GEHEIM


def test_the_record_follows_its_product_when_a_source_raises_it(world: World) -> None:
    """The record keeps the marking it was made with; the product's rises with a secret
    source, and the low reader loses the record with it."""
    record_id = world.create(title="Wordt hoger gerubriceerd (fictief)")
    assert world.run(lambda s: service.get(s, principal=world.low, record_id=record_id))
    product_id = world.product_of(record_id)
    source = world.source(SECRET)
    world.run(
        lambda s: products.cite(
            s, principal=world.author, product_id=product_id, kind="document", target_id=source
        )
    )
    assert world.run(lambda s: leak.marking_of(s, record_id)).level is Level.DEP_VERTROUWELIJK
    with pytest.raises(RecordNotFound):
        world.run(lambda s: service.get(s, principal=world.low, record_id=record_id))
    ids = [r.id for r in world.run(lambda s: service.dashboard(s, principal=world.low).rows)]
    assert record_id not in ids


def test_the_dashboard_counts_only_readable_products(world: World) -> None:
    full = world.run(lambda s: service.dashboard(s, principal=world.author))
    hidden = world.run(lambda s: service.dashboard(s, principal=world.mivd))
    assert world.secret in [r.id for r in full.rows]
    assert full.by_sector["kennisinstellingen"] >= 1
    assert hidden.rows == []
    assert hidden.awaiting == []
    assert hidden.recent == []
    assert set(hidden.by_sector.values()) == {0}
    assert set(hidden.by_status.values()) == {0}
    assert world.run(lambda s: service.figures(s, principal=world.mivd))[0][1] == 0
    partner = world.run(lambda s: service.dashboard(s, principal=world.nctv))
    assert partner.rows == []
    assert set(partner.by_status.values()) == {0}


def test_awaiting_acknowledgement_and_the_filters(world: World) -> None:
    record_id, _ = world.notification()
    found = world.run(lambda s: service.dashboard(s, principal=world.author))
    assert record_id in [r.id for r in found.awaiting]
    assert record_id in [r.record_id for r in found.recent]
    label, count, href, alert = world.run(lambda s: service.figures(s, principal=world.author))[0]
    assert label == "Victim notifications awaiting acknowledgement"
    assert count == len(found.awaiting)
    assert alert
    assert href.startswith("/weerbaarheid")
    drafts = world.run(lambda s: service.dashboard(s, principal=world.author, status="draft"))
    assert drafts.rows
    assert all(r.status == "draft" for r in drafts.rows)
    science = world.run(
        lambda s: service.dashboard(s, principal=world.author, sector="kennisinstellingen")
    )
    assert [r.id for r in science.rows] == [world.secret]


def test_the_partner_sees_what_was_released_to_them_only(world: World) -> None:
    _record_id, product_id = world.notification()
    mine = world.run(lambda s: victims.received(s, principal=world.victim))
    release_id = world.release_to(product_id, "VICTIM-A")
    item = next(i for i in mine if i.release_id == release_id)
    assert item.notification
    assert item.acknowledged_at is None
    assert item.title == "Notificatie aan Slachtoffer A (fictief)"
    theirs = world.run(lambda s: victims.received(s, principal=world.nctv))
    assert release_id not in [i.release_id for i in theirs]
    assert world.run(lambda s: victims.received(s, principal=world.author)) == []


# --- changing a record --------------------------------------------------------------------------


def test_update_changes_audience_and_channel_and_bad_input_changes_nothing(world: World) -> None:
    record_id, _ = world.notification()
    world.attempt(
        world.author,
        lambda s: service.update(
            s,
            principal=world.author,
            record_id=record_id,
            audience=["rijksoverheid"],
            topic="Nieuw onderwerp",
            incident="Bijgewerkt incident.",
            observed_on=date(2026, 10, 11),
            channel="telefoon",
            today=DAY,
        ),
    )
    view = world.run(lambda s: service.get(s, principal=world.author, record_id=record_id))
    assert view.audiences == ["rijksoverheid"]
    assert view.channel == "telefoon"
    for audience, channel in (([], "brief"), (["onbekend"], "brief"), (["rijksoverheid"], "fax")):
        with pytest.raises(ResilienceError):
            world.attempt(
                world.author,
                lambda s, a=audience, c=channel: service.update(
                    s,
                    principal=world.author,
                    record_id=record_id,
                    audience=a,
                    topic="Anders",
                    incident="Anders.",
                    channel=c,
                    today=DAY,
                ),
            )
    after = world.run(lambda s: service.get(s, principal=world.author, record_id=record_id))
    assert (after.audiences, after.topic, after.channel) == (
        ["rijksoverheid"],
        "Nieuw onderwerp",
        "telefoon",
    )
    with pytest.raises(RecordNotFound):
        world.attempt(
            world.mivd,
            lambda s: service.update(
                s, principal=world.mivd, record_id=world.secret, audience=["x"], topic="x"
            ),
        )
    product = world.run(lambda s: s.get(Product, view.product_id))
    assert product is not None
    assert product.status == "released"


def test_release_links_for_the_victim_and_internal_readers_only(world: World) -> None:
    from baken.protect.resilience.hooks import release_links

    record_id, product_id = world.notification(("NCSC", "VICTIM-A"))
    to_victim = world.release_to(product_id, "VICTIM-A")
    to_ncsc = world.release_to(product_id, "NCSC")

    def links(who: Principal, release_id: int) -> list[str]:
        return [h for h, _, _ in world.run(lambda s: release_links(s, who, release_id))]

    assert links(world.victim, to_victim) == ["/weerbaarheid/meldingen"]
    assert links(world.ncsc, to_ncsc) == []
    assert links(world.nctv, to_victim) == []
    assert links(world.author, to_victim) == [f"/weerbaarheid/{record_id}"]
    assert links(world.mivd, to_victim) == []
