"""A cyber product as STIX 2.1 and as a MISP event, from hand-built product views: the
bundle reads back with ``stix2`` (no custom content), the event with ``pymisp``. These
tests touch no database."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import stix2
from pymisp import MISPEvent

from baken.analysis.exchange import misp_export, stix_export
from baken.analysis.exchange.errors import ExchangeError
from baken.analysis.products.schemas import CitationView, ObservableView, ProductView
from baken.core.markings import Marking, Service

SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def _view(**changes: object) -> ProductView:
    view = ProductView(
        id=42,
        type="slachtoffernotificatie",
        title="Spearphishing tegen een waterschap",
        summary="Een actor stuurde mails met een kwaadaardige bijlage.",
        body="Details voor het slachtoffer.",
        status="approved",
        marking=Marking.of("DEP_VERTROUWELIJK", Service.AIVD),
        created_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        author="Analist",
        citations=[
            CitationView(1, "entity", "geheime-bron", "Geheime bron", Marking.of("STG_GEHEIM"))
        ],
        observables=[
            ObservableView(1, "ipv4-addr", "203.0.113.7", "C2-server"),
            ObservableView(2, "ipv6-addr", "2001:db8::7", ""),
            ObservableView(3, "domain-name", "update-check.example", ""),
            ObservableView(4, "url", "https://update-check.example/it's/a.php", "lokpagina"),
            ObservableView(5, "file-sha256", SHA, "bijlage"),
            ObservableView(6, "email-addr", "noreply@update-check.example", ""),
        ],
    )
    return replace(view, **changes)  # type: ignore[arg-type]


def test_the_stix_bundle_validates_and_reads_back() -> None:
    bundle = stix_export.bundle(_view())
    parsed = stix2.parse(bundle.serialize(), allow_custom=False, version="2.1")
    by_type: dict[str, list[object]] = {}
    for obj in parsed.objects:
        by_type.setdefault(obj["type"], []).append(obj)
    assert len(by_type["indicator"]) == 6
    assert {o["type"] for o in parsed.objects} >= {
        "identity",
        "report",
        "marking-definition",
        "ipv4-addr",
        "ipv6-addr",
        "domain-name",
        "url",
        "file",
        "email-addr",
        "relationship",
    }
    report = by_type["report"][0]
    assert report["name"] == "Spearphishing tegen een waterschap"
    assert set(report["object_refs"]) <= {o["id"] for o in parsed.objects}
    patterns = {i["pattern"] for i in by_type["indicator"]}
    assert "[ipv4-addr:value = '203.0.113.7']" in patterns
    assert f"[file:hashes.'SHA-256' = '{SHA}']" in patterns
    assert "[url:value = 'https://update-check.example/it\\'s/a.php']" in patterns


def test_the_marking_travels_as_tlp_and_as_a_statement() -> None:
    bundle = stix_export.bundle(_view())
    markings = [o for o in bundle.objects if o["type"] == "marking-definition"]
    assert stix2.v21.TLP_AMBER.id in {m["id"] for m in markings}
    statement = next(m for m in markings if m["definition_type"] == "statement")
    assert "DEPARTMENTAL CONFIDENTIAL" in statement["definition"]["statement"]
    for obj in bundle.objects:
        if obj["type"] != "marking-definition":
            assert set(obj["object_marking_refs"]) == {m["id"] for m in markings}


@pytest.mark.parametrize(
    ("marking", "tlp"),
    [
        (Marking.of("ONGERUBRICEERD", Service.JOINT), "clear"),
        (Marking.of("ONGERUBRICEERD", Service.AIVD, originators={"PARTNER-A"}), "green"),
        (Marking.of("DEP_VERTROUWELIJK", Service.AIVD), "amber"),
        (Marking.of("STG_CONFIDENTIEEL", Service.AIVD, releasable_to={"NCTV"}), "red"),
        (Marking.of("STG_ZEER_GEHEIM", Service.MIVD), "red"),
    ],
)
def test_tlp_follows_the_level(marking: Marking, tlp: str) -> None:
    assert stix_export.tlp_label(marking) == tlp


def test_internal_sources_do_not_leave() -> None:
    text = stix_export.bundle(_view()).serialize()
    assert "geheime-bron" not in text
    assert "Geheime bron" not in text
    assert "geheime-bron" not in misp_export.to_json(misp_export.event(_view()))


def test_the_same_product_exports_the_same_ids() -> None:
    first = json.loads(stix_export.bundle(_view()).serialize())
    again = json.loads(stix_export.bundle(_view()).serialize())
    assert [o["id"] for o in first["objects"]] == [o["id"] for o in again["objects"]]
    assert first["id"] == again["id"]


def test_a_product_without_observables_or_cyber_type_is_refused() -> None:
    plain = _view(type="dreigingsanalyse", observables=[])
    with pytest.raises(ExchangeError, match="cyber product"):
        stix_export.bundle(plain)
    with pytest.raises(ExchangeError, match="cyber product"):
        misp_export.event(plain)


def test_a_cyber_type_without_observables_still_makes_a_valid_report() -> None:
    bundle = stix_export.bundle(_view(observables=[]))
    stix2.parse(bundle.serialize(), allow_custom=False, version="2.1")


def test_an_unknown_observable_type_is_refused() -> None:
    bad = _view(observables=[ObservableView(9, "mutex", "Global\\x", "")])
    with pytest.raises(ExchangeError, match="unknown observable type"):
        stix_export.bundle(bad)
    with pytest.raises(ExchangeError, match="unknown observable type"):
        misp_export.event(bad)


def test_the_misp_event_reads_back_with_pymisp() -> None:
    text = misp_export.to_json(misp_export.event(_view()))
    event = MISPEvent()
    event.load(text)
    assert event.info == "Spearphishing tegen een waterschap"
    found = {(a.type, a.value) for a in event.attributes}
    assert ("ip-dst", "203.0.113.7") in found
    assert ("ip-dst", "2001:db8::7") in found
    assert ("domain", "update-check.example") in found
    assert ("sha256", SHA) in found
    assert ("email-src", "noreply@update-check.example") in found
    assert all(a.to_ids for a in event.attributes if a.type != "text")
    tags = {t.name for t in event.tags}
    assert "tlp:amber" in tags
    assert any(t.startswith("baken:marking=") for t in tags)
    assert int(event.distribution) == 0
