"""Countries (ISO 3166-1 alpha-2, from pycountry) and Baken's regions (``vocab.yaml``)."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from baken.analysis.vocab import data


@cache
def regions() -> dict[str, frozenset[str]]:
    return {
        code: frozenset(str(c) for c in info["countries"])
        for code, info in (data("warning").get("regions") or {}).items()
    }


def is_region(code: str) -> bool:
    return code in regions()


def is_country(code: str) -> bool:
    return len(code) == 2 and code.isalpha() and pycountry.countries.get(alpha_2=code) is not None


def known(code: str) -> bool:
    return is_region(code) or is_country(code)


def countries_of(code: str) -> frozenset[str]:
    """The countries a place stands for: a region's members, or the country itself."""
    return regions().get(code, frozenset({code}))


def regions_of(country: str) -> list[str]:
    return sorted(code for code, members in regions().items() if country in members)


def label(code: str | None, locale: str = "nl") -> str:
    if not code:
        return ""
    entry = (data("warning").get("regions") or {}).get(code)
    if entry is not None:
        return str(entry["en" if locale == "en" else "nl"])
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    return _name(str(country.name), locale) if country is not None else code


@cache
def _translation(locale: str) -> gettext.NullTranslations:
    if locale == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


def _name(name: str, locale: str) -> str:
    return _translation(locale).gettext(name)


@cache
def countries(locale: str = "nl") -> list[tuple[str, str]]:
    """(code, name in the locale) of every country, by name."""
    return sorted(
        ((str(c.alpha_2), _name(str(c.name), locale)) for c in pycountry.countries),
        key=lambda c: c[1],
    )
