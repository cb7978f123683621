"""Ingest throughput: the whole pipeline against its extraction and NER steps alone.

A generated corpus of mixed documents (txt, html, pdf, docx; Dutch and English; 1-20 KB
of text each; fictional) is ingested twice:

* **baseline**: the same extraction, language identification and NER on the same
  files, with the same number of worker threads, and nothing else (no database, no blob
  store, no statements, no index);
* **Baken**: ``baken ingest``'s path: content hashing and the blob store, document rows,
  per-document tasks on the worker pool, statements, audit and the search index.

It prints documents per second for both, the ratio (target: at most 1.3x), and the time
per stage measured in the baseline. The corpus size is ``BAKEN_BENCH_INGEST_DOCS``. The
issue's size is 10,000; Dutch NER runs in Frog at roughly 8,000 characters per second on
this machine, so 10,000 documents of 1-20 KB take hours per pass. ``make bench`` uses 400
by default (the ratio is per document, so it does not depend on the count); set
``BAKEN_BENCH_INGEST_DOCS=10000`` for the full corpus.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from tests.holdings.extract_samples import docx_bytes, text_pdf

from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.core.markings import Level, Marking, Service
from baken.core.schemas import MarkingIn
from baken.core.users import UserCreate, create, to_principal
from baken.holdings import runtime
from baken.holdings.blobs import BlobStore
from baken.holdings.cli import files_under
from baken.holdings.extract import extract
from baken.holdings.lang import identify
from baken.holdings.pipeline import Task
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections, ingest
from baken.migrations import upgrade
from benchmarks.core import Row

SEED = 2026
NL = (
    "De AIVD ziet dat statelijke actoren uit {country} Nederlandse bedrijven benaderen. "
    "{person} sprak in {city} met medewerkers van {company} over export van technologie. "
    "De NCTV en het Openbaar Ministerie zijn geïnformeerd over de dreiging. "
)
EN = (
    "Intelligence officers from {country} approached Dutch companies. {person} met staff "
    "of {company} in {city} to discuss the export of dual-use technology. "
    "The National Cyber Security Centre warned of further attacks. "
)
PEOPLE = ["Pavel Orlov", "Li Wenjun", "Reza Tavakoli", "Jan de Vries", "Marieke de Boer"]
COMPANIES = ["Noordzee Logistiek B.V.", "Delta Fotonica B.V.", "Ocean Bridge Trading Ltd"]
CITIES = ["Rotterdam", "Amsterdam", "Eindhoven", "Den Haag", "Utrecht"]
COUNTRIES_NL = ["Rusland", "China", "Iran", "Noord-Korea"]
COUNTRIES_EN = ["Russia", "China", "Iran", "North Korea"]


def _text(rng: random.Random, dutch: bool) -> str:
    size = rng.randint(1_000, 20_000)
    parts: list[str] = []
    while sum(map(len, parts)) < size:
        parts.append(
            (NL if dutch else EN).format(
                country=rng.choice(COUNTRIES_NL if dutch else COUNTRIES_EN),
                person=rng.choice(PEOPLE),
                city=rng.choice(CITIES),
                company=rng.choice(COMPANIES),
            )
        )
    return "".join(parts)[:size] + f" (fictief, nr. {rng.random():.12f})"


def corpus(directory: Path, count: int, console: Console) -> int:
    rng = random.Random(SEED)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("corpus", total=count)
        for i in range(count):
            dutch = i % 2 == 0
            text = _text(rng, dutch)
            kind = ("txt", "html", "pdf", "docx")[i % 4]
            path = directory / f"{i % 100:02d}" / f"doc-{i:05d}.{kind}"
            path.parent.mkdir(parents=True, exist_ok=True)
            if kind == "txt":
                path.write_text(text, "utf-8")
            elif kind == "html":
                path.write_text(f"<html><title>Doc {i}</title><body><p>{text}</p></body></html>")
            elif kind == "pdf":
                lines = [text[j : j + 90] for j in range(0, len(text), 90)]
                pages = [lines[j : j + 45] for j in range(0, len(lines), 45)]
                path.write_bytes(text_pdf(pages, title=f"Doc {i}"))
            else:
                path.write_bytes(docx_bytes([text], [["a", "b"]], f"Doc {i}"))
            bar.advance(task)
    return count


def _baseline(
    directory: Path, settings: Settings, console: Console
) -> tuple[float, dict[str, float]]:
    recogniser = runtime.recogniser(settings.frog)
    limits = runtime.limits(settings)
    stages: dict[str, float] = defaultdict(float)
    lock = threading.Lock()
    files = list(files_under(directory))

    def one(item: tuple[Path, str]) -> None:
        path, name = item
        t0 = time.perf_counter()
        extracted = extract(path.read_bytes(), name, limits)
        t1 = time.perf_counter()
        language = identify(extracted.text)
        t2 = time.perf_counter()
        recogniser.recognise(extracted.text[:200_000], language)
        t3 = time.perf_counter()
        with lock:
            stages["extract"] += t1 - t0
            stages["language"] += t2 - t1
            stages["ner"] += t3 - t2

    recogniser.recognise("Warm-up: de AIVD in Rotterdam.", "nl")
    recogniser.recognise("Warm-up: the NCTV in Rotterdam.", "en")
    start = time.perf_counter()
    with (
        Progress(console=console, transient=True) as bar,
        ThreadPoolExecutor(settings.workers) as pool,
    ):
        task = bar.add_task("baseline: extract + NER", total=len(files))
        for _ in pool.map(one, files):
            bar.advance(task)
    return time.perf_counter() - start, dict(stages)


def _pipeline(directory: Path, settings: Settings, console: Console) -> float:
    engine = make_engine(settings)
    upgrade(settings, engine=engine)
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        user = create(
            session,
            settings=settings,
            principal=None,
            data=UserCreate(
                username="bench",
                display_name="Bench",
                password="bench-password-1",
                clearance=Level.STG_GEHEIM,
                service=Service.AIVD,
                roles=frozenset({"analyst"}),
            ),
        )
    with transaction(factory) as session:
        from baken.core.models import User

        row = session.get(User, user.id)
        assert row is not None
        principal = to_principal(row)
        collection_id = collections.create(
            session,
            principal=principal,
            data=CollectionCreate(
                name="bench",
                title="Benchmark",
                legal_basis="open_source",
                acquired_on=date.today(),
                marking=MarkingIn.of(Marking.of("DEP_VERTROUWELIJK", Service.JOINT)),
            ),
        )
    blobs = BlobStore(settings.blob_dir)
    files = list(files_under(directory))
    rt = runtime.start(settings, factory, local=True)
    start = time.perf_counter()
    try:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Baken: ingest", total=len(files))
            for path, name in files:
                with transaction(factory) as session:
                    reg = ingest.register_file(
                        session,
                        principal=principal,
                        collection_id=collection_id,
                        path=path,
                        name=name,
                        blobs=blobs,
                        max_bytes=settings.ingest_max_bytes,
                    )
                rt.submit(Task(reg.document_id))
                bar.update(task, completed=len(files) - rt.queue_pending())
            while rt.queue_pending():
                bar.update(task, completed=len(files) - rt.queue_pending())
                time.sleep(0.2)
            rt.drain()
    finally:
        rt.close()
        engine.dispose()
    return time.perf_counter() - start


def run(tmp: Path, console: Console) -> list[Row]:
    count = int(os.environ.get("BAKEN_BENCH_INGEST_DOCS", "400"))
    directory = tmp / "ingest-corpus"
    corpus(directory, count, console)
    settings = Settings(data_dir=tmp / "ingest", argon2_time_cost=1, argon2_memory_kib=64)
    base_seconds, stages = _baseline(directory, settings, console)
    seconds = _pipeline(directory, settings, console)
    runtime.close_recognisers()
    busy = sum(stages.values()) or 1.0
    share = ", ".join(f"{k} {v / busy:.0%}" for k, v in stages.items())
    return [
        Row(
            f"ingest {count:,} mixed docs (txt/html/pdf/docx, nl/en, 1-20 KB)",
            f"{count / seconds:.1f} docs/s",
            f"{count / base_seconds:.1f} docs/s (extract + language + NER only)",
            f"pipeline / steps alone = {seconds / base_seconds:.2f}x; {settings.workers} workers",
            target="pipeline <= 1.3x the steps alone",
            holds=seconds / base_seconds <= 1.3,
        ),
        Row(
            "ingest: time per stage (baseline)",
            share,
            f"{busy:.0f} s of worker time",
            "Dutch NER is Frog (server on loopback)",
        ),
    ]
