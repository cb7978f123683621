"""How big the demo world is: ``small`` (today's world, for tests), ``default`` (what
``make run`` builds) and ``large`` (the benchmark scale)."""

from __future__ import annotations

from dataclasses import dataclass

from baken.core.i18n import N_


@dataclass(frozen=True, slots=True)
class Size:
    name: str
    documents: int  # generated reports and notes (Dutch and English)
    bulk_rows: int  # rows of the multi-script bulk dataset
    screenings: bool  # the extra cases that put a screening in every state


SIZES: dict[str, Size] = {
    "small": Size("small", documents=0, bulk_rows=0, screenings=False),
    "default": Size("default", documents=2_000, bulk_rows=1_000, screenings=True),
    "large": Size("large", documents=30_000, bulk_rows=100_000, screenings=True),
}


class SizeError(ValueError):
    """An unknown size; the message names the ones there are."""

    def __init__(self, name: str) -> None:
        self.message = N_("unknown size {size}; choose one of {sizes}")
        self.params = {"size": name, "sizes": ", ".join(SIZES)}
        super().__init__(self.message.format(**self.params))


def size_of(name: str) -> Size:
    """The size called ``name`` (case-insensitive); :class:`SizeError` otherwise."""
    found = SIZES.get(name.strip().lower())
    if found is None:
        raise SizeError(name)
    return found
