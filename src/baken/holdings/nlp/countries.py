"""Country names in Dutch and English, resolved to ISO 3166-1 alpha-2.

Two sources: pycountry's ISO names (English, and Dutch through its gettext catalogue) and
``countries.yaml`` for the forms people write (short names, abbreviations, adjectives).
Everything loads on first use and is cached for the process.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

Kind = Literal["name", "abbreviation", "adjective"]

ARTICLES = ("the ", "The ", "THE ", "de ", "De ", "het ", "Het ", "een ")


@dataclass(frozen=True, slots=True)
class CountryForm:
    text: str
    code: str
    kind: Kind


def load_yaml(name: str) -> dict[str, Any]:
    """A data file of this package."""
    text = resources.files(__package__ or __name__).joinpath(name).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _iso_names() -> list[CountryForm]:
    """pycountry's names in English and Dutch, skipping the catalogue forms nobody
    writes in running text ("Korea, Republic of", "Holy See (Vatican City State)")."""
    import pycountry

    dutch = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"])
    forms: list[CountryForm] = []
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            english = getattr(country, attribute, None)
            if not english:
                continue
            for name in (english, dutch.gettext(english)):
                name = name.removeprefix("the ")
                if "," in name or "(" in name:
                    continue
                forms.append(CountryForm(name, country.alpha_2, "name"))
    return forms


@cache
def forms() -> tuple[CountryForm, ...]:
    """Every known form, ISO names first so that the curated forms win on a clash."""
    data = load_yaml("countries.yaml")
    found = _iso_names()
    for code, entry in data["countries"].items():
        found += [CountryForm(text, code, "name") for text in entry.get("names", [])]
        found += [CountryForm(t, code, "abbreviation") for t in entry.get("abbreviations", [])]
        found += [CountryForm(text, code, "adjective") for text in entry.get("adjectives", [])]
    return tuple(found)


@cache
def not_in_text() -> frozenset[str]:
    """Forms country_code() accepts but the text gazetteer must not match."""
    return frozenset(load_yaml("countries.yaml")["not_in_text"])


@cache
def _by_name() -> dict[str, str]:
    """Case-folded names and adjectives → code (abbreviations are not folded)."""
    return {f.text.casefold(): f.code for f in forms() if f.kind != "abbreviation"}


@cache
def _abbreviations() -> dict[str, str]:
    return {f.text: f.code for f in forms() if f.kind == "abbreviation"}


def country_code(name: str) -> str | None:
    """The alpha-2 code of a Dutch or English country name, adjective or abbreviation,
    or of an ISO alpha-2/alpha-3 code; ``None`` when it names no country.

    Names match regardless of case ("rusland" → "RU"); codes and abbreviations only in
    upper case, so that "om", "is" and "nl" in running text never become countries.
    """
    cleaned = " ".join(name.replace("’", "'").split())
    for article in ARTICLES:
        if cleaned.startswith(article) and len(cleaned) > len(article):
            cleaned = cleaned[len(article) :]
            break
    if not cleaned:
        return None
    if cleaned.isupper() and cleaned.isalpha() and len(cleaned) <= 4:
        if cleaned in _abbreviations():
            return _abbreviations()[cleaned]
        return _iso_code(cleaned)
    return _by_name().get(cleaned.casefold())


def _iso_code(code: str) -> str | None:
    import pycountry

    if len(code) == 2:
        found = pycountry.countries.get(alpha_2=code)
    elif len(code) == 3:
        found = pycountry.countries.get(alpha_3=code)
    else:
        return None
    return found.alpha_2 if found is not None else None
