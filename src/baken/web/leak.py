"""Leak-matrix cases for the web shell's own routes."""

from __future__ import annotations

from baken.testing.leakmatrix import LeakCase

CASES = [
    LeakCase("GET", "/"),
    LeakCase("GET", "/healthz"),
    LeakCase("GET", "/login"),
    LeakCase(
        "POST",
        "/login",
        form=lambda p: {"username": "aivd-stg_geheim", "password": "wrong password"},
    ),
    LeakCase("POST", "/logout", order=100),
    LeakCase("POST", "/taal", form=lambda p: {"lang": "en", "next": "/"}),
    # Shows when each token was last used, which the matrix itself changes.
    LeakCase("GET", "/account", differential=False),
    LeakCase("POST", "/account/tokens", form=lambda p: {"name": "matrix", "days": "5"}),
    LeakCase("POST", "/account/tokens/{token_id}/intrekken", params={"token_id": 999_999}),
    LeakCase("GET", "/beheer/gebruikers"),
    LeakCase(
        "POST",
        "/beheer/gebruikers/{username}/status",
        params={"username": "nobody"},
        form=lambda p: {"disabled": "true"},
    ),
    LeakCase("GET", "/audit", differential=False),
    LeakCase("POST", "/audit/verify"),
    LeakCase("GET", "/saneringen"),
    LeakCase("GET", "/saneringen/{sanitisation_id}", fixture="sanitisation"),
    LeakCase(
        "POST",
        "/saneringen/{sanitisation_id}/besluit",
        fixture="sanitisation",
        form=lambda p: {"decision": "reject", "note": ""},
    ),
    LeakCase("GET", "/api/v1/me"),
    LeakCase("POST", "/api/v1/tokens", json=lambda p: {"name": "matrix", "days": 5}),
    LeakCase("GET", "/api/v1/audit", differential=False),
    LeakCase("POST", "/api/v1/audit/verify"),
    LeakCase("GET", "/api/openapi.json"),
    LeakCase("GET", "/api/docs"),
]
