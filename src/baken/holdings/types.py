"""Plain types shared by the holdings pipeline stages (extract, language, NER, index).

They carry no marking: the pipeline attaches the document's marking when it stores what a
stage produced. Keeping the stages pure (bytes in, these types out) lets each be re-run on
its own over a collection and tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from baken.core.i18n import N_

MentionLabel = Literal["person", "organisation", "location", "country"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A named entity found in a text. ``normalised`` is the ISO 3166-1 alpha-2 code for
    a country (and, where known, the country of a location)."""

    label: MentionLabel
    text: str
    start: int
    end: int
    normalised: str | None = None
    source: str = ""  # "frog", "spacy", "gazetteer"


@dataclass(frozen=True, slots=True)
class Child:
    """A member of an archive or an attachment of a message, extracted as its own item."""

    name: str  # safe relative name, never absolute, never with ".."
    data: bytes


@dataclass(slots=True)
class Extracted:
    """What text extraction made of one file."""

    mime: str
    text: str = ""
    title: str | None = None
    pages: int | None = None
    ocr: bool = False  # some text came from OCR
    children: list[Child] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


# Why an item was quarantined: a stable code and a message shown in the UI and the CLI.
QUARANTINE_REASONS: dict[str, str] = {
    "corrupt": N_("The file is damaged and cannot be read."),
    "encrypted": N_("The file is encrypted; no text can be extracted without its key."),
    "zip_bomb": N_("The archive expands to far more than its size allows (zip bomb)."),
    "too_deep": N_("The archive is nested too deeply."),
    "too_many": N_("The archive holds too many members."),
    "xml_bomb": N_("The document contains an XML entity expansion (XML bomb)."),
    "too_large": N_("The file is larger than the ingest limit."),
    "bad_encoding": N_("The text is not valid in any supported character encoding."),
    "unknown_type": N_("The file type is not supported."),
    "unsafe_name": N_("An archive member has an unsafe path (path traversal)."),
    "ocr_failed": N_("Optical character recognition failed on a scanned page."),
}


class Quarantined(Exception):
    """Raised by a stage for an item it must not process; the batch goes on."""

    def __init__(self, reason: str, detail: str = "") -> None:
        if reason not in QUARANTINE_REASONS:
            raise ValueError(f"unknown quarantine reason {reason!r}")
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
