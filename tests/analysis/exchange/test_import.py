"""A STIX 2.1 bundle into a collection: validated with ``stix2`` first, mapped to FtM
entities at the collection's marking, one transaction; and each bad file refused with
nothing stored. The parse tests touch no database; the import tests do."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from baken.analysis.exchange import service, stix_export, stix_import
from baken.analysis.exchange.errors import ExchangeError
from baken.analysis.graph import service as graph
from baken.core.db import transaction
from baken.core.models import AuditEntry
from baken.holdings.models import Statement
from baken.holdings.service import entities
from tests.analysis.exchange.test_export import _view
from tests.holdings.conftest import World

WHEN = "2026-02-01T10:00:00.000Z"
ACTOR = "threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
VICTIM = "identity--311b2d2d-f010-4473-83ec-1edf84858f4c"
PERSON = "identity--e5f1b90a-d9b6-40ab-81a9-8a29df4b6b65"
PLACE = "location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"
INDICATOR = "indicator--1ed8caa7-a708-4706-b651-f1186ede6ca1"


def _obj(kind: str, oid: str, **props: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "spec_version": "2.1",
        "id": oid,
        "created": WHEN,
        "modified": WHEN,
        **props,
    }


def _rel(n: int, source: str, target: str, kind: str = "targets") -> dict[str, Any]:
    return _obj(
        "relationship",
        f"relationship--00000000-0000-4000-8000-00000000000{n}",
        relationship_type=kind,
        source_ref=source,
        target_ref=target,
    )


def bundle(*extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "bundle",
        "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
        "objects": [
            _obj(
                "threat-actor",
                ACTOR,
                name="Koude Beer",
                aliases=["APT-Polar"],
                threat_actor_types=["nation-state"],
            ),
            _obj("identity", VICTIM, name="Waterschap Rivierenland", identity_class="organization"),
            _obj("identity", PERSON, name="Jan Beheerder", identity_class="individual"),
            _obj("location", PLACE, name="Tiel", country="NL"),
            _obj(
                "indicator",
                INDICATOR,
                pattern="[ipv4-addr:value = '203.0.113.9']",
                pattern_type="stix",
                valid_from=WHEN,
            ),
            _rel(1, ACTOR, VICTIM),
            _rel(2, INDICATOR, ACTOR, "indicates"),
            _rel(3, PERSON, VICTIM, "related-to"),
            *extra,
        ],
    }


def raw(data: object) -> bytes:
    return json.dumps(data).encode()


def test_a_valid_bundle_maps_to_entities() -> None:
    mapped = stix_import.to_entities(stix_import.parse(raw(bundle())))
    by_id = {p.id: p for p in mapped.entities}
    assert by_id[ACTOR].schema.name == "LegalEntity"
    assert by_id[ACTOR].get("alias") == ["APT-Polar"]
    assert by_id[VICTIM].schema.name == "Organization"
    assert by_id[PERSON].schema.name == "Person"
    assert by_id[PLACE].schema.name == "Address"
    link = by_id["relationship--00000000-0000-4000-8000-000000000001"]
    assert link.schema.name == "UnknownLink"
    assert link.get("subject") == [ACTOR]
    assert link.get("object") == [VICTIM]
    assert link.get("role") == ["targets"]
    assert dict(mapped.skipped) == {"indicator": 1, "relationship": 1}


def _bad_stix() -> list[tuple[bytes, str]]:
    invalid = bundle()
    invalid["objects"][1] = _obj("identity", VICTIM, identity_class="organization")  # no name
    custom = bundle()
    custom["objects"][0]["x_baken_note"] = "eigen veld"
    missing = bundle(_rel(4, ACTOR, "identity--9d3bd0a6-ab2e-4a2b-9a4c-4b8ab1b1a8a1"))
    sighting = bundle(
        _obj(
            "sighting",
            "sighting--2e0a3a8a-9a8c-4d51-9b5e-1f3d9c1c6a77",
            sighting_of_ref="indicator--1ed8caa7-a708-4706-b651-f1186ede6c00",
        )
    )
    old = bundle()
    old["objects"][0]["spec_version"] = "2.0"
    nothing = {"type": "bundle", "id": bundle()["id"], "objects": [bundle()["objects"][4]]}
    return [
        (b'{"type": "bundle", "objects": [', "not valid JSON"),
        ("\udcff".encode("utf-8", "surrogatepass"), "not UTF-8"),
        (raw([1, 2]), "not a STIX bundle"),
        (raw({"type": "report"}), "not a STIX bundle"),
        (raw(old), "not STIX 2.1"),
        (raw(invalid), "not valid STIX 2.1"),
        (raw(custom), "not valid STIX 2.1"),
        (raw(missing), "which is not in the bundle"),
        (raw(sighting), "which is not in the bundle"),
        (raw(nothing), "nothing that maps"),
    ]


@pytest.mark.parametrize(("data", "message"), _bad_stix())
def test_bad_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ExchangeError, match=message):
        stix_import.to_entities(stix_import.parse(data))


def _statements(world: World) -> int:
    with transaction(world.factory) as session:
        return session.scalar(select(func.count()).select_from(Statement)) or 0


def test_import_writes_at_the_collection_marking_and_is_audited(world: World) -> None:
    with transaction(world.factory) as session:
        done = service.import_stix(
            session, principal=world.analyst, collection_id=world.secret, raw=raw(bundle())
        )
    assert done.entities == 6
    assert done.objects == 8
    with transaction(world.factory) as session:
        actor = entities.get(session, principal=world.analyst, entity_id=ACTOR)
        assert actor.caption == "Koude Beer"
        assert actor.marking.level == 3  # the tap collection: Stg. Geheim
        with pytest.raises(LookupError):
            entities.get(session, principal=world.low, entity_id=ACTOR)
        hood = graph.neighbours(session, principal=world.analyst, entity_id=VICTIM)
        assert {n.id for n in hood.nodes} == {ACTOR, VICTIM, PERSON}
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"exchange.import", "entity.import"} <= actions


def test_importing_the_same_bundle_again_adds_nothing(world: World) -> None:
    counts = []
    for _ in range(2):
        with transaction(world.factory) as session:
            service.import_stix(
                session, principal=world.analyst, collection_id=world.osint, raw=raw(bundle())
            )
        counts.append(_statements(world))
    assert counts[0] == counts[1] > 0


@pytest.mark.parametrize(("data", "message"), _bad_stix())
def test_a_bad_file_stores_nothing(world: World, data: bytes, message: str) -> None:
    before = _statements(world)
    with pytest.raises(ExchangeError, match=message), transaction(world.factory) as session:
        service.import_stix(session, principal=world.analyst, collection_id=world.osint, raw=data)
    assert _statements(world) == before


def test_a_collection_the_user_may_not_write_is_refused(world: World) -> None:
    with pytest.raises(LookupError), transaction(world.factory) as session:
        service.import_stix(
            session, principal=world.low, collection_id=world.secret, raw=raw(bundle())
        )
    assert _statements(world) == 0


def test_an_exported_product_bundle_imports_back(world: World) -> None:
    exported = stix_export.bundle(_view()).serialize().encode()
    with transaction(world.factory) as session:
        done = service.import_stix(
            session, principal=world.analyst, collection_id=world.osint, raw=exported
        )
    # The report and the issuer map; indicators, observables and their links are skipped.
    assert done.entities == 2
    assert done.skipped["indicator"] == 6
    with transaction(world.factory) as session:
        report = entities.get(
            session, principal=world.low, entity_id=stix_export._id("report", "product", 42)
        )
    assert report.schema_name == "Article"
    assert report.caption == "Spearphishing tegen een waterschap"
