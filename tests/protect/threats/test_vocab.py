"""The threats vocabulary and the addressing rule (no database): the authority must fit
the domain and the addressee the authority, and every addressee can receive every type
of threat product."""

from __future__ import annotations

import pytest

from baken.analysis.products.schemas import product_types, recipient_codes, usual_recipients
from baken.protect.threats import schemas
from baken.protect.threats.service import ThreatError, check_addressing


def test_the_threat_types_are_analysis_products_every_addressee_receives() -> None:
    assert schemas.threat_types() == [
        "dreigingsmelding",
        "informatierapport_dreiging",
        "dreigingsinschatting",
        "dreigingsanalyse",
        "risicoanalyse",
    ]
    addressees = {org for _, org in schemas.addressing()}
    assert addressees == {"NCTV", "GEMEENTE-ZUIDPOLDER", "OM"}
    assert addressees <= set(recipient_codes())
    for code in schemas.threat_types():
        assert code in product_types()
        assert addressees <= set(usual_recipients(code)), code


def test_each_domain_has_its_one_authority() -> None:
    by_domain = {schemas.authority_info(a)["domain"]: a for a in schemas.authorities()}
    assert by_domain == {
        "rijksdomein": "nctv_coordinator",
        "openbare_orde": "mayor",
        "strafrecht": "chief_prosecutor",
    }
    assert set(by_domain) == set(schemas.domains())


def test_the_public_figures_of_2018() -> None:
    figures = {t: schemas.public_2018(t) for t in schemas.threat_types()}
    assert figures == {
        "dreigingsmelding": None,
        "informatierapport_dreiging": None,
        "dreigingsinschatting": 51,
        "dreigingsanalyse": 10,
        "risicoanalyse": 1,
    }


@pytest.mark.parametrize(
    ("domain", "authority", "addressee"),
    [
        ("rijksdomein", "nctv_coordinator", "NCTV"),
        ("openbare_orde", "mayor", "GEMEENTE-ZUIDPOLDER"),
        ("strafrecht", "chief_prosecutor", "OM"),
    ],
)
def test_fitting_addressing_passes(domain: str, authority: str, addressee: str) -> None:
    check_addressing(domain, authority, addressee)


@pytest.mark.parametrize(
    ("domain", "authority", "addressee", "message"),
    [
        ("rijksdomein", "", "", "needs an addressee"),
        ("rijksdomein", "nctv_coordinator", " ", "needs an addressee"),
        ("openbare_orde", "nctv_coordinator", "NCTV", "does not fit the domain"),
        ("strafrecht", "mayor", "GEMEENTE-ZUIDPOLDER", "does not fit the domain"),
        ("rijksdomein", "chief_prosecutor", "OM", "does not fit the domain"),
        ("openbare_orde", "mayor", "NCTV", "is not an addressee"),
        ("rijksdomein", "koning", "NCTV", "unknown deciding authority"),
        ("elders", "mayor", "GEMEENTE-ZUIDPOLDER", "unknown domain"),
    ],
)
def test_addressing_that_does_not_fit_is_refused(
    domain: str, authority: str, addressee: str, message: str
) -> None:
    with pytest.raises(ThreatError) as caught:
        check_addressing(domain, authority, addressee)
    assert message in str(caught.value)
