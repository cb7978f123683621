"""The recogniser the holdings pipeline calls: one per process, shared by its threads."""

from __future__ import annotations

import logging
import threading
import time

from baken.holdings.nlp import frog as frog_module
from baken.holdings.nlp.english import English, describe
from baken.holdings.nlp.gazetteer import Gazetteer
from baken.holdings.nlp.merge import ModelLabel, ModelSpan, merge
from baken.holdings.nlp.text import pieces
from baken.holdings.types import Mention

log = logging.getLogger(__name__)

FROG_PIECE = 5_000  # characters per Frog request, cut at paragraph or sentence ends
# Frog's time per call: 30 s plus 1 s per 500 characters (it does 2,000-9,000 a second on
# ordinary Dutch); text beyond that gets the gazetteers only, so that one odd document
# cannot hold a worker for long.
FROG_BUDGET = 30.0
FROG_MIN_RATE = 500.0
FROG_LABELS: dict[str, ModelLabel] = {
    "PER": "person",
    "ORG": "organisation",
    "LOC": "location",
    "MISC": "nationality",  # "Russische": a country when it names one, else dropped
}


class Recogniser:
    """Named entities in Dutch (Frog + gazetteers), English (spaCy + gazetteers) and any
    other language (gazetteers). Thread-safe; loads models lazily; one per process.

    Dutch without Frog (not installed, ``frog=False``, or it fails to start) falls back
    to the gazetteers, and :meth:`status` says so. When the Frog server dies, a call
    restarts it once and otherwise falls back for that call; a server that cannot be
    started is not tried again. ``frog_port`` pins the port Frog listens on (default: a
    free one). Call :meth:`close` to stop the Frog server.
    """

    def __init__(self, *, frog: bool = True, frog_port: int | None = None) -> None:
        self._lock = threading.Lock()  # guards the gazetteer's lazy load
        self._frog_lock = threading.Lock()  # guards the Frog server (starting takes ~6 s)
        self._gazetteer: Gazetteer | None = None
        self._english = English()
        self._frog: frog_module.FrogServer | None = None
        self._frog_port = frog_port
        self._frog_version: str | None = None
        # Why Dutch runs on the gazetteers alone; None while Frog is usable.
        self._frog_off: str | None = None
        if not frog:
            self._frog_off = "frog disabled"
        elif frog_module.installed() is None:
            self._frog_off = "frog not installed"
        self._frog_failed_last: str | None = None  # the last call fell back

    # -- the API ------------------------------------------------------------------------

    def recognise(self, text: str, language: str) -> list[Mention]:
        """Mentions in ``text`` with offsets into it; ``language`` is "nl", "en" or
        anything else (gazetteers only)."""
        if not text.strip():
            return []
        gazetteer = self.gazetteer()
        if language == "en":
            model = self._english.spans(text)
        elif language == "nl":
            model = self._dutch(text)
        else:
            model = []
        return merge(text, model, gazetteer)

    def status(self) -> dict[str, str]:
        """What each language runs on, for the record kept with a document."""
        # Reads a snapshot without the Frog lock: a start in progress must not block it.
        server, off, failed = self._frog, self._frog_off, self._frog_failed_last
        if off is not None:
            dutch = f"gazetteer only: {off}"
        elif failed is not None:
            dutch = f"gazetteer only: {failed}"
        elif server is not None and server.alive():
            dutch = f"{server.version} (server on {server.address}) + gazetteer"
        else:
            if self._frog_version is None:
                self._frog_version = frog_module.version()
            dutch = f"{self._frog_version} (starts on first use) + gazetteer"
        return {"en": f"{describe()} + gazetteer", "nl": dutch, "other": "gazetteer only"}

    def close(self) -> None:
        """Stop the Frog server this recogniser started. Dutch falls back to the
        gazetteers afterwards."""
        with self._frog_lock:
            if self._frog is not None:
                self._frog.close()
                self._frog = None
            if self._frog_off is None:
                self._frog_off = "recogniser closed"

    def gazetteer(self) -> Gazetteer:
        with self._lock:
            if self._gazetteer is None:
                self._gazetteer = Gazetteer.build()
            return self._gazetteer

    # -- Dutch --------------------------------------------------------------------------

    def _dutch(self, text: str) -> list[ModelSpan]:
        bounds = pieces(text, FROG_PIECE)
        deadline = time.monotonic() + FROG_BUDGET + len(text) / FROG_MIN_RATE
        tagged = self._frog_tag([text[start:end] for start, end in bounds], deadline)
        return [
            ModelSpan(start + span.start, start + span.end, FROG_LABELS[span.kind], "frog")
            for (start, _), found in zip(bounds, tagged, strict=False)
            for span in found
            if span.kind in FROG_LABELS
        ]

    def _frog_tag(self, texts: list[str], deadline: float) -> list[list[frog_module.Span]]:
        """Frog's entities per text, as many as it gave in time (none when this call must
        do without it). A failed server is restarted (or retried, if it still runs) once
        per call."""
        server = self._server(None)
        if server is None:
            return []
        for attempt in (1, 2):
            try:
                tagged = server.tag(texts, deadline)
            except frog_module.FrogTimeout as timeout:
                done = len(timeout.partial)
                log.warning("frog ran out of time after %d of %d pieces", done, len(texts))
                return timeout.partial
            except frog_module.FrogError as error:
                if attempt == 1:
                    log.warning("frog failed, trying once more: %s", error)
                    server = self._server(server)
                    if server is None:
                        return []
                    continue
                log.error("frog failed twice; this text gets the gazetteers only: %s", error)
                self._frog_failed_last = f"frog failed ({error})"
                return []
            self._frog_failed_last = None
            return tagged
        return []  # pragma: no cover - the loop returns

    def _server(self, failed: frog_module.FrogServer | None) -> frog_module.FrogServer | None:
        """The running server, started on first use. ``failed`` is a server a call could
        not use: it is replaced once if it died (another thread may have done so)."""
        with self._frog_lock:
            if self._frog_off is not None:
                return None
            current = self._frog
            if current is not None and current is not failed:
                return current
            if current is not None and current.alive():
                return current  # it answered badly but runs: let the caller retry once
            if current is not None:
                log.warning("frog server died (%s); restarting", current.log_tail(2))
                current.close()
                self._frog = None
            # One connection: measured on 2 cores, two concurrent Frog children ran ~10x
            # slower each than one alone (8 mixed documents: 21.9 s wall with the pool
            # of 4, 4.9 s with one connection), so Dutch NER calls queue for Frog.
            server = frog_module.FrogServer(port=self._frog_port, connections=1)
            try:
                server.start()
            except frog_module.FrogError as error:
                log.error("frog could not start; Dutch NER uses the gazetteers: %s", error)
                self._frog_off = f"frog failed to start ({error})"
                return None
            self._frog = server
            return server
