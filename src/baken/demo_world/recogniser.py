"""The recogniser the generated demo documents are processed with.

The generated documents name only the fixed cast (:mod:`.corpus`), real countries, places
and institutions. Dutch NER in Frog runs at a few thousand characters per second on a
small machine, so running it over thousands of generated notes would keep ``make run``
busy for many minutes to find names that the generator put there itself. This recogniser
is the pipeline's own gazetteers (countries, places, institutions) with the cast added as
persons and organisations; every other stage (extraction, language, statements, tagging,
audit, the search index) is the ordinary pipeline. Each document records the engine it
was processed with, so the shortcut shows.
"""

from __future__ import annotations

from baken.demo_world.corpus import COMPANIES, PEOPLE, VESSELS
from baken.holdings.nlp.gazetteer import Entry, Gazetteer
from baken.holdings.nlp.merge import merge
from baken.holdings.types import Mention

ENGINE = "gazetteer + fictional cast (generated documents)"


class CastRecogniser:
    """Gazetteer-only NER with the demo cast; what :class:`Pipeline` needs of a recogniser."""

    def __init__(self) -> None:
        entries = dict(Gazetteer.build().entries)
        for person in PEOPLE:
            entries[person.name] = Entry("person", None)
        for name in [c.name for c in COMPANIES] + VESSELS:
            entries[name] = Entry("organisation", None)
        self._gazetteer = Gazetteer(entries)

    def recognise(self, text: str, language: str) -> list[Mention]:
        if not text.strip():
            return []
        return merge(text, [], self._gazetteer)

    def status(self) -> dict[str, str]:
        return {"demo": ENGINE}
