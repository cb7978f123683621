"""A cyber product as a MISP event (``pymisp.MISPEvent``): one attribute per observable,
the TLP tag the Baken marking maps to and a tag carrying the marking in full. The event
is marked "your organisation only" in MISP's own distribution terms: sharing it further
is a release, decided in Baken."""

from __future__ import annotations

import json
import uuid
from typing import Any

from pymisp import MISPEvent

from baken.analysis.exchange.errors import ExchangeError
from baken.analysis.exchange.stix_export import NAMESPACE, observable_types, tlp_label
from baken.analysis.products.schemas import ProductView
from baken.core.i18n import N_

YOUR_ORGANISATION_ONLY = 0
ANALYSIS_COMPLETED = 2
THREAT_LEVEL_MEDIUM = 2


def event(view: ProductView) -> MISPEvent:
    if not view.cyber:
        raise ExchangeError(N_("only a cyber product (with observables) exports to STIX or MISP"))
    types = observable_types()
    found = MISPEvent()
    found.uuid = str(uuid.uuid5(NAMESPACE, f"misp|product|{view.id}"))
    found.info = view.title
    found.date = view.created_at.date()
    found.distribution = YOUR_ORGANISATION_ONLY
    found.analysis = ANALYSIS_COMPLETED
    found.threat_level_id = THREAT_LEVEL_MEDIUM
    found.add_tag(f"tlp:{tlp_label(view.marking)}")
    found.add_tag(f'baken:marking="{view.marking.banner("en")}"')
    for obs in view.observables:
        if obs.type not in types:
            raise ExchangeError(N_("unknown observable type {type}"), type=obs.type)
        found.add_attribute(
            types[obs.type]["misp"],
            obs.value,
            comment=obs.description or None,
            to_ids=True,
            uuid=str(uuid.uuid5(NAMESPACE, f"misp|product|{view.id}|{obs.type}|{obs.value}")),
        )
    if view.summary:
        found.add_attribute("text", view.summary, category="Other", to_ids=False)
    return found


def to_json(found: MISPEvent) -> str:
    """The event as MISP imports it: ``{"Event": {...}}``."""
    body: dict[str, Any] = json.loads(found.to_json())
    return json.dumps({"Event": body}, ensure_ascii=False, indent=2, sort_keys=True)
