"""A STIX 2.1 bundle as FollowTheMoney entities.

The whole file is checked before anything is made: it must be UTF-8 JSON, a bundle
that :func:`stix2.parse` accepts without custom content, and every relationship and
sighting must point at objects in the bundle. Then identities, threat actors, intrusion
sets, campaigns, locations and reports become FtM entities (the STIX id is the entity
id, so importing a bundle again adds nothing new), and relationships between two of
them become UnknownLink entities carrying the relationship type as their role. Other
STIX objects (indicators, malware, observables, ...) have no FtM counterpart: they are
counted as skipped, not silently dropped.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import stix2
from followthemoney import model
from followthemoney.proxy import EntityProxy

from baken.analysis.exchange.errors import ExchangeError
from baken.analysis.vocab import data
from baken.core.i18n import N_

MAX_BYTES = 50 * 1024 * 1024
MAX_OBJECTS = 100_000
# Properties that must name an object of the same bundle.
STRICT_REFS = {
    "relationship": ("source_ref", "target_ref"),
    "sighting": ("sighting_of_ref",),
}


@dataclass
class Mapped:
    entities: list[EntityProxy] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    objects: int = 0


def parse(raw: bytes) -> list[Any]:
    """The bundle's objects, validated; :class:`ExchangeError` says what is wrong."""
    if len(raw) > MAX_BYTES:
        raise ExchangeError(N_("the file is larger than {limit} MB"), limit=MAX_BYTES // 2**20)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ExchangeError(N_("the file is not UTF-8 text")) from None
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            N_("the file is not valid JSON (line {line})"), line=exc.lineno
        ) from None
    if not isinstance(body, dict) or body.get("type") != "bundle":
        raise ExchangeError(N_("the file is not a STIX bundle"))
    items = body.get("objects") or []
    if not isinstance(items, list):
        raise ExchangeError(N_("the file is not a STIX bundle"))
    if len(items) > MAX_OBJECTS:
        raise ExchangeError(N_("the bundle holds more than {limit} objects"), limit=MAX_OBJECTS)
    for item in items:
        if not isinstance(item, dict) or item.get("spec_version") not in (None, "2.1"):
            raise ExchangeError(N_("the bundle is not STIX 2.1"))
    try:
        bundle = stix2.parse(body, allow_custom=False, version="2.1")
    except (stix2.exceptions.STIXError, ValueError, TypeError, KeyError) as exc:
        raise ExchangeError(
            N_("the bundle is not valid STIX 2.1: {reason}"), reason=str(exc)[:300]
        ) from None
    objects: list[Any] = list(getattr(bundle, "objects", None) or [])
    ids = {o["id"] for o in objects}
    for obj in objects:
        for prop in STRICT_REFS.get(obj["type"], ()):
            ref = obj.get(prop)
            if ref is not None and ref not in ids:
                raise ExchangeError(
                    N_("{object} refers to {ref}, which is not in the bundle"),
                    object=obj["id"],
                    ref=ref,
                )
    return objects


def _schema(obj: Any) -> str | None:
    rules: dict[str, dict[str, str]] = data("exchange")["import_types"]
    by_class = rules.get(obj["type"])
    if by_class is None:
        return None
    return by_class.get(str(obj.get("identity_class", "")), by_class["*"])


def _add(proxy: EntityProxy, prop: str, value: object) -> None:
    if value is None or proxy.schema.get(prop) is None:
        return
    values = value if isinstance(value, list) else [value]
    for v in values:
        proxy.add(prop, str(v), quiet=True)


def _entity(obj: Any, schema: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = obj["id"]
    kind = obj["type"]
    if kind == "report":
        _add(proxy, "title", obj.get("name"))
        _add(proxy, "summary", obj.get("description"))
        _add(proxy, "publishedAt", obj.get("published"))
    elif kind == "location":
        _add(proxy, "full", obj.get("name") or obj.get("street_address"))
        _add(proxy, "street", obj.get("street_address"))
        _add(proxy, "city", obj.get("city"))
        _add(proxy, "region", obj.get("region"))
        _add(proxy, "country", obj.get("country"))
        _add(proxy, "latitude", obj.get("latitude"))
        _add(proxy, "longitude", obj.get("longitude"))
    else:
        _add(proxy, "name", obj.get("name"))
        _add(proxy, "alias", obj.get("aliases"))
        _add(proxy, "description", obj.get("description"))
        _add(proxy, "sector", obj.get("sectors"))
        _add(proxy, "startDate", obj.get("first_seen"))
        _add(proxy, "endDate", obj.get("last_seen"))
    return proxy


def _link(obj: Any) -> EntityProxy:
    proxy = model.make_entity("UnknownLink")
    proxy.id = obj["id"]
    proxy.add("subject", obj["source_ref"])
    proxy.add("object", obj["target_ref"])
    proxy.add("role", obj["relationship_type"])
    _add(proxy, "description", obj.get("description"))
    _add(proxy, "startDate", obj.get("start_time"))
    _add(proxy, "endDate", obj.get("stop_time"))
    return proxy


def to_entities(objects: list[Any]) -> Mapped:
    found = Mapped(objects=len(objects))
    made: dict[str, EntityProxy] = {}
    relationships = []
    for obj in objects:
        kind = obj["type"]
        if kind == "relationship":
            relationships.append(obj)
            continue
        schema = _schema(obj)
        if schema is None:
            found.skipped[kind] += 1
            continue
        made[obj["id"]] = _entity(obj, schema)  # a later version of an object replaces it
    for rel in relationships:
        if rel["source_ref"] in made and rel["target_ref"] in made:
            made[rel["id"]] = _link(rel)
        else:
            found.skipped["relationship"] += 1
    found.entities = list(made.values())
    if not found.entities:
        raise ExchangeError(N_("the bundle holds nothing that maps to entities"))
    return found
