"""Industrial security through the services: suppliers and their KvK numbers, special
assignments (TBB, client, ABDO 2019 for Defence and the move), the checklist and what each
item rests on, the declaration, monitoring, and the read filter everywhere."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from baken.core.markings import Level
from baken.core.policy import PolicyDenied
from baken.protect.industrial import checklist, dashboard, service, structure
from baken.protect.industrial.demo import SUPPLIER_ENTITY
from baken.protect.industrial.models import (
    Assignment,
    CheckItem,
    Declaration,
    Event,
    Finding,
    Hosting,
    Staff,
    Supplier,
)
from baken.protect.industrial.service import IndustrialError
from tests.protect.industrial.conftest import HIDDEN_OWNER, TODAY, IWorld

ON = date(2026, 5, 10)


def _declare(iw: IWorld, assignment_id: int, on: date = ON) -> None:
    iw.run(
        lambda s: checklist.declare(
            s,
            iw.nbiv,
            assignment_id=assignment_id,
            declared_on=on,
            valid_until=date(2031, 5, 10),
            today=TODAY,
        )
    )


def _complete(iw: IWorld, assignment_id: int, on: date = ON) -> None:
    """Everything the three items rest on, then no objections on each."""
    iw.run(
        lambda s: structure.check(
            s, iw.nbiv, assignment_id=assignment_id, index=iw.index, on=on, today=TODAY
        )
    )
    iw.run(
        lambda s: checklist.add_staff(
            s,
            iw.nbiv,
            assignment_id=assignment_id,
            name="Piet Projectleider (fictief)",
            not_needed="geen toegang tot gerubriceerde informatie",
            on=on,
            today=TODAY,
        )
    )
    iw.run(
        lambda s: checklist.add_hosting(
            s,
            iw.nbiv,
            assignment_id=assignment_id,
            provider="Noordzee Cloud (fictief)",
            cloud=True,
            country="nl",
            certifications="ISO 27001, BIO",
            on=on,
            today=TODAY,
        )
    )
    for item in checklist.items():
        iw.run(
            lambda s, item=item: checklist.set_check(  # type: ignore[misc]
                s,
                iw.nbiv,
                assignment_id=assignment_id,
                item=item,
                state="no_objections",
                on=on,
                today=TODAY,
            )
        )


# --- suppliers -------------------------------------------------------------------------------


def test_a_kvk_number_is_stored_without_spaces(iw: IWorld) -> None:
    row = iw.run(lambda s: service.supplier(s, iw.nbiv, iw.supplier))
    assert (row.kvk, row.country, row.entity_id) == ("90000001", "nl", "demo-nbiv-polderveld")


@pytest.mark.parametrize(
    ("kvk", "message"),
    [
        ("", "a supplier needs a KvK number (Chamber of Commerce, 8 digits)"),
        ("1234567", "a KvK number has exactly 8 digits, without letters: {value} is not one"),
        ("123456789", "a KvK number has exactly 8 digits, without letters: {value} is not one"),
        ("1234567A", "a KvK number has exactly 8 digits, without letters: {value} is not one"),
    ],
)
def test_a_supplier_without_a_kvk_number_in_the_right_form_is_refused(
    iw: IWorld, kvk: str, message: str
) -> None:
    before = iw.count(Supplier)
    with pytest.raises(IndustrialError) as refused:
        iw.new_supplier("Fout B.V. (fictief)", kvk)
    assert refused.value.message == message
    assert iw.count(Supplier) == before


def test_bad_branch_numbers_countries_and_duplicates_are_refused(iw: IWorld) -> None:
    before = iw.count(Supplier)
    for kw in ({"branch": "12345"}, {"country": "Atlantis"}):
        with pytest.raises(IndustrialError):
            iw.new_supplier("Fout B.V. (fictief)", "12345678", **kw)
    with pytest.raises(IndustrialError, match="already recorded"):
        iw.new_supplier("Dubbel B.V. (fictief)", "90000001")
    assert iw.count(Supplier) == before


def test_suppliers_are_read_through_the_read_filter(iw: IWorld) -> None:
    mine = iw.run(lambda s: service.suppliers(s, iw.nbiv, query="polderveld"))
    assert [r.id for r in mine.rows] == [iw.supplier]
    for reader in (iw.low, iw.partner, iw.analyst):
        assert iw.run(lambda s, r=reader: service.suppliers(s, r)).rows == []  # type: ignore[misc]
        with pytest.raises(IndustrialError, match="no such supplier"):
            iw.run(lambda s, r=reader: service.supplier(s, r, iw.supplier))  # type: ignore[misc]
    # The other service reads NBIV's joint records; the CTIVD reads everything.
    assert iw.run(lambda s: service.supplier(s, iw.evo, iw.supplier)).id == iw.supplier
    assert iw.run(lambda s: service.supplier(s, iw.ctivd, iw.supplier)).id == iw.supplier


def test_partners_and_overseers_do_not_write(iw: IWorld) -> None:
    before = iw.count(Supplier)
    for who in (iw.partner, iw.ctivd, iw.analyst):
        with pytest.raises(PolicyDenied):
            iw.run(
                lambda s, w=who: service.create_supplier(  # type: ignore[misc]
                    s, w, name="X B.V.", kvk="11112222"
                )
            )
    assert iw.count(Supplier) == before


# --- assignments -----------------------------------------------------------------------------


def test_unknown_tbb_client_or_classification_is_refused(iw: IWorld) -> None:
    before = iw.count(Assignment)
    for kw, message in (
        ({"tbb": "TBB5"}, "unknown protected-interest level {tbb}"),
        ({"client": "NCTV"}, "unknown client {client}"),
        ({"client": "XYZ"}, "unknown client {client}"),
        ({"classification": "TOP"}, "unknown classification level {value}"),
        ({"title": "  "}, "a special assignment needs a title"),
        ({"assessed_on": date(2026, 7, 1)}, "the date {date} lies in the future"),
    ):
        with pytest.raises(IndustrialError) as refused:
            iw.new_assignment(**kw)
        assert refused.value.message == message
    assert iw.count(Assignment) == before


def test_an_assignment_is_at_least_as_high_as_its_supplier_and_numbered(iw: IWorld) -> None:
    made = iw.new_assignment(level=Level.DEP_VERTROUWELIJK)
    row = iw.run(lambda s: service.assignment(s, iw.nbiv, made))
    assert row.ref.startswith("BO-2026-")
    assert (row.regime, row.status) == ("ABRO_2026", "assessment")
    # The supplier is Stg. Confidentieel: the low-cleared officer reads neither.
    with pytest.raises(IndustrialError, match="no such special assignment"):
        iw.run(lambda s: service.assignment(s, iw.low, made))


def test_defence_starts_under_abdo_2019_and_the_move_is_recorded(iw: IWorld) -> None:
    made = iw.new_assignment(client="DEF")
    assert iw.run(lambda s: service.assignment(s, iw.nbiv, made)).regime == "ABDO_2019"
    board = iw.run(lambda s: dashboard.dashboard(s, iw.nbiv, TODAY))
    assert made in [a.id for a in board.abdo]
    moved = iw.run(
        lambda s: service.move_to_abro(s, iw.nbiv, assignment_id=made, on=ON, today=TODAY)
    )
    assert (moved.regime, moved.moved_on, moved.moved_by) == ("ABRO_2026", ON, iw.nbiv.id)
    with pytest.raises(IndustrialError, match="already under ABRO"):
        iw.run(lambda s: service.move_to_abro(s, iw.nbiv, assignment_id=made, on=ON, today=TODAY))


def test_no_investigation_when_abro_does_not_apply(iw: IWorld) -> None:
    made = iw.new_assignment(abro_applies=False)
    with pytest.raises(IndustrialError, match="ABRO does not apply"):
        iw.run(
            lambda s: service.start_investigation(
                s, iw.nbiv, assignment_id=made, on=ON, today=TODAY
            )
        )
    assert iw.run(lambda s: checklist.checks(s, iw.nbiv, made)) == []


# --- the ownership graph ---------------------------------------------------------------------


def test_foreign_owners_are_found_through_the_ownership_graph(iw: IWorld) -> None:
    snapshot = iw.run(
        lambda s: structure.check(
            s, iw.nbiv, assignment_id=iw.assignment, index=iw.index, on=ON, today=TODAY
        )
    )
    parties = {p["name"]: p for p in snapshot.data["parties"]}
    meridian = parties["Limassol Meridian Holdings Ltd (fictief)"]
    volkov = parties["Dmitri Volkov"]
    director = parties["Johanna de Vries"]
    assert (meridian["role"], meridian["depth"], meridian["countries"]) == ("owner", 1, ["cy"])
    assert (volkov["role"], volkov["depth"], volkov["of_id"]) == ("owner", 2, "demo-nbiv-meridian")
    assert meridian["foreign"]
    assert volkov["foreign"]
    assert not director["foreign"]
    assert director["role"] == "director"
    assert snapshot.foreign_count == 2
    # The screening finds the sanctions entry under a close spelling, not the owner itself.
    assert [h["entity_id"] for h in volkov["hits"]] == ["demo-nbiv-sanction-volkov"]
    assert snapshot.hit_count >= 1
    # The owner the officer may not read is not walked, named or counted.
    assert HIDDEN_OWNER not in str(snapshot.data)
    states = {
        c.item: c.state for c in iw.run(lambda s: checklist.checks(s, iw.nbiv, iw.assignment))
    }
    assert states["structure"] == "in_progress"


def test_the_walk_shows_what_the_reader_may_read(iw: IWorld) -> None:
    def names(who: object) -> set[str]:
        walked = iw.run(
            lambda s: structure.walk(s, who, "demo-nbiv-polderveld")  # type: ignore[arg-type]
        )
        return {p.name for p in walked.parties}

    assert HIDDEN_OWNER in names(iw.analyst)
    assert HIDDEN_OWNER not in names(iw.nbiv)
    assert not iw.run(lambda s: structure.walk(s, iw.partner, "demo-nbiv-polderveld")).found


# --- the checklist, the declaration and monitoring --------------------------------------------


def test_an_item_gets_no_objections_only_on_what_it_rests_on(iw: IWorld) -> None:
    made = iw.investigating()
    for item, message in (
        ("structure", "check the ownership graph first"),
        ("personnel", "list the key staff"),
        ("digital", "record where the assignment's data is processed"),
    ):
        with pytest.raises(IndustrialError, match=message):
            iw.run(
                lambda s, item=item: checklist.set_check(  # type: ignore[misc]
                    s,
                    iw.nbiv,
                    assignment_id=made,
                    item=item,
                    state="no_objections",
                    on=ON,
                    today=TODAY,
                )
            )
    # Key staff with a VGB reference nobody here can confirm is not covered.
    iw.run(
        lambda s: checklist.add_staff(
            s,
            iw.nbiv,
            assignment_id=made,
            name="Anna Admin",
            vgb_ref="VGB-2099-1",
            on=ON,
            today=TODAY,
        )
    )
    with pytest.raises(IndustrialError, match="no valid VGB"):
        iw.run(
            lambda s: checklist.set_check(
                s,
                iw.nbiv,
                assignment_id=made,
                item="personnel",
                state="no_objections",
                on=ON,
                today=TODAY,
            )
        )
    with pytest.raises(IndustrialError, match="say what the concerns are"):
        iw.run(
            lambda s: checklist.set_check(
                s, iw.nbiv, assignment_id=made, item="digital", state="concerns", on=ON, today=TODAY
            )
        )
    with pytest.raises(IndustrialError, match="give the VGB reference"):
        iw.run(
            lambda s: checklist.add_staff(
                s, iw.nbiv, assignment_id=made, name="Zonder", on=ON, today=TODAY
            )
        )
    states = {c.item: c.state for c in iw.run(lambda s: checklist.checks(s, iw.nbiv, made))}
    assert set(states.values()) == {"open"}


def test_no_declaration_before_the_investigation_is_complete(iw: IWorld) -> None:
    made = iw.investigating()
    assessing = iw.new_assignment()
    before = (iw.count(Declaration), iw.count(Assignment))
    with pytest.raises(IndustrialError) as refused:
        _declare(iw, made)
    assert "still open" in refused.value.message
    assert "Bedrijfsstructuur" in str(refused.value)
    # The items are named in the reader's language.
    english = refused.value.translate("en")
    assert "still open: Company structure and foreign ownership, Personnel security" in english
    assert "nog open: Bedrijfsstructuur en buitenlands eigendom" in refused.value.translate("nl")
    with pytest.raises(IndustrialError, match="it has not started"):
        _declare(iw, assessing)
    assert (iw.count(Declaration), iw.count(Assignment)) == before
    row = iw.run(lambda s: service.assignment(s, iw.nbiv, made))
    assert row.status == "investigation"


def test_no_declaration_for_a_refused_assignment(iw: IWorld) -> None:
    made = iw.investigating()
    iw.run(
        lambda s: checklist.set_check(
            s,
            iw.nbiv,
            assignment_id=made,
            item="digital",
            state="concerns",
            note_text="data in een land buiten de EU",
            on=ON,
            today=TODAY,
        )
    )
    iw.run(
        lambda s: service.close(
            s, iw.nbiv, assignment_id=made, to="refused", on=ON, reason="bezwaren", today=TODAY
        )
    )
    before = iw.count(Declaration)
    with pytest.raises(IndustrialError, match="was refused"):
        _declare(iw, made)
    assert iw.count(Declaration) == before


def test_no_monitoring_before_a_declaration(iw: IWorld) -> None:
    made = iw.investigating()
    before = iw.count(Event)
    with pytest.raises(IndustrialError, match="monitoring starts after the declaration"):
        iw.run(
            lambda s: checklist.record_event(
                s, iw.nbiv, assignment_id=made, kind="review", on=ON, today=TODAY
            )
        )
    assert iw.count(Event) == before


def test_from_investigation_to_declaration_and_monitoring(iw: IWorld) -> None:
    made = iw.investigating()
    _complete(iw, made)
    before = iw.count(Declaration)
    with pytest.raises(IndustrialError, match="valid after"):
        iw.run(
            lambda s: checklist.declare(
                s, iw.nbiv, assignment_id=made, declared_on=ON, valid_until=ON, today=TODAY
            )
        )
    assert iw.count(Declaration) == before
    _declare(iw, made)
    row = iw.run(lambda s: service.assignment(s, iw.nbiv, made))
    assert row.status == "declared"
    assert iw.run(lambda s: checklist.declaration(s, iw.nbiv, made)).regime == "ABRO_2026"  # type: ignore[union-attr]
    with pytest.raises(IndustrialError, match="already issued"):
        _declare(iw, made)
    # A change of ownership reopens the structure item; the status is now monitoring.
    events_before = iw.count(Event)
    with pytest.raises(IndustrialError, match="unknown monitoring event"):
        iw.run(
            lambda s: checklist.record_event(
                s, iw.nbiv, assignment_id=made, kind="party", on=ON, today=TODAY
            )
        )
    assert iw.count(Event) == events_before
    iw.run(
        lambda s: checklist.record_event(
            s,
            iw.nbiv,
            assignment_id=made,
            kind="ownership_change",
            on=date(2026, 5, 20),
            note_text="nieuwe aandeelhouder",
            today=TODAY,
        )
    )
    states = {c.item: c.state for c in iw.run(lambda s: checklist.checks(s, iw.nbiv, made))}
    assert states == {"structure": "open", "personnel": "no_objections", "digital": "no_objections"}
    # The old snapshot predates the change: the item cannot be closed on it.
    with pytest.raises(IndustrialError, match="check the ownership graph first"):
        iw.run(
            lambda s: checklist.set_check(
                s,
                iw.nbiv,
                assignment_id=made,
                item="structure",
                state="no_objections",
                on=date(2026, 5, 21),
                today=TODAY,
            )
        )
    assert iw.run(lambda s: service.assignment(s, iw.nbiv, made)).status == "monitoring"
    iw.run(
        lambda s: service.close(
            s, iw.nbiv, assignment_id=made, to="ended", on=date(2026, 5, 30), reason="", today=TODAY
        )
    )
    with pytest.raises(IndustrialError, match="closed"):
        iw.run(
            lambda s: checklist.record_event(
                s, iw.nbiv, assignment_id=made, kind="review", on=TODAY, today=TODAY
            )
        )


def test_declarations_due_for_review_and_the_figures(iw: IWorld) -> None:
    made = iw.investigating(date(2025, 1, 3), assessed_on=date(2025, 1, 2))
    _complete(iw, made, date(2025, 2, 1))
    _declare(iw, made, on=date(2025, 3, 1))
    due = iw.run(lambda s: dashboard.due_for_review(s, iw.nbiv, TODAY))
    assert made in [d.assignment.id for d in due]
    iw.run(
        lambda s: checklist.record_event(
            s, iw.nbiv, assignment_id=made, kind="review", on=date(2026, 3, 1), today=TODAY
        )
    )
    due = iw.run(lambda s: dashboard.due_for_review(s, iw.nbiv, TODAY))
    assert made not in [d.assignment.id for d in due]
    figures = iw.run(lambda s: service.figures(s, principal=iw.nbiv))
    assert len(figures) == 3
    assert figures[0][1] >= 1
    for reader in (iw.partner, iw.analyst, iw.low):
        counts = iw.run(lambda s, r=reader: service.figures(s, principal=r))  # type: ignore[misc]
        assert [c for _, c, _, _ in counts] == [0, 0, 0]


def test_the_rows_of_an_assignment_carry_its_marking_and_hide_with_it(iw: IWorld) -> None:
    made = iw.investigating(level=Level.STG_GEHEIM)
    _complete(iw, made)
    # The MIVD officer at Stg. Geheim reads the joint record; the low-cleared one nothing.
    assert iw.run(lambda s: checklist.checks(s, iw.evo, made))
    for model in (CheckItem, Staff, Hosting, Finding):
        assert iw.count(model) > 0
    assert iw.run(lambda s: checklist.checks(s, iw.low, made)) == []
    assert iw.run(lambda s: checklist.staff(s, iw.low, made)) == []
    assert iw.run(lambda s: checklist.hosting(s, iw.low, made)) == []
    assert iw.run(lambda s: checklist.findings(s, iw.low, made)) == []
    page = iw.run(lambda s: service.search(s, iw.low))
    assert made not in [a.id for a in page.rows]


def test_relinking_a_supplier_reopens_the_structure_item_of_its_open_assignments(
    iw: IWorld,
) -> None:
    supplier_id = iw.new_supplier(
        "Herkoppeld B.V. (fictief)", "90000077", entity_id=SUPPLIER_ENTITY
    )
    made = iw.investigating(supplier_id=supplier_id)

    def structure_to(state: str) -> None:
        iw.run(
            lambda s: checklist.set_check(
                s, iw.nbiv, assignment_id=made, item="structure", state=state, on=ON, today=TODAY
            )
        )

    iw.run(
        lambda s: structure.check(
            s, iw.nbiv, assignment_id=made, index=iw.index, on=ON, today=TODAY
        )
    )
    structure_to("no_objections")

    def update(**kw: Any) -> None:
        args: dict[str, Any] = {"name": "Herkoppeld B.V. (fictief)", "country": "nl", "on": ON}
        args.update(kw)
        iw.run(lambda s: service.update_supplier(s, iw.nbiv, supplier_id, **args))

    # Bad input changes nothing.
    for kw, message in (
        ({"name": " "}, "a supplier needs a name"),
        ({"country": "Atlantis"}, "not a known country"),
    ):
        with pytest.raises(IndustrialError, match=message):
            update(entity_id="demo-nbiv-meridian", **kw)
    with pytest.raises(PolicyDenied):  # the oversight reads, and writes nothing
        iw.run(
            lambda s: service.update_supplier(
                s, iw.ctivd, supplier_id, name="X", country="nl", on=ON
            )
        )
    with pytest.raises(IndustrialError, match="no such supplier"):  # may not read it
        iw.run(
            lambda s: service.update_supplier(
                s, iw.analyst, supplier_id, name="X", country="nl", on=ON
            )
        )
    states = {c.item: c.state for c in iw.run(lambda s: checklist.checks(s, iw.nbiv, made))}
    assert states["structure"] == "no_objections"
    # The address alone: the findings still stand.
    update(entity_id=SUPPLIER_ENTITY, address="Polderweg 1 (fictief)")
    states = {c.item: c.state for c in iw.run(lambda s: checklist.checks(s, iw.nbiv, made))}
    assert states["structure"] == "no_objections"
    # Another entity: the findings were about the old one.
    update(entity_id="demo-nbiv-meridian")
    states = {c.item: c.state for c in iw.run(lambda s: checklist.checks(s, iw.nbiv, made))}
    assert states["structure"] == "open"
    with pytest.raises(IndustrialError, match="check the ownership graph first"):
        structure_to("no_objections")
    iw.run(
        lambda s: structure.check(
            s, iw.nbiv, assignment_id=made, index=iw.index, on=ON, today=TODAY
        )
    )
    structure_to("no_objections")
