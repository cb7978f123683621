"""A PostgreSQL host that takes the connection but never answers (a black hole, not a
refusal) is given up on after ``BAKEN_DB_CONNECT_TIMEOUT`` seconds with a clear error,
instead of holding the request for ever. The host is a socket on loopback that listens
and never speaks; no database is needed."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from baken.core.config import Settings
from baken.core.db import make_engine


@pytest.fixture
def black_hole() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)  # the kernel completes the handshake; nobody ever answers
        yield sock.getsockname()[1]


@pytest.mark.timeout(60)  # without the connect timeout libpq would wait until this
def test_a_silent_host_is_given_up_on_after_the_connect_timeout(
    black_hole: int, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"postgresql+psycopg://baken@127.0.0.1:{black_hole}/baken",
        db_connect_timeout=2,
    )
    engine = make_engine(settings)
    try:
        with pytest.raises(OperationalError, match="timeout"), engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
