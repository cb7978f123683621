"""Behind a reverse proxy: ``baken serve --trusted-proxy`` takes the client's address from
the proxy's X-Forwarded-For, so the per-address rate limits count users, not the proxy.
A real server on loopback; the client addresses are loopback addresses too."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from baken.core.config import Settings
from tests.conftest import PG_URL
from tests.faults.conftest import Server

pytestmark = pytest.mark.skipif(
    bool(PG_URL), reason="uvicorn's proxy headers do not depend on the database: SQLite pass"
)


def _bad_token(client: httpx.Client, who: str | None) -> int:
    headers = {"Authorization": "Bearer not-a-token"}
    if who:
        headers["X-Forwarded-For"] = who
    return client.get("/api/v1/notices", headers=headers).status_code


@pytest.mark.timeout(180)
def test_a_trusted_proxy_names_the_client_and_others_cannot(
    settings: Settings, tmp_path: Path
) -> None:
    limit = {"BAKEN_RATE_BAD_TOKEN": "2/minute"}
    trusting = Server(
        settings, tmp_path / "trusting.log", args=["--trusted-proxy", "127.0.0.1"], env=limit
    )
    try:
        trusting.start()
        with httpx.Client(base_url=trusting.url, timeout=30) as client:
            assert [_bad_token(client, "127.0.0.2") for _ in range(3)] == [401, 401, 429]
            # Another user behind the same proxy has a window of their own.
            assert _bad_token(client, "127.0.0.3") == 401
    finally:
        trusting.stop()

    # Without --trusted-proxy the header is anyone's to write and is ignored: every
    # request is the peer's, whatever it claims.
    plain = Server(settings, tmp_path / "plain.log", env=limit)
    try:
        plain.start()
        with httpx.Client(base_url=plain.url, timeout=30) as client:
            claims = ["127.0.0.4", "127.0.0.5", "127.0.0.6"]
            assert [_bad_token(client, who) for who in claims] == [401, 401, 429]
    finally:
        plain.stop()
