"""A seeded generator of fictional reports and notes, in Dutch and English, on the 2026
themes of the annual-plan letters (DOMAIN.md §1).

Each document mentions members of a fixed invented cast (people, companies, a vessel)
together with real countries, cities and public institutions, and states that it is
fictional (the holdings demo's NOTICE line). Document ``i`` depends only on the seed and
``i``: the first 2,000 documents of the large corpus are the default corpus, and the
same seed always gives the same bytes.
"""

from __future__ import annotations

import html
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from baken.holdings.demo import NOTICE, NOTICE_EN

SEED = 2026

# -- the cast: invented people and companies (the first ones are the holdings demo's) ----


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    country: str  # ISO 3166-1 alpha-2 of their ties
    role_nl: str
    role_en: str


PEOPLE = [
    Member(
        "Pavel Orlov",
        "RU",
        "een vermeende inlichtingenofficier",
        "a suspected intelligence officer",
    ),
    Member("Li Wenjun", "CN", "een tussenpersoon", "an intermediary"),
    Member("Reza Tavakoli", "IR", "een handelaar", "a trader"),
    Member("Samir El Amrani", "BE", "een ronselaar", "a recruiter"),
    Member("Marieke de Boer", "NL", "een raadslid", "a local councillor"),
    Member("Dmitri Sokolov", "RU", "een diplomaat", "a diplomat"),
    Member("Zhang Wei", "CN", "een onderzoeker", "a researcher"),
    Member("Kim Song-il", "KP", "een scheepsagent", "a shipping agent"),
    Member("Farid Haddad", "SY", "een financier", "a financier"),
    Member("Viktor Lebedev", "BY", "een zakenman", "a businessman"),
    Member("Joost van Leeuwen", "NL", "een ingenieur", "an engineer"),
    Member("Hamid Rostami", "IR", "een inkoper", "a procurement agent"),
    Member("Elena Markova", "RU", "een journaliste", "a journalist"),
    Member("Chen Lei", "CN", "een student", "a student"),
    Member("Youssef Benali", "NL", "een influencer", "an influencer"),
    Member("Carlos Mendoza", "VE", "een havenondernemer", "a port entrepreneur"),
]
COMPANIES = [
    Member("Noordzee Logistiek B.V.", "NL", "een expediteur", "a freight forwarder"),
    Member("Delta Fotonica B.V.", "NL", "een chipbedrijf", "a chip maker"),
    Member("Ocean Bridge Trading Ltd", "SG", "een handelshuis", "a trading house"),
    Member("Baltic Horizon Consulting", "LT", "een adviesbureau", "a consultancy"),
    Member("Polderveld Systemen B.V.", "NL", "een defensieleverancier", "a defence supplier"),
    Member("Meridian Holdings Ltd", "CY", "een houdstermaatschappij", "a holding company"),
    Member("Kade Overslag B.V.", "NL", "een overslagbedrijf", "a terminal operator"),
    Member("Sirius Dual-Use Trading FZE", "AE", "een handelsonderneming", "a trading firm"),
    Member("Caribe Marítima S.A.", "VE", "een rederij", "a shipping line"),
    Member("Lotus Quantum Technology Co.", "CN", "een technologiebedrijf", "a technology firm"),
]
VESSELS = ["Morning Pearl", "Northern Star", "Golden Tern"]

# Real places and public institutions (named as in public reporting).
CITIES = ["Rotterdam", "Amsterdam", "Den Haag", "Eindhoven", "Utrecht", "Delft", "Almere",
          "Leiden", "Arnhem", "Groningen", "Vlissingen", "Willemstad"]  # fmt: skip
INSTITUTIONS_NL = ["de NCTV", "Europol", "het NCSC", "het Openbaar Ministerie",
                   "het ministerie van Buitenlandse Zaken", "het ministerie van Defensie",
                   "de KMar", "de Nationale Politie", "de FIOD", "de IAEA", "de NAVO"]  # fmt: skip
INSTITUTIONS_EN = ["the NCTV", "Europol", "the National Cyber Security Centre",
                   "the Public Prosecution Service", "the Ministry of Foreign Affairs",
                   "the Ministry of Defence", "the KMar", "the National Police", "Eurojust",
                   "the International Atomic Energy Agency", "NATO"]  # fmt: skip

# -- the themes (steering's codes) with their countries and sentences --------------------


@dataclass(frozen=True, slots=True)
class Theme:
    code: str  # as in steering's THEMES
    nl: str
    en: str
    countries: tuple[tuple[str, str], ...]  # (Dutch name, English name)
    lines_nl: tuple[str, ...]
    lines_en: tuple[str, ...]


RU = ("Rusland", "Russia")
CN = ("China", "China")
IR = ("Iran", "Iran")
KP = ("Noord-Korea", "North Korea")
THEMES = [
    Theme(
        "RUS",
        "Rusland",
        "Russia",
        (RU, ("Belarus", "Belarus")),
        (
            "{person}, {role}, had in {city} contact met medewerkers van {company}.",
            "Statelijke actoren uit {country} verkennen havens via {company}.",
            "{institution} is geïnformeerd over sabotagevoorbereidingen nabij {city}.",
            "De GRU gebruikt volgens deze rapportage {company} als dekmantel.",
        ),
        (
            "{person}, {role}, met staff of {company} in {city}.",
            "State actors from {country} use {company} to map port infrastructure.",
            "{institution} was informed about preparations for sabotage near {city}.",
            "The GRU is assessed to use {company} as a front.",
        ),
    ),
    Theme(
        "CHN",
        "China",
        "China",
        (CN,),
        (
            "{company} in {city} werd benaderd voor de overname van een dochteronderneming.",
            "{person}, {role}, zocht toegang tot onderzoek naar halfgeleiders in {city}.",
            "Kennisinstellingen in {city} ontvingen verzoeken uit {country} voor samenwerking.",
        ),
        (
            "{company} in {city} was approached about the takeover of a subsidiary.",
            "{person}, {role}, sought access to semiconductor research in {city}.",
            "Universities in {city} received requests from {country} for joint research.",
        ),
    ),
    Theme(
        "CP",
        "Contraproliferatie",
        "Counter-proliferation",
        (IR, KP, RU),
        (
            "{company} leverde dual-usegoederen door aan een afnemer in {country}.",
            "Het vaartuig {vessel} meerde aan in {city}; {institution} volgt de lading.",
            "{person}, {role}, bestelde vacuümpompen die onder de exportcontrole vallen.",
        ),
        (
            "{company} passed dual-use goods on to a buyer in {country}.",
            "The vessel {vessel} called at {city}; {institution} is tracking its cargo.",
            "{person}, {role}, ordered vacuum pumps that fall under export controls.",
        ),
    ),
    Theme(
        "ET",
        "Extremisme en terrorisme",
        "Extremism and terrorism",
        (("Syrië", "Syria"), ("België", "Belgium")),
        (
            "Het netwerk rond {person} in {city} verspreidt propaganda van Islamitische Staat.",
            "{institution} waarschuwt voor online radicalisering van minderjarigen.",
            "{person}, {role}, onderhoudt contacten met sympathisanten in {country}.",
        ),
        (
            "The network around {person} in {city} spreads Islamic State propaganda.",
            "{institution} warns of the online radicalisation of minors.",
            "{person}, {role}, keeps in touch with sympathisers in {country}.",
        ),
    ),
    Theme(
        "CYB",
        "Cyber",
        "Cyber",
        (CN, RU, IR),
        (
            "Een groep die vanuit {country} opereert, drong binnen bij een netwerk in {city}.",
            "{institution} heeft getroffen organisaties in {city} gewaarschuwd.",
            "{company} bleek een doorgeefluik voor aanvalsinfrastructuur.",
        ),
        (
            "A group operating from {country} breached a network in {city}.",
            "{institution} notified affected organisations in {city}.",
            "{company} turned out to relay attack infrastructure.",
        ),
    ),
    Theme(
        "EV",
        "Economische veiligheid",
        "Economic security",
        (CN, RU),
        (
            "{company} kreeg een investering van een fonds met banden met {country}.",
            "Ongewenste kennisoverdracht: {person}, {role}, nam ontwerpen mee naar {country}.",
        ),
        (
            "{company} received an investment from a fund tied to {country}.",
            "Unwanted transfer of knowledge: {person}, {role}, took designs to {country}.",
        ),
    ),
    Theme(
        "MOO",
        "Midden-Oosten",
        "Middle East",
        (IR, ("Syrië", "Syria")),
        (
            "{person}, {role}, werd gezien bij een bijeenkomst van dissidenten in {city}.",
            "Iraanse actoren probeerden critici in {city} te intimideren.",
        ),
        (
            "{person}, {role}, was seen near a meeting of dissidents in {city}.",
            "Iranian actors tried to intimidate critics in {city}.",
        ),
    ),
    Theme(
        "VEN",
        "Venezuela",
        "Venezuela",
        (("Venezuela", "Venezuela"),),
        (
            "{company} vervoert brandstof tussen {country} en Willemstad.",
            "De Kustwacht meldde ongebruikelijke vaarbewegingen rond Curaçao.",
        ),
        (
            "{company} carries fuel between {country} and Willemstad.",
            "The Netherlands Coastguard reported unusual movements around Curaçao.",
        ),
    ),
    Theme(
        "CN",
        "Criminele netwerken",
        "Criminal networks",
        (("Marokko", "Morocco"), ("België", "Belgium")),
        (
            "Een crimineel netwerk probeert via {company} havenpersoneel in {city} om te kopen.",
            "{institution} onderzoekt dreigingen tegen een burgemeester in {city}.",
        ),
        (
            "A criminal network tries to bribe staff at the port of {city} through {company}.",
            "{institution} is investigating threats against a mayor in {city}.",
        ),
    ),
    Theme(
        "INM",
        "Ongewenste buitenlandse inmenging",
        "Unwanted foreign interference",
        (("Turkije", "Turkey"), CN, RU),
        (
            "{person}, {role} in {city}, ontving giften van een stichting uit {country}.",
            "Diaspora in {city} wordt vanuit {country} onder druk gezet.",
        ),
        (
            "{person}, {role} in {city}, received gifts from a foundation funded from {country}.",
            "Diaspora communities in {city} are pressured from {country}.",
        ),
    ),
]
COMMON_NL = (
    "De AIVD en de MIVD delen deze inschatting met {institution}.",
    "Deze informatie is afkomstig uit open bronnen en is niet geverifieerd.",
    "Er zijn aanwijzingen dat de activiteiten in {month} zijn toegenomen.",
)
COMMON_EN = (
    "The AIVD and the MIVD shared this assessment with {institution}.",
    "This information comes from open sources and has not been verified.",
    "There are indications that the activity increased in {month}.",
)
MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december"]  # fmt: skip
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]  # fmt: skip
YEAR_START = date(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class DemoDocument:
    """One generated document: its file name (relative), bytes and what it is about."""

    name: str
    data: bytes
    language: str  # nl | en
    theme: str
    title: str
    people: tuple[str, ...]
    companies: tuple[str, ...]


def document(i: int, *, seed: int = SEED) -> DemoDocument:
    """Document number ``i`` of the corpus for ``seed`` (the same inputs, the same bytes)."""
    rng = random.Random(f"baken-demo/{seed}/{i}")  # noqa: S311 - a reproducible demo
    dutch = rng.random() < 0.55
    theme = rng.choice(THEMES)
    lines = theme.lines_nl if dutch else theme.lines_en
    on = YEAR_START + timedelta(days=rng.randrange(330))
    people: list[str] = []
    companies: list[str] = []
    sentences: list[str] = []
    pool = lines + (COMMON_NL if dutch else COMMON_EN)
    for template in rng.sample(pool, k=min(len(pool), rng.randint(3, 6))):
        person, company = rng.choice(PEOPLE), rng.choice(COMPANIES)
        country = rng.choice(theme.countries)
        fills = {
            "person": person.name,
            "role": person.role_nl if dutch else person.role_en,
            "company": company.name,
            "country": country[0] if dutch else country[1],
            "city": rng.choice(CITIES),
            "institution": rng.choice(INSTITUTIONS_NL if dutch else INSTITUTIONS_EN),
            "vessel": rng.choice(VESSELS),
            "month": (MONTHS_NL if dutch else MONTHS_EN)[on.month - 1],
        }
        sentence = template.format(**fills)
        sentences.append(sentence[0].upper() + sentence[1:])
        if "{person}" in template:
            people.append(person.name)
        if "{company}" in template:
            companies.append(company.name)
    body = " ".join(sentences)
    ref = f"{theme.code}-{i + 1:05d}"
    if dutch:
        title = f"Notitie {theme.nl} {ref} (fictief)"
        text = f"{title}\nDatum: {on.isoformat()}\n\n{body}\n\n{NOTICE}\n"
        data, name = text.encode(), f"{theme.code.lower()}/nl-{i + 1:05d}.txt"
    else:
        title = f"Report {theme.en} {ref} (fictional)"
        data = (
            f"<html><head><title>{html.escape(title)}</title></head><body>"
            f"<h1>{html.escape(title)}</h1><p>Date: {on.isoformat()}</p>"
            f"<p>{html.escape(body)}</p><p>{html.escape(NOTICE_EN)}</p></body></html>\n"
        ).encode()
        name = f"{theme.code.lower()}/en-{i + 1:05d}.html"
    return DemoDocument(
        name=name,
        data=data,
        language="nl" if dutch else "en",
        theme=theme.code,
        title=title,
        people=tuple(dict.fromkeys(people)),
        companies=tuple(dict.fromkeys(companies)),
    )


def documents(count: int, *, seed: int = SEED) -> Iterator[DemoDocument]:
    """The first ``count`` documents of the corpus for ``seed``."""
    for i in range(count):
        yield document(i, seed=seed)
