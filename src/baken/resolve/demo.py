"""The resolve part of the demo world. Everything here is FICTIONAL: the people are drawn
by :mod:`baken.resolve.synthetic` from tables of common first and last names, with random
dates of birth, passport-like numbers and addresses.

Two structured collections hold many of the same people, written differently (another
script, another romanisation, swapped names, typos, a move), for an analyst to
cross-reference from the browser (``/kruisverwijzingen``) or the CLI
(``baken xref run register-a-demo partner-b-demo -u analist.zg``) and to screen against
(``/screening``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.markings import Level, Marking, Service
from baken.core.models import User
from baken.core.schemas import MarkingIn
from baken.core.users import to_principal
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections, entities
from baken.resolve import synthetic

REGISTER = "register-a-demo"
PARTNER = "partner-b-demo"
PEOPLE = 150
SEED = 2026
NOTICE = "FICTIEF — demodata van Baken; alle personen zijn verzonnen (synthetisch gegenereerd)."


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    analyst = session.get(User, users["analist.zg"])
    assert analyst is not None
    author = to_principal(analyst)
    problem = synthetic.generate(PEOPLE, seed=SEED, cross_script=synthetic.MAX_CROSS_SCRIPT)
    register = collections.create(
        session,
        principal=author,
        data=CollectionCreate(
            name=REGISTER,
            title="Personenregister bedrijfsrecherche (fictief)",
            description=NOTICE,
            kind="structured",
            legal_basis="open_source",
            acquired_on=date(2026, 4, 1),
            retention_until=date(2031, 4, 1),
            marking=MarkingIn.of(Marking(level=Level.DEP_VERTROUWELIJK, owner=Service.JOINT)),
        ),
    )
    partner = collections.create(
        session,
        principal=author,
        data=CollectionCreate(
            name=PARTNER,
            title="Personenlijst partnerdienst B (fictief)",
            description=NOTICE + " Derdenregel: verstrekking alleen met toestemming van PARTNER-A.",
            kind="structured",
            legal_basis="partner",
            originator="PARTNER-A",
            acquired_on=date(2026, 7, 15),
            marking=MarkingIn.of(Marking(level=Level.STG_CONFIDENTIEEL, owner=Service.AIVD)),
        ),
    )
    for collection_id, table, prefix in (
        (register, problem.left, "demo-reg-"),
        (partner, problem.right, "demo-pb-"),
    ):
        entities.import_ftm(
            session,
            principal=author,
            collection_id=collection_id,
            lines=[json.dumps(p, ensure_ascii=False) for p in persons(table.to_pylist(), prefix)],
        )


def persons(rows: list[dict[str, Any]], prefix: str) -> Iterator[dict[str, Any]]:
    """FtM Person entities from the generator's rows."""
    for row in rows:
        props: dict[str, list[str]] = {"name": [row["name"]]}
        for prop, column in (
            ("firstName", "first_name"),
            ("lastName", "last_name"),
            ("birthDate", "birth_date"),
            ("nationality", "nationality"),
            ("passportNumber", "identifier"),
        ):
            if row.get(column):
                props[prop] = [str(row[column]).lower() if prop == "nationality" else row[column]]
        if row.get("street"):
            props["address"] = [
                f"{row['street']} {row['house_number']}, {row['postcode']} {row['city']}"
            ]
        yield {"id": f"{prefix}{row['id']}", "schema": "Person", "properties": props}
