"""Translations: Dutch first, English second.

Message ids are English; ``locale/nl/LC_MESSAGES/messages.po`` holds the Dutch. Catalogs
are read from the ``.po`` files on first use (no compile step needed to run).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = ("nl", "en")
DEFAULT = "nl"


@cache
def translations(locale: str) -> NullTranslations:
    if locale not in LOCALES:
        locale = DEFAULT
    po = resources.files("baken").joinpath("locale", locale, "LC_MESSAGES", "messages.po")
    if not po.is_file():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def gettext(locale: str, message: str) -> str:
    return translations(locale).gettext(message)


def pick(header: str | None) -> str:
    """Choose nl or en from an Accept-Language header; Dutch when in doubt."""
    if not header:
        return DEFAULT
    best, best_q = DEFAULT, -1.0
    for part in header.split(","):
        lang, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        code = lang.strip().lower()[:2]
        if code in LOCALES and q > best_q:
            best, best_q = code, q
    return best


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a message for translation where it is defined; it is translated where shown."""
    return message
