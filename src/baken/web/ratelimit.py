"""Rate limits on the doors of the web application: sign-in attempts and failed API
tokens per client address, new API tokens per user.

A moving window (``limits``) in the memory of each web process: with N workers an address
gets N times the limit, which still turns an online guessing attack from thousands of tries
a minute into tens. What must hold across processes holds in the database: the per-account
lockout of :mod:`baken.core.sessions`. A refused attempt is not tried at all, so it changes
nothing (no failed-login count, no session, no token); the refusal itself is audited.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request

from baken.core.config import Settings


class TooManyAttempts(Exception):
    """Answered with 429 and ``Retry-After``."""

    def __init__(self, door: str, retry_after: int) -> None:
        super().__init__(door)
        self.door = door
        self.retry_after = retry_after


@dataclass(frozen=True)
class Door:
    name: str
    item: RateLimitItem


class RateLimits:
    """The limits of one application instance (``app.state.rate_limits``)."""

    def __init__(self, settings: Settings) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self.login = Door("login", parse(settings.rate_login))
        self.bad_token = Door("bad_token", parse(settings.rate_bad_token))
        self.token_create = Door("token_create", parse(settings.rate_token_create))

    def _retry_after(self, door: Door, key: str) -> int:
        reset = self._limiter.get_window_stats(door.item, door.name, key).reset_time
        return max(1, math.ceil(reset - time.time()))

    def hit(self, door: Door, key: str) -> None:
        """Count one attempt; refuse it when the window is full."""
        if not self._limiter.hit(door.item, door.name, key):
            raise TooManyAttempts(door.name, self._retry_after(door, key))

    def check(self, door: Door, key: str) -> None:
        """Refuse when the window is full, without counting (failures count later)."""
        if not self._limiter.test(door.item, door.name, key):
            raise TooManyAttempts(door.name, self._retry_after(door, key))


def client_address(request: Request) -> str:
    """The peer's address. Behind a reverse proxy, ``baken serve --trusted-proxy ADDR``
    makes this the client named by the proxy's X-Forwarded-For, not the proxy."""
    return request.client.host if request.client else "unknown"


def limits_of(request: Request) -> RateLimits:
    found: RateLimits = request.app.state.rate_limits
    return found
