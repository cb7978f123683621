"""A process that parses hostile input under a memory limit, for the fuzz tests.

The test process sends ``(parser, data, name)`` through a pipe; this process answers
``("ok", summary)``, ``("refused", reason)`` for the parser's own clear error (a
``DomainError`` or a quarantine reason), ``("memory", detail)`` when the parse hit the
address-space limit, or ``("crash", traceback)`` for anything else. A parse that does not
answer in time is the caller's to detect: it kills this process and starts another.
"""

from __future__ import annotations

import resource
import tempfile
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from baken.analysis.exchange import stix_import
from baken.core.errors import DomainError
from baken.engines.local import LocalEngine
from baken.holdings.extract import DEFAULT_LIMITS, Limits, extract
from baken.holdings.mapping import compile_mapping
from baken.holdings.service.entities import parse_ftm
from baken.holdings.types import Quarantined
from baken.resolve.screening import parse_csv

# The pipeline's limits, with OCR only where a test asks for it (tesseract is slow).
NO_OCR = Limits(ocr=False)
OCR = DEFAULT_LIMITS


def _walk(data: bytes, name: str, limits: Limits, depth: int = 0) -> int:
    """Extract a file and, as the pipeline does, each of its children one level deeper;
    a quarantined child is an answer too. Returns how many items were read."""
    result = extract(data, name, limits, depth)
    count = 1
    for child in result.children:
        try:
            count += _walk(child.data, child.name, limits, depth + 1)
        except Quarantined:
            count += 1
    return count


def _bulk(data: bytes, name: str) -> str:
    """A bulk dataset file (CSV or Parquet) to Parquet, then the mapping over its columns."""
    with tempfile.TemporaryDirectory(prefix="baken-fuzz-") as tmp:
        source = Path(tmp) / name
        source.write_bytes(data)
        info = LocalEngine(workers=1, threads=1).to_parquet(source, Path(tmp) / "out")
        compile_mapping(MAPPING, info.columns, key_prefix="fuzz")
        return f"{info.rows} rows"


MAPPING = """\
register:
  queries:
    - csv_url: register.csv
      entities:
        company:
          schema: Company
          keys: [kvk]
          properties:
            name: {column: company}
            registrationNumber: {column: kvk}
"""

PARSERS: dict[str, Callable[[bytes, str], object]] = {
    "extract": lambda data, name: _walk(data, name, NO_OCR),
    "extract-ocr": lambda data, name: _walk(data, name, OCR),
    "stix": lambda data, name: len(stix_import.to_entities(stix_import.parse(data)).entities),
    "ftm": lambda data, name: len(list(parse_ftm(data.decode("utf-8").splitlines()))),
    "screening-csv": lambda data, name: len(parse_csv(data)),
    "mapping": lambda data, name: len(
        compile_mapping(data.decode("utf-8"), key_prefix="fuzz").columns
    ),
    "bulk": _bulk,
    # The harness's own self-test: a parse that takes too much memory or never ends.
    "harness-allocate": lambda data, name: len(bytearray(int(data))),
    "harness-sleep": lambda data, name: time.sleep(float(data)),
}


def _vm_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


def serve(conn: Connection, memory_bytes: int) -> None:
    """Answer parse requests until ``None`` arrives. The modules above are imported
    before the limit is set, so ``memory_bytes`` is what the parses themselves may add."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_vm_bytes() + memory_bytes, hard))
    conn.send(("ready", ""))
    while True:
        request = conn.recv()
        if request is None:
            return
        parser, data, name = request
        try:
            conn.send(("ok", str(PARSERS[parser](data, name))))
        except Quarantined as exc:
            conn.send(("refused", exc.reason))
        except UnicodeDecodeError:
            # The upload routes decode before they parse and answer "not UTF-8 text".
            conn.send(("refused", "not UTF-8"))
        except DomainError as exc:
            conn.send(("refused", type(exc).__name__))
        except MemoryError:
            conn.send(("memory", traceback.format_exc()[-2000:]))
        except BaseException:
            conn.send(("crash", traceback.format_exc()[-3000:]))
