"""Translation catalogs: every English message id in the code has Dutch text.

After adding or changing a ``_('…')`` / ``ctx._("…")`` / ``N_("…")`` string, refresh the
catalogs from the repository root:

    .venv/bin/pybabel extract -F babel.cfg -o src/baken/locale/messages.pot --sort-output \
        --project Baken --version 0.1.0 --copyright-holder "Baken contributors" src
    .venv/bin/pybabel update -i src/baken/locale/messages.pot -d src/baken/locale

then give every empty or ``#, fuzzy`` entry in src/baken/locale/nl/LC_MESSAGES/messages.po
its Dutch (and drop the fuzzy flag). The en catalog may stay empty: English falls back to
the msgid. A string that is translated through a variable (``_(item.status)``,
``ctx._(title)``) is invisible to the extractor: list it with ``N_`` in
src/baken/locale/extra_messages.py, or ``pybabel update`` marks its Dutch obsolete.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from baken.core.i18n import gettext, pick

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
LOCALE_DIR = SRC / "baken" / "locale"

# Used through a variable, so the extractor cannot find them where they are used.
USED_THROUGH_VARIABLES = (
    # _(s.status) / _(item.status) in the sanitisation templates
    "requested",
    "approved",
    "rejected",
    # _(name) over the fields of a sanitised version, and the form's field names
    "title",
    "body",
    "reason",
    # detail of the CSRF refusal in baken.web.errors
    "The form was out of date or not sent from Baken. Reload and try again.",
)

# printf conversions: %(name)s, %s, %d, %% ...
CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")


@cache
def extracted() -> dict[str, tuple[str, ...]]:
    """Every message id in src/, found as ``pybabel extract -F babel.cfg`` finds them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        SRC, method_map, options_map
    ):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(msgid, []).append(f"src/{filename}:{lineno}")
    return {msgid: tuple(where) for msgid, where in found.items()}


def catalog(locale: str) -> Catalog:
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale, abort_invalid=True)


def required_ids() -> set[str]:
    from baken.web.errors import TITLES

    return set(extracted()) | set(USED_THROUGH_VARIABLES) | set(TITLES.values())


def test_extraction_finds_templates_python_and_markers() -> None:
    found = extracted()
    assert "Verify the chain" in found  # a template
    assert "Welcome, %(name)s" in found  # a template, newstyle with a placeholder
    assert "Wrong username or password." in found  # ctx._("…") in a route
    assert "give the reason for the sanitisation" in found  # N_("…") in the kernel
    assert "requested" in found  # listed in locale/extra_messages.py


def test_every_message_has_dutch() -> None:
    nl = catalog("nl")
    problems = []
    for msgid in sorted(required_ids()):
        where = ", ".join(extracted().get(msgid, ("(used through a variable)",)))
        message = nl.get(msgid)
        if message is None:
            problems.append(f"missing: {msgid!r} ({where})")
        elif not message.string:
            problems.append(f"empty: {msgid!r} ({where})")
        elif message.fuzzy:
            problems.append(f"fuzzy: {msgid!r} ({where})")
    assert not problems, "Dutch translations needed (see the top of this file):\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_placeholders_kept(locale: str) -> None:
    problems = []
    for message in catalog(locale):
        if not message.id or not message.string:
            continue
        msgid, msgstr = message.id, message.string
        assert isinstance(msgid, str), "no plural forms expected"
        assert isinstance(msgstr, str), "no plural forms expected"
        if Counter(CONVERSION.findall(msgid)) != Counter(CONVERSION.findall(msgstr)):
            problems.append(f"{msgid!r} -> {msgstr!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_english_catalog_exists() -> None:
    en = catalog("en")
    assert str(en.locale) == "en"


def test_gettext_per_locale() -> None:
    assert gettext("nl", "Sign in") == "Inloggen"
    assert gettext("en", "Sign in") == "Sign in"
    assert gettext("nl", "requested") == "aangevraagd"
    # an unknown locale falls back to Dutch
    assert gettext("fr", "Sign in") == "Inloggen"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.9", "en"),
        ("fr", "nl"),
        (None, "nl"),
        ("", "nl"),
        ("de, en;q=0.5", "en"),
        ("nl-NL,nl;q=0.9,en;q=0.8", "nl"),
        ("en;q=0.4,nl;q=0.6", "nl"),
    ],
)
def test_pick(header: str | None, expected: str) -> None:
    assert pick(header) == expected
