"""Schemathesis over the JSON API (``/api/v1``), in process, as several kinds of reader.

Every operation in Baken's OpenAPI document gets a few generated requests, valid and
invalid (derandomized, so a CI run is reproducible), sent to the ASGI app with each seat's
bearer token: an analyst, a partner recipient, an employer's security officer and the
overseer. The world is the leak matrix's: every module's fixtures, each object carrying a
secret at one marking per branch of the policy's SQL. A response fails when it is a
server error, does not conform to the document (status code, content type, headers,
body schema: schemathesis's checks), or contains the secret of an object the seat may
not read.

The HTML form routes (session cookie and CSRF token) are left to the leak matrix
(``tests/web/test_leak_matrix.py``) and to ``tests/web/test_bad_input.py``: here the
target is the bearer-token API, which needs no CSRF token.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import ignored_auth

from baken.core import policy
from baken.core.markings import Marking
from baken.testing.leakmatrix import MARKINGS, SEATS, World, build_world

# An analyst (internal roles, Stg. Geheim, no compartment), a partner recipient, an
# employer's security officer and the overseer.
API_SEATS = ("aivd-stg_geheim", "nctv", "werkgever", "ctivd")

# One marking for each reason these seats are refused or let in: joint and unmarked
# (everyone internal reads it), the other service, a compartment above every seat, released
# to the partner, released to the employer, a third party's material. (The leak matrix
# runs every marking over every route; here each marking costs a world build.)
API_MARKINGS = (
    Marking.of("ONGERUBRICEERD", "JOINT"),
    Marking.of("STG_GEHEIM", "MIVD"),
    Marking.of("STG_ZEER_GEHEIM", "JOINT", compartments={"KOBALT"}),
    Marking.of("STG_CONFIDENTIEEL", "AIVD", releasable_to={"NCTV"}),
    Marking.of("DEP_VERTROUWELIJK", "JOINT", releasable_to={"EMPLOYER-A"}),
    Marking.of("STG_GEHEIM", "AIVD", originators={"PARTNER-A"}),
)


def _world(app: FastAPI) -> World:
    reg = app.state.registry
    fixtures = reg.collect(reg.hook.baken_leak_fixtures)
    seats = [s for s in SEATS if s.name in API_SEATS]
    assert len(seats) == len(API_SEATS)
    assert all(m in MARKINGS for m in API_MARKINGS)
    return build_world(app, fixtures, seats, API_MARKINGS)


def _breaches(world: World, seat: str, text: str) -> list[str]:
    """The secrets in ``text`` that ``seat`` may not read; those it may read are marked
    seen, so the run shows it reached the world at all."""
    principal = world.principals[seat]
    found = []
    for secret in world.secrets:
        if secret.text not in text:
            continue
        if policy.can_read(principal, secret.kind, secret.marking):
            secret.seen_by_reader = True
        else:
            found.append(f"{secret.fixture} at [{secret.marking.key()}]")
    return found


def _probe(world: World, case: Case[Any]) -> None:
    """One generated request as every seat: schemathesis's checks, then the secrets."""
    for n, seat in enumerate(API_SEATS):
        headers = {"Authorization": f"Bearer {world.tokens[seat]}"}
        # The request without a token (ignored_auth) is the same for every seat: once.
        response = case.call_and_validate(
            headers=headers, excluded_checks=[ignored_auth] if n else None
        )
        head = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        breaches = _breaches(world, seat, f"{head}\n{response.text}")
        assert not breaches, f"{case.method} {case.formatted_path} shows {breaches} to {seat}"


@pytest.mark.timeout(600)
def test_api_answers_every_seat_within_its_document(app: FastAPI) -> None:
    world = _world(app)
    config = SchemathesisConfig.from_dict(
        {
            "seed": 12,
            # A request of the right shape may still be refused by a domain rule (a date
            # past its term, another organisation's people): that is a 422 with problem
            # details, not a 5xx, and the document says so.
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
                }
            },
        }
    )
    document = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=config)
    failures: list[str] = []
    operations = 0
    for result in document.include(path_regex=r"^/api/v1/").get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=3,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def probe(case: Case[Any]) -> None:
                _probe(world, case)

            try:
                probe()
            except Unsatisfiable:
                continue  # no invalid request exists for an operation without parameters
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert operations >= 90
    assert not failures, f"{len(failures)} failure(s):\n" + "\n\n".join(failures)
    # The generated requests reached marked objects: a secret was shown to a reader.
    assert any(s.seen_by_reader for s in world.secrets)
