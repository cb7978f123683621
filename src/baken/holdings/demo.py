"""The holdings part of the demo world. Everything here is FICTIONAL: persons, companies,
events and documents are invented for the demo; public facts (institutions, countries,
themes) follow DOMAIN.md.

* three collections with different legal bases and markings;
* one person and one company as FtM statements in two collections, so analysts with
  different clearances see different properties of the same entity;
* a corpus of mixed documents (Dutch and English; text, HTML, Word, PDF, e-mail, MBOX,
  ZIP, CSV, and a few bad files that end in quarantine) written to
  ``<data dir>/demo-corpus`` for ``baken ingest`` (``make run`` ingests it).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.markings import Level, Marking, Service
from baken.core.models import User
from baken.core.schemas import MarkingIn
from baken.core.users import to_principal
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections, entities

OSINT = "osint-demo"
PARTNER = "partner-a-demo"
SPECIAL = "tib-2026-0142-demo"

NOTICE = "FICTIEF — demodata van Baken; personen, bedrijven en gebeurtenissen zijn verzonnen."
NOTICE_EN = "FICTIONAL — Baken demo data; persons, companies and events are invented."

NL_TEXTS = [
    "Statelijke actoren uit Rusland proberen kennis te verwerven bij Nederlandse bedrijven. "
    "Een medewerker van Noordzee Logistiek B.V. meldde contact met Pavel Orlov, die zich "
    "voordeed als handelsattaché in Den Haag.",
    "China richt zich op de Nederlandse hightechsector. Het bedrijf Delta Fotonica B.V. in "
    "Eindhoven werd benaderd door een tussenpersoon, Li Wenjun, voor de overname van een "
    "dochteronderneming.",
    "De AIVD en de MIVD zagen in 2026 een toename van cyberaanvallen op vitale "
    "infrastructuur. Een aanval op Waterschap Hollands Midden werd toegeschreven aan een "
    "groep die vanuit Iran opereert.",
    "Het jihadistische netwerk rond Samir El Amrani in Antwerpen onderhoudt contacten met "
    "sympathisanten in Utrecht en Arnhem. De NCTV is geïnformeerd.",
    "Noord-Korea omzeilt sancties via scheepvaart. Het vaartuig Morning Pearl meerde aan in "
    "Rotterdam; de eigenaar, Ocean Bridge Trading Ltd, is gevestigd in Singapore.",
    "Ongewenste buitenlandse inmenging: Marieke de Boer, raadslid in Almere, ontving "
    "giften van een stichting die wordt gefinancierd vanuit Turkije.",
]
EN_TEXTS = [
    "Russian intelligence officers continue to target Dutch defence suppliers. Pavel Orlov "
    "met an engineer of Noordzee Logistiek B.V. in Amsterdam on three occasions.",
    "A partner service reports that Ocean Bridge Trading Ltd in Singapore charters vessels "
    "for North Korea. The Morning Pearl called at Rotterdam in March.",
    "Iranian actors attempted to intimidate dissidents in the Netherlands. A man named "
    "Reza Tavakoli was seen near a meeting in Leiden.",
    "Chinese state-sponsored hackers breached a university network in Delft, according to "
    "the National Cyber Security Centre.",
    "The Islamic State continues to inspire lone actors in Europe. Europol warned of "
    "propaganda aimed at minors in Belgium and Germany.",
    "Wagner recruiters approached veterans in Poland and Lithuania through a front company, "
    "Baltic Horizon Consulting, registered in Vilnius.",
]


def _marking(level: Level, owner: Service, **kw: frozenset[str]) -> MarkingIn:
    return MarkingIn.of(Marking(level=level, owner=owner, **kw))


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    analyst = session.get(User, users["analist.zg"])
    assert analyst is not None
    author = to_principal(analyst)
    osint = collections.create(
        session,
        principal=author,
        data=CollectionCreate(
            name=OSINT,
            title="Open bronnen 2026 (fictief)",
            description=NOTICE,
            legal_basis="open_source",
            acquired_on=date(2026, 3, 2),
            retention_until=date(2031, 3, 2),
            marking=_marking(Level.DEP_VERTROUWELIJK, Service.JOINT),
        ),
    )
    partner = collections.create(
        session,
        principal=author,
        data=CollectionCreate(
            name=PARTNER,
            title="Rapportages partnerdienst A (fictief)",
            description=NOTICE + " Derdenregel: verstrekking alleen met toestemming van PARTNER-A.",
            legal_basis="partner",
            originator="PARTNER-A",
            acquired_on=date(2026, 5, 11),
            marking=_marking(Level.STG_CONFIDENTIEEL, Service.AIVD),
        ),
    )
    special = collections.create(
        session,
        principal=author,
        data=CollectionCreate(
            name=SPECIAL,
            title="Interceptie onder toestemming TIB-2026-0142 (fictief)",
            description=NOTICE,
            legal_basis="special_power",
            permission_ref="TIB-2026-0142",
            acquired_on=date(2026, 6, 20),
            retention_until=date(2027, 6, 20),
            marking=_marking(Level.STG_GEHEIM, Service.AIVD),
        ),
    )
    entities.import_ftm(
        session, principal=author, collection_id=osint, lines=_lines(OSINT_ENTITIES)
    )
    entities.import_ftm(
        session, principal=author, collection_id=partner, lines=_lines(PARTNER_ENTITIES)
    )
    entities.import_ftm(
        session, principal=author, collection_id=special, lines=_lines(SPECIAL_ENTITIES)
    )
    write_corpus(settings.data_dir / "demo-corpus")


def _lines(items: list[dict[str, object]]) -> list[str]:
    return [json.dumps(i) for i in items]


# One person and one company, seen in three collections at three markings.
OSINT_ENTITIES: list[dict[str, object]] = [
    {
        "id": "demo-pavel-orlov",
        "schema": "Person",
        "properties": {"name": ["Pavel Orlov"], "nationality": ["ru"], "notes": [NOTICE]},
    },
    {
        "id": "demo-noordzee-logistiek",
        "schema": "Company",
        "properties": {
            "name": ["Noordzee Logistiek B.V."],
            "jurisdiction": ["nl"],
            "address": ["Havenstraat 1, Rotterdam (fictief)"],
        },
    },
]
PARTNER_ENTITIES: list[dict[str, object]] = [
    {
        "id": "demo-pavel-orlov",
        "schema": "Person",
        "properties": {"alias": ["P. Orloff"], "position": ["Handelsattaché (dekmantel)"]},
    },
]
SPECIAL_ENTITIES: list[dict[str, object]] = [
    {
        "id": "demo-pavel-orlov",
        "schema": "Person",
        "properties": {
            "birthDate": ["1971-03-02"],
            "phone": ["+31612345678"],
            "email": ["p.orlov@example.invalid"],
        },
    },
    {
        "id": "demo-orlov-director",
        "schema": "Directorship",
        "properties": {
            "director": ["demo-pavel-orlov"],
            "organization": ["demo-noordzee-logistiek"],
            "role": ["Stille bestuurder"],
        },
    },
]


def write_corpus(target: Path) -> int:
    """Write the fictional demo corpus; returns the number of files."""
    target.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {"LEESMIJ.txt": (NOTICE + "\n").encode()}
    for i, text in enumerate(NL_TEXTS, start=1):
        files[f"nl/notitie-{i:02d}.txt"] = f"{text}\n\n{NOTICE}\n".encode()
    for i, text in enumerate(EN_TEXTS, start=1):
        files[f"en/report-{i:02d}.html"] = (
            f"<html><head><title>Report {i} (fictional)</title><script>alert(1)</script>"
            f"</head><body><h1>Report {i}</h1><p>{text}</p><p>{NOTICE_EN}</p></body></html>"
        ).encode()
    files["nl/analyse-rusland.docx"] = _docx(NL_TEXTS[0], NL_TEXTS[4])
    files["en/assessment-china.pdf"] = _pdf(EN_TEXTS[3] + " " + EN_TEXTS[1])
    files["mail/tip.eml"] = _eml(NL_TEXTS[5], attachment=("bijlage.txt", NL_TEXTS[3].encode()))
    files["mail/archief.mbox"] = _mbox([EN_TEXTS[2], NL_TEXTS[2]])
    files["bundel.zip"] = _zip(
        {"a/noot.txt": NL_TEXTS[1].encode(), "b/note.txt": EN_TEXTS[5].encode()}
    )
    files["registers/bedrijven.csv"] = (
        b"naam,plaats,land\nNoordzee Logistiek B.V.,Rotterdam,NL\n"
        b"Delta Fotonica B.V.,Eindhoven,NL\nOcean Bridge Trading Ltd,Singapore,SG\n"
    )
    # Bad input, to show quarantine in the UI: damaged, unsafe and unknown files.
    files["kapot/beschadigd.pdf"] = b"%PDF-1.7\n1 0 obj << /Type /Catalog"
    files["kapot/ontsnapping.zip"] = _zip({"../../etc/passwd": b"root:x:0:0"})
    files["kapot/programma.bin"] = b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    return len(files)


def _docx(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "Analyse Rusland (fictief)"
    for text in (*paragraphs, NOTICE):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(text: str) -> bytes:
    import typst

    source = (
        f'#set document(title: "Assessment (fictional)")\n= Assessment\n{text}\n\n{NOTICE_EN}\n'
    )
    data = typst.compile(source.encode())
    assert isinstance(data, bytes)
    return data


def _eml(body: str, attachment: tuple[str, bytes] | None = None) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "Melding (fictief)"
    msg["From"] = "melder@example.invalid"
    msg["To"] = "loket@example.invalid"
    msg["Date"] = "Mon, 02 Nov 2026 09:00:00 +0100"
    msg.set_content(f"{body}\n\n{NOTICE}\n")
    if attachment:
        msg.add_attachment(attachment[1], maintype="text", subtype="plain", filename=attachment[0])
    return msg.as_bytes()


def _mbox(bodies: list[str]) -> bytes:
    parts = []
    for i, body in enumerate(bodies):
        msg = EmailMessage()
        msg["Subject"] = f"Bericht {i + 1} (fictief)"
        msg["From"] = "bron@example.invalid"
        msg.set_content(body)
        parts.append(
            b"From bron@example.invalid Mon Nov  2 09:00:00 2026\n" + msg.as_bytes() + b"\n"
        )
    return b"".join(parts)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()
