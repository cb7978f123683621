"""The holdings test world (collections made through the services) serves early warning too."""

from __future__ import annotations

from tests.holdings.conftest import World, _no_frog, world

__all__ = ["World", "_no_frog", "world"]
