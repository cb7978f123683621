"""Every file parser fed hostile bytes: an answer or its own clear error, never a crash,
a hang or a memory blow-up.

The parsers: text extraction (plain text, CSV, HTML, Word, Excel, PDF, e-mail, MBOX, ZIP
with its members, images through OCR), the bulk dataset loader (CSV or Parquet to Parquet,
then the YAML mapping over its columns), the YAML mapping itself, STIX 2.1 import, FtM
JSON-lines import and the screening CSV. Each runs in a worker process whose address
space is capped (``RLIMIT_AS``: the parse may add ``MEMORY`` to what the imports took) and
must answer within ``HANG_SECONDS``, a limit far above any honest parse of these small
inputs (it catches a loop, it does not time one). Inputs are Hypothesis-made: valid
samples mutated and truncated, random bytes, zip bombs, nesting and sizes that lie.
Derandomized, few examples, no database and no network: the file takes about a minute.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import struct
from collections.abc import Iterator
from multiprocessing.process import BaseProcess
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.holdings import extract_samples as samples
from tests.hostile import parse_worker

HANG_SECONDS = 60.0
MEMORY = 1536 * 1024 * 1024
STARTUP_SECONDS = 300.0

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


class Worker:
    """One parse worker process; a hang or a death is reported, and the next parse
    starts a new one."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")
        self.process: BaseProcess | None = None
        self._start()

    def _start(self) -> None:
        self.conn, theirs = self._context.Pipe()
        self.process = self._context.Process(
            target=parse_worker.serve, args=(theirs, MEMORY), daemon=True
        )
        self.process.start()
        theirs.close()
        # Importing the parsers takes a while on a busy machine: not part of any parse.
        if not self.conn.poll(STARTUP_SECONDS) or self.conn.recv() != ("ready", ""):
            raise RuntimeError("the parse worker did not start")

    def _stop(self) -> None:
        """Kill the worker; the next parse starts another (imports take a while)."""
        assert self.process is not None
        self.process.kill()
        self.process.join()
        self.conn.close()
        self.process = None

    def parse(
        self, parser: str, data: bytes, name: str = "upload", limit: float = HANG_SECONDS
    ) -> tuple[str, str]:
        if self.process is None:
            self._start()
        assert self.process is not None
        self.conn.send((parser, data, name))
        if not self.conn.poll(limit):
            self._stop()
            return "hang", f"no answer within {limit:.0f} s"
        try:
            answer: tuple[str, str] = self.conn.recv()
        except (EOFError, ConnectionResetError):
            self.process.join()
            code = self.process.exitcode
            self._stop()
            return "died", f"the worker died (exit code {code})"
        return answer

    def close(self) -> None:
        if self.process is None:
            return
        self.conn.send(None)
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    started = Worker()
    yield started
    started.close()


def check(worker: Worker, parser: str, data: bytes, name: str = "upload") -> str:
    """The parse must end with a result or the parser's own error: nothing else."""
    outcome, detail = worker.parse(parser, data, name)
    assert outcome in {"ok", "refused"}, f"{parser} on {name} ({len(data)} bytes): {detail}"
    return outcome


# -- how hostile bytes are made -------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, sample: bytes) -> bytes:
    """``sample`` with bytes overwritten, a run inserted or removed, and maybe cut short."""
    data = bytearray(sample)
    for _ in range(draw(st.integers(0, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    if data and draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(max_size=64))
    if data and draw(st.booleans()):
        at = draw(st.integers(0, len(data) - 1))
        del data[at : at + draw(st.integers(1, 256))]
    if data and draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def hostile(*valid: bytes) -> st.SearchStrategy[bytes]:
    """Mutants of the valid samples, or bytes with no structure at all."""
    return st.one_of(
        st.sampled_from(valid).flatmap(mutated),
        st.binary(max_size=2048),
    )


def lying_sizes(archive: bytes, size: int = 0xFFFFFFFF) -> bytes:
    """A zip whose directory claims ``size`` bytes for every member, compressed and not."""
    data = bytearray(archive)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + 20 : at + 28] = struct.pack("<II", size, size)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def many_entries(archive: bytes, count: int = 0xFFFF) -> bytes:
    """A zip whose end record declares ``count`` members."""
    data = bytearray(archive)
    at = data.rfind(b"PK\x05\x06")
    data[at + 8 : at + 12] = struct.pack("<HH", count, count)
    return bytes(data)


# -- text extraction --------------------------------------------------------------------

DOCUMENTS: dict[str, bytes] = {
    "nota.pdf": samples.text_pdf([["Jaarverslag", "tekst"]], title="t"),
    "nota.docx": samples.docx_bytes(["tekst"], [["a", "b"]], "t"),
    "blad.xlsx": samples.xlsx_bytes({"Blad": [["a", 1]]}, "t"),
    "map.zip": samples.zip_bytes({"a.txt": b"tekst" * 50, "b/c.csv": b"a;b\n1;2\n"}),
    "bericht.eml": samples.eml_bytes(),
    "postvak.mbox": samples.mbox_bytes(),
    "pagina.html": samples.HTML,
    "notitie.txt": samples.DUTCH.encode("utf-8"),
    "cijfers.csv": b"kolom;waarde\nbudget;12\nmedewerkers;4\n",
}


@settings(FUZZ, max_examples=60)
@given(name=st.sampled_from(sorted(DOCUMENTS)), data=st.data())
def test_extract_survives_damaged_documents(worker: Worker, name: str, data: st.DataObject) -> None:
    mutant = data.draw(st.one_of(mutated(DOCUMENTS[name]), st.binary(max_size=2048)))
    check(worker, "extract", mutant, name)


# What each must answer: refused with the quarantine reason, or read ("ok": nested
# members past the depth limit are quarantined one by one, the rest is read).
@pytest.mark.parametrize(
    ("name", "make", "answer"),
    [
        ("bom.zip", lambda: samples.zip_bomb(64), "zip_bomb"),
        ("leugen.zip", lambda: lying_sizes(samples.zip_bytes({"a.txt": bytes(4 * 2**20)})),
            "zip_bomb"),
        ("leeg-groot.zip", lambda: lying_sizes(samples.zip_bytes({"a.txt": b""})), "zip_bomb"),
        ("veel.zip", lambda: many_entries(samples.zip_bytes({"a.txt": b"a"})), "too_many"),
        ("diep.zip", lambda: samples.nested_zip(12), "ok"),
        ("bom-in-bom.zip", lambda: samples.zip_bytes({"in.zip": samples.zip_bomb(16)}), "ok"),
        ("lachen.docx", lambda: samples.replace_member(
            DOCUMENTS["nota.docx"], "word/document.xml", samples.BILLION_LAUGHS), "xml_bomb"),
        ("ruim.pdf", lambda: b"%PDF-1.7\n1 0 obj << /Type /Pages /Count 999999999 >> endobj\n",
            None),
        ("groot.png", lambda: b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR"
            + struct.pack(">II", 2**31 - 1, 2**31 - 1) + b"\x08\x02\x00\x00\x00" + bytes(4),
            None),
    ],
)  # fmt: skip
def test_extract_refuses_bombs_and_lies(
    worker: Worker, name: str, make: Any, answer: str | None
) -> None:
    outcome, detail = worker.parse("extract", make(), name)
    assert outcome in {"ok", "refused"}, f"{name}: {detail}"
    if answer is not None:
        assert (outcome if outcome == "ok" else detail) == answer, (name, outcome, detail)


@settings(FUZZ, max_examples=4)
@given(data=hostile(samples.text_png("Vertrouwelijk")))
def test_ocr_survives_damaged_images(worker: Worker, data: bytes) -> None:
    check(worker, "extract-ocr", data, "scan.png")


# -- bulk datasets and their mapping ----------------------------------------------------


def _parquet() -> bytes:
    table = pa.table({"kvk": ["01234567", "7654321"], "company": ["Fictief BV", "Demo NV"]})
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


REGISTER_CSV = b'kvk;company\n01234567;Fictief BV\n7654321;"Demo; NV"\n'


@FUZZ
@given(data=hostile(REGISTER_CSV))
def test_bulk_csv_survives_damage(worker: Worker, data: bytes) -> None:
    check(worker, "bulk", data, "register.csv")


@settings(FUZZ, max_examples=8)
@given(data=st.sampled_from([_parquet()]).flatmap(mutated))
def test_bulk_parquet_survives_damage(worker: Worker, data: bytes) -> None:
    check(worker, "bulk", data, "register.parquet")


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@FUZZ
@given(
    text=st.one_of(
        st.sampled_from([parse_worker.MAPPING.encode()]).flatmap(mutated),
        yaml_values.map(lambda v: yaml.safe_dump(v).encode()),
        st.binary(max_size=512),
        st.just(b"a: &a [*a, *a, *a]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b, *b]\n"),
    )
)
def test_mapping_survives_hostile_yaml(worker: Worker, text: bytes) -> None:
    check(worker, "mapping", text, "mapping.yaml")


# -- STIX, FtM and screening uploads ----------------------------------------------------

WHEN = "2026-02-01T10:00:00.000Z"
STIX = {
    "type": "bundle",
    "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
    "objects": [
        {
            "type": "threat-actor",
            "spec_version": "2.1",
            "id": "threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "created": WHEN,
            "modified": WHEN,
            "name": "Fictieve Beer",
        },
        {
            "type": "identity",
            "spec_version": "2.1",
            "id": "identity--311b2d2d-f010-4473-83ec-1edf84858f4c",
            "created": WHEN,
            "modified": WHEN,
            "name": "Demo Waterschap",
            "identity_class": "organization",
        },
        {
            "type": "relationship",
            "spec_version": "2.1",
            "id": "relationship--00000000-0000-4000-8000-000000000001",
            "created": WHEN,
            "modified": WHEN,
            "relationship_type": "targets",
            "source_ref": "threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "target_ref": "identity--311b2d2d-f010-4473-83ec-1edf84858f4c",
        },
    ],
}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@st.composite
def stix_bundles(draw: st.DrawFn) -> bytes:
    """The valid bundle with one property of one object replaced by any JSON value."""
    bundle = json.loads(json.dumps(STIX))
    target = draw(st.sampled_from([bundle, *bundle["objects"]]))
    key = draw(st.sampled_from(sorted(target)) | st.text(max_size=8))
    target[key] = draw(json_values)
    return json.dumps(bundle).encode()


@FUZZ
@given(data=st.one_of(stix_bundles(), hostile(json.dumps(STIX).encode())))
def test_stix_import_survives_hostile_bundles(worker: Worker, data: bytes) -> None:
    check(worker, "stix", data, "bundle.json")


FTM = (
    b'{"id": "demo-1", "schema": "Person", "properties": {"name": ["Fictief Persoon"]}}\n'
    b'{"id": "demo-2", "schema": "Company", "properties": {"name": ["Demo BV"]}}\n'
)


@st.composite
def ftm_lines(draw: st.DrawFn) -> bytes:
    entity: dict[str, Any] = {"id": "demo-1", "schema": "Person", "properties": {}}
    key = draw(st.sampled_from(["id", "schema", "properties", "caption"]))
    entity[key] = draw(json_values)
    return json.dumps(entity).encode()


@FUZZ
@given(data=st.one_of(ftm_lines(), hostile(FTM)))
def test_ftm_import_survives_hostile_lines(worker: Worker, data: bytes) -> None:
    check(worker, "ftm", data, "entities.ftm.json")


SCREENING = (
    "name;birth_date;nationality\nPavel Fictief;1971-03-02;RU\nDemo Persoon|D. Persoon;;NL\n"
)


@FUZZ
@given(
    data=st.one_of(
        hostile(SCREENING.encode("utf-8")),
        st.text(alphabet='name;,|"\n\r \ufeff\u00a0\u2028\x1c\x00a1-', max_size=80).map(
            lambda t: t.encode("utf-8")
        ),
    )
)
def test_screening_csv_survives_hostile_files(worker: Worker, data: bytes) -> None:
    check(worker, "screening-csv", data, "personen.csv")


# -- the harness itself ------------------------------------------------------------------


def test_the_worker_reports_crashes_memory_blow_ups_and_hangs(worker: Worker) -> None:
    """Without these, a suite that never sees a failure would prove nothing."""
    assert worker.parse("no-such-parser", b"")[0] == "crash"
    assert worker.parse("harness-allocate", str(2 * MEMORY).encode())[0] == "memory"
    assert worker.parse("harness-sleep", b"60", limit=1.0)[0] == "hang"
