"""A cyber product as a STIX 2.1 bundle: the issuing service's identity, a report, an
indicator with a STIX pattern per observable, the observables themselves, and two
marking definitions: the TLP label the Baken marking maps to and a statement carrying
the Baken marking in full.

Ids are derived from the product (UUIDv5), so exporting the same product twice gives the
same ids. Internal sources (citations) are not exported: what leaves is the product.
"""

from __future__ import annotations

import uuid
from typing import Any

import stix2
from stix2 import v21

from baken.analysis.exchange.errors import ExchangeError
from baken.analysis.products.schemas import ProductView
from baken.analysis.vocab import data
from baken.core.i18n import N_
from baken.core.markings import Marking, Service

NAMESPACE = uuid.UUID("8d1f3f0e-5a3c-5c47-9b1e-2d6a0b4e7c11")
TLP = {
    "clear": v21.TLP_WHITE,
    "green": v21.TLP_GREEN,
    "amber": v21.TLP_AMBER,
    "red": v21.TLP_RED,
}
ISSUERS = {
    Service.AIVD: "Algemene Inlichtingen- en Veiligheidsdienst (AIVD)",
    Service.MIVD: "Militaire Inlichtingen- en Veiligheidsdienst (MIVD)",
    Service.JOINT: "AIVD en MIVD",
}


def tlp_label(marking: Marking) -> str:
    if marking.is_public():
        return "clear"
    return str(data("exchange")["tlp"][int(marking.level)])


def observable_types() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = data("exchange")["observables"]
    return found


def _id(kind: str, *parts: object) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join(str(p) for p in parts))}"


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _observable(kind: str, value: str, markings: list[str]) -> Any:
    common: dict[str, Any] = {"object_marking_refs": markings}
    if kind == "ipv4-addr":
        return v21.IPv4Address(value=value, **common)
    if kind == "ipv6-addr":
        return v21.IPv6Address(value=value, **common)
    if kind == "domain-name":
        return v21.DomainName(value=value, **common)
    if kind == "url":
        return v21.URL(value=value, **common)
    if kind == "file-sha256":
        return v21.File(hashes={"SHA-256": value}, **common)
    if kind == "email-addr":
        return v21.EmailAddress(value=value, **common)
    raise ExchangeError(N_("unknown observable type {type}"), type=kind)


def bundle(view: ProductView) -> v21.Bundle:
    """The product as a bundle; :class:`ExchangeError` if it is no cyber product or an
    observable cannot be expressed."""
    if not view.cyber:
        raise ExchangeError(N_("only a cyber product (with observables) exports to STIX or MISP"))
    types = observable_types()
    when = view.created_at
    tlp = TLP[tlp_label(view.marking)]
    statement = v21.MarkingDefinition(
        id=_id("marking-definition", "product", view.id, view.marking.key()),
        created=when,
        name=f"Baken: {view.marking.banner('en')}",
        definition_type="statement",
        definition=v21.StatementMarking(
            statement=f"{view.marking.banner('nl')} / {view.marking.banner('en')}"
        ),
    )
    markings = [tlp.id, statement.id]
    issuer = v21.Identity(
        id=_id("identity", "issuer", view.marking.owner.value),
        created=when,
        modified=when,
        name=ISSUERS[view.marking.owner],
        identity_class="organization",
        sectors=["government-national"],
        object_marking_refs=markings,
    )
    objects: list[Any] = []
    refs: list[str] = []
    try:
        for obs in view.observables:
            if obs.type not in types:
                raise ExchangeError(N_("unknown observable type {type}"), type=obs.type)
            sco = _observable(obs.type, obs.value, markings)
            indicator = v21.Indicator(
                id=_id("indicator", "product", view.id, obs.type, obs.value),
                created=when,
                modified=when,
                created_by_ref=issuer.id,
                name=f"{obs.type} {obs.value}",
                description=obs.description or None,
                indicator_types=["malicious-activity"],
                pattern=f"[{types[obs.type]['path']} = {_quote(obs.value)}]",
                pattern_type="stix",
                valid_from=when,
                object_marking_refs=markings,
            )
            based_on = v21.Relationship(
                id=_id("relationship", "product", view.id, obs.type, obs.value),
                created=when,
                modified=when,
                created_by_ref=issuer.id,
                relationship_type="based-on",
                source_ref=indicator.id,
                target_ref=sco.id,
                object_marking_refs=markings,
            )
            objects += [indicator, sco, based_on]
            refs += [indicator.id, sco.id, based_on.id]
        description = "\n\n".join(p for p in (view.summary, view.body) if p)
        report = v21.Report(
            id=_id("report", "product", view.id),
            created=when,
            modified=when,
            created_by_ref=issuer.id,
            name=view.title,
            description=description or None,
            report_types=["threat-report"],
            published=when,
            object_refs=refs or [issuer.id],
            object_marking_refs=markings,
        )
        result = v21.Bundle(
            id=_id("bundle", "product", view.id),
            objects=[tlp, statement, issuer, report, *objects],
            allow_custom=False,
        )
        # What leaves must read back as valid STIX 2.1.
        stix2.parse(result.serialize(), allow_custom=False, version="2.1")
    except (stix2.exceptions.STIXError, ValueError) as exc:
        raise ExchangeError(
            N_("the product cannot be expressed as STIX 2.1: {reason}"), reason=str(exc)[:300]
        ) from None
    return result
