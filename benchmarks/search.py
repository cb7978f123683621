"""The search index of holdings: the read rule inside the Tantivy query, at scale.

* Building the index: 1,000,000 generated short documents (20-60 words drawn with Zipf
  frequencies from a Dutch and English vocabulary; ~20 distinct markings, 10
  collections, 2 languages, countries). Documents per second through
  :meth:`SearchIndex.upsert` (delete by id, add, one commit).
* 200 two-term queries (common, mixed and specific words) for a mid-clearance AIVD
  analyst (Stg. Geheim, one compartment): top 20 with snippets, the total and five facet
  counts over every readable match. p50 / p95 against the same searches without the
  policy clause, so the price of the filter shows. Target: p95 <= 50 ms.

``BAKEN_BENCH_SEARCH_DOCS`` shrinks the corpus (e.g. 100000 for a quick run).
"""

from __future__ import annotations

import itertools
import os
import random
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import tantivy
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from baken.core.markings import Level, Marking, Service
from baken.core.policy_index import IndexPolicy, index_policy
from baken.core.principals import Principal
from baken.holdings.search import IndexDoc, SearchIndex
from benchmarks.core import Row

SEED = 2026
DOCS = int(os.environ.get("BAKEN_BENCH_SEARCH_DOCS", "1000000"))
QUERIES = 200
KIND = "document"  # baken.holdings.vocab.DOCUMENT
SYNTHETIC_WORDS = 20_000


def _words(text: str) -> list[str]:
    return text.split()


# The most frequent words first: Zipf ranks follow this order, then synthetic names.
COMMON_NL = _words(
    """
de het een en van in is dat op te zijn met voor niet aan er om ook als dan bij nog uit
naar maar door over wordt worden tot hun kan dit die werd hebben jaar twee nieuwe
volgens onder tegen tussen regering minister dienst informatie onderzoek partij land
veiligheid politie groep netwerk rapport bericht contact financiering grens haven
bedrijf schip levering overleg verdachte aanslag dreiging digitale spionage beïnvloeding
"""
)
COMMON_EN = _words(
    """
the of and to in a is that for on with as was by at from it an be are this which or were
has have government minister service information report network group party security
police border port company ship delivery meeting suspect attack threat cyber espionage
influence financing contact message research state foreign
"""
)
COUNTRIES = ["NL", "BE", "DE", "FR", "GB", "US", "RU", "CN", "IR", "TR", "SY", "UA", "BY"]
LANGUAGES = ("nl", "en")


def _vocabulary(rng: random.Random) -> list[str]:
    syllables = ["ka", "ro", "vel", "dam", "ster", "mon", "tri", "zo", "lin", "burg", "ar", "ex"]
    synthetic = {
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        for _ in range(SYNTHETIC_WORDS * 2)
    }
    words = list(dict.fromkeys([*COMMON_NL, *COMMON_EN]))
    names = sorted(synthetic - set(words))[:SYNTHETIC_WORDS]
    rng.shuffle(names)
    return words + names


def _markings() -> list[Marking]:
    out: list[Marking] = []
    for level in (Level.ONGERUBRICEERD, Level.STG_CONFIDENTIEEL, Level.STG_GEHEIM):
        for owner in (Service.AIVD, Service.MIVD, Service.JOINT):
            out.append(Marking.of(level, owner))
    out += [
        Marking.of(Level.STG_GEHEIM, Service.AIVD, compartments=["KOBALT"]),
        Marking.of(Level.STG_GEHEIM, Service.AIVD, compartments=["ZEPHYR"]),
        Marking.of(Level.STG_GEHEIM, Service.MIVD, compartments=["SCHADUW"]),
        Marking.of(Level.STG_GEHEIM, Service.MIVD, releasable_to=["AIVD"]),
        Marking.of(Level.STG_CONFIDENTIEEL, Service.AIVD, releasable_to=["NCTV"]),
        Marking.of(Level.STG_ZEER_GEHEIM, Service.AIVD),
        Marking.of(Level.STG_ZEER_GEHEIM, Service.JOINT, compartments=["KOBALT"]),
        Marking.of(Level.DEP_VERTROUWELIJK, Service.JOINT),
        Marking.of(Level.STG_GEHEIM, Service.JOINT, compartments=["KOBALT", "ZEPHYR"]),
        Marking.of(Level.STG_CONFIDENTIEEL, Service.MIVD, originators=["PARTNER-A"]),
        Marking.of(Level.STG_GEHEIM, Service.AIVD, originators=["PARTNER-B"]),
    ]
    return out


def _corpus(n: int, words: list[str], rng: random.Random) -> Iterator[IndexDoc]:
    cum = list(itertools.accumulate(1.0 / rank for rank in range(1, len(words) + 1)))
    markings = _markings()
    for i in range(n):
        body = rng.choices(words, cum_weights=cum, k=rng.randint(20, 60))
        title = rng.choices(words, cum_weights=cum, k=rng.randint(3, 8))
        yield IndexDoc(
            doc_id=f"doc:{i}",
            kind=KIND,
            marking=markings[i % len(markings)],
            collection=f"col-{rng.randrange(10)}",
            title=" ".join(title).capitalize(),
            text=" ".join(body).capitalize() + ".",
            language=LANGUAGES[i % 2],
            countries=tuple(rng.sample(COUNTRIES, rng.randint(0, 2))),
        )


def _queries(words: list[str], rng: random.Random) -> list[tuple[str, str]]:
    common = words[:60]
    specific = words[300:5000]
    out: list[tuple[str, str]] = []
    for i in range(QUERIES):
        kind = ("common", "mixed", "specific")[i % 3]
        pool = {"common": (common, common), "mixed": (common, specific)}.get(
            kind, (specific[:500], specific[:500])
        )
        out.append((kind, f"{rng.choice(pool[0])} {rng.choice(pool[1])}"))
    return out


class _Unfiltered(SearchIndex):
    """The same searches without the read rule: the baseline, never for users."""

    def _policy_query(self, searcher: tantivy.Searcher, policy: IndexPolicy) -> tantivy.Query:
        return tantivy.Query.all_query()


def _pct(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1] * 1000


def run(tmp: Path, console: Console) -> list[Row]:
    rng = random.Random(SEED)
    words = _vocabulary(rng)
    path = tmp / "search-index"
    index = SearchIndex(path, writer_heap=256_000_000)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        # Generated first, so that the build rate is the index's, not the generator's.
        task = progress.add_task("search corpus", total=DOCS)
        corpus: list[IndexDoc] = []
        for doc in _corpus(DOCS, words, rng):
            corpus.append(doc)
            if len(corpus) % 10_000 == 0:
                progress.update(task, completed=len(corpus))
        progress.update(task, completed=DOCS)
        task = progress.add_task("search index", total=DOCS)

        def fed() -> Iterator[IndexDoc]:
            for i, doc in enumerate(corpus):
                if i % 10_000 == 0:
                    progress.update(task, completed=i)
                yield doc
            progress.update(task, completed=DOCS, description="search index (commit)")

        start = time.perf_counter()
        written = index.upsert(fed())
        build_seconds = time.perf_counter() - start
    corpus.clear()  # the memory, before the queries
    assert written == DOCS == index.count()

    analyst = index_policy(
        Principal(
            1,
            "analist",
            "Analist",
            Level.STG_GEHEIM,
            Service.AIVD,
            compartments=frozenset({"KOBALT"}),
            roles=frozenset({"analyst"}),
        ),
        [KIND],
    )
    baseline = _Unfiltered(path)
    queries = _queries(words, rng)
    timed: dict[tuple[bool, str], list[float]] = {}
    totals: dict[bool, list[int]] = {True: [], False: []}
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("queries", total=QUERIES * 2)
        for target in (index, baseline):
            target.search(analyst, queries[0][1])  # warm the caches once
        for kind, text in queries:
            for filtered, target in ((True, index), (False, baseline)):
                start = time.perf_counter()
                result = target.search(analyst, text, limit=20)
                elapsed = time.perf_counter() - start
                timed.setdefault((filtered, kind), []).append(elapsed)
                timed.setdefault((filtered, "all"), []).append(elapsed)
                totals[filtered].append(result.total)
                progress.advance(task)

    def figures(filtered: bool, kind: str) -> str:
        samples = timed[(filtered, kind)]
        return f"{_pct(samples, 50):.1f} / {_pct(samples, 95):.1f} ms"

    readable = sum(totals[True]) / max(1, sum(totals[False]))
    rows = [
        Row(
            f"search index build, {DOCS:,} docs",
            f"{DOCS / build_seconds:,.0f} docs/s",
            "–",
            f"{build_seconds:.0f} s; upsert (delete by id + add), one commit and merges",
        ),
        Row(
            f"search, {DOCS:,} docs, {QUERIES} two-term queries: p50 / p95",
            figures(True, "all"),
            figures(False, "all"),
            "top 20 + snippets + total + 5 facets; policy in the query vs none; "
            f"analyst reads {readable:.0%} of the matches",
            target="p95 <= 50 ms",
            holds=_pct(timed[(True, "all")], 95) <= 50,
        ),
    ]
    for kind in ("common", "mixed", "specific"):
        mean_hits = statistics.mean(
            t for (k, _), t in zip(queries, totals[True], strict=True) if k == kind
        )
        rows.append(
            Row(
                f"search, {kind} words: p50 / p95",
                figures(True, kind),
                figures(False, kind),
                f"{mean_hits:,.0f} readable matches per query on average",
                target="p95 <= 50 ms",
                holds=_pct(timed[(True, kind)], 95) <= 50,
            )
        )
    return rows


if __name__ == "__main__":
    import tempfile

    from rich.table import Table

    out = Console(width=140)
    with tempfile.TemporaryDirectory(prefix="baken-bench-") as tmp:
        result = run(Path(tmp), out)
    table = Table("figure", "Baken", "baseline (same run)", "note")
    for row in result:
        table.add_row(row.figure, row.baken, row.baseline, row.note)
    out.print(table)
