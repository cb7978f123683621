"""Who may act for an employer, and how vetting data is marked.

Employers' security officers are external principals: the kernel lets them read what is
released to their organisation and write nothing (:func:`baken.core.policy.can_write`).
The Wvo gives them two acts of their own — requesting a screening and registering or
deregistering their staff — so vetting's services check those acts here, on top of the
kernel: the principal holds the employer role, and acts only for its own organisation.
Everything vetting stores is marked with :func:`employer_marking` or :func:`file_marking`,
so that the kernel's read filter keeps each employer to its own people.
"""

from __future__ import annotations

from baken.core.markings import Level, Marking, Service
from baken.core.policy import PolicyDenied
from baken.core.principals import Principal
from baken.core.vocab import load

EMPLOYER = "employer_security_officer"
SCREENER = "screening_officer"
MANDATED = "mandated_screening_officer"

# Personal data of screenings (DOMAIN.md §4): the screening unit is joint (UVO).
LEVEL = Level.DEP_VERTROUWELIJK


def employers() -> list[str]:
    """Organisation codes of the employers known to the vocabulary."""
    orgs = load("markings")["organisations"]
    return sorted(code for code, info in orgs.items() if info.get("kind") == "employer")


def mandated_parties() -> list[str]:
    """Organisation codes of the parties that screen under mandate (KMar, Police)."""
    orgs = load("markings")["organisations"]
    return sorted(code for code, info in orgs.items() if info.get("kind") == "mandated")


def employer_of(principal: Principal) -> str:
    """The organisation an employer's security officer acts for; anyone else is refused."""
    if EMPLOYER not in principal.roles or not principal.organisation:
        raise PolicyDenied("employer")
    return principal.organisation


def acts_for(principal: Principal, employer: str) -> None:
    """Refuse an employer's officer acting for another organisation."""
    if employer_of(principal) != employer:
        raise PolicyDenied("employer")


def employer_marking(employer: str) -> Marking:
    """Status, outcome and register entries: the screening unit and that employer."""
    return Marking.of(LEVEL, Service.JOINT, releasable_to={employer})


def file_marking() -> Marking:
    """Findings, partner data, interviews: the screening unit only."""
    return Marking.of(LEVEL, Service.JOINT)
