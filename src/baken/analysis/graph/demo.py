"""The fictional demo data of analysis (graph): a small network around the holdings
demo's Pavel Orlov (ownership, family, associates, a membership) in the open-source
collection, and one saved view of it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from baken.analysis.graph import service
from baken.core.config import Settings
from baken.core.models import User
from baken.core.users import to_principal
from baken.holdings.demo import OSINT
from baken.holdings.service import collections, entities

CENTER = "demo-pavel-orlov"

NETWORK: list[dict[str, Any]] = [
    {"id": "demo-irina-orlova", "schema": "Person", "properties": {"name": ["Irina Orlova"]}},
    {"id": "demo-viktor-sokolov", "schema": "Person", "properties": {"name": ["Viktor Sokolov"]}},
    {
        "id": "demo-baltic-horizon",
        "schema": "Company",
        "properties": {"name": ["Baltic Horizon Consulting"], "jurisdiction": ["lt"]},
    },
    {
        "id": "demo-veteranenclub",
        "schema": "Organization",
        "properties": {"name": ["Veteranenvereniging Noordster"]},
    },
    {
        "id": "demo-orlov-family",
        "schema": "Family",
        "properties": {
            "person": [CENTER],
            "relative": ["demo-irina-orlova"],
            "relationship": ["echtgenote"],
        },
    },
    {
        "id": "demo-orlov-sokolov",
        "schema": "Associate",
        "properties": {"person": [CENTER], "associate": ["demo-viktor-sokolov"]},
    },
    {
        "id": "demo-sokolov-baltic",
        "schema": "Ownership",
        "properties": {"owner": ["demo-viktor-sokolov"], "asset": ["demo-baltic-horizon"]},
    },
    {
        "id": "demo-sokolov-club",
        "schema": "Membership",
        "properties": {"member": ["demo-viktor-sokolov"], "organization": ["demo-veteranenclub"]},
    },
]


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    user = session.get(User, users.get("analist.zg", -1))
    if user is None:
        return
    author = to_principal(user)
    try:
        osint = collections.by_name(session, author, OSINT)
    except LookupError:
        return
    entities.import_ftm(
        session,
        principal=author,
        collection_id=osint.id,
        lines=[json.dumps(item) for item in NETWORK],
    )
    nodes = [CENTER, "demo-irina-orlova", "demo-viktor-sokolov", "demo-baltic-horizon"]
    service.save_view(
        session,
        principal=author,
        title="Orlov en Sokolov",
        center_id=CENTER,
        nodes=nodes,
        layout={n: {"x": 150.0 * i, "y": 80.0 * (i % 2)} for i, n in enumerate(nodes)},
    )
