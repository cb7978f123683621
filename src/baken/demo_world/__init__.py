"""The demo world at scale: seeded generators of fictional documents and bulk data, and
the loader that brings them in through the holdings services (``baken demo --size``).

Everything generated here is FICTIONAL: the people and companies are a fixed invented
cast; countries and public institutions are real and appear as they do in public
reporting. The same seed gives the same world.
"""

from __future__ import annotations

from baken.demo_world.sizes import SIZES, Size, size_of

__all__ = ["SIZES", "Size", "size_of"]
