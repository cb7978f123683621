"""The local engine against real files: DuckDB conversion and SQL, and partition jobs
that really run in the process pool."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.engines import BatchEngine, InputError, get_engine
from baken.engines.local import LocalEngine, sniff_delimiter

ROWS = 10_000
OUT = pa.schema([("code", pa.string()), ("double", pa.int64()), ("pid", pa.int64())])


@dataclass(frozen=True)
class Factor:
    times: int


def double(batch: Any, context: Factor) -> Any:
    """A job: each code with its number times the factor, and the worker's pid."""
    codes = batch.column("code").to_pylist()
    return pa.table(
        {
            "code": codes,
            "double": [int(c) * context.times for c in codes],
            "pid": [os.getpid()] * len(codes),
        }
    )


class Refused(DomainError):
    pass


def refuse(batch: Any, context: Factor) -> Any:
    raise Refused(N_("row {row} is refused"), row=context.times)


def write_csv(path: Path, rows: int = ROWS, delimiter: str = ";") -> Path:
    lines = [f"code{delimiter}name"]
    lines += [f"{i:08d}{delimiter}Bedrijf {i}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def engine() -> LocalEngine:
    # Small partitions (DuckDB rounds row groups up to 2,048 rows): several per file.
    return LocalEngine(workers=2, rows_per_partition=2048)


def test_get_engine() -> None:
    assert isinstance(get_engine("local"), BatchEngine)
    assert get_engine("local", workers=3).workers == 3  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="unknown batch engine"):
        get_engine("mainframe")


def test_csv_to_parquet_keeps_text(engine: LocalEngine, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    info = engine.to_parquet(
        write_csv(tmp_path / "in.csv"), tmp_path / "out", progress=lambda d, t: seen.append((d, t))
    )
    assert info.rows == ROWS
    assert info.columns == ("code", "name")
    assert seen[-1] == (100, 100)
    groups = sum(pq.ParquetFile(f).num_row_groups for f in info.files)
    assert groups == 5
    table = pq.read_table(info.files[0])
    assert table.schema.field("code").type == pa.string()
    assert table.column("code")[7].as_py() == "00000007"  # leading zeros survive


def test_sniffs_delimiter(tmp_path: Path) -> None:
    for delimiter in (",", ";", "\t", "|"):
        path = write_csv(tmp_path / "d.csv", rows=3, delimiter=delimiter)
        assert sniff_delimiter(path) == delimiter
    quoted = tmp_path / "q.csv"
    quoted.write_text('"naam, voluit";plaats\n"De Vries, J.";Utrecht\n', encoding="utf-8")
    assert sniff_delimiter(quoted) == ";"


def test_csv_quotes_bom_and_crlf(engine: LocalEngine, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(
        b'\xef\xbb\xbfnaam,adres\r\n"De Vries, J.","Lange ""Gracht"" 1\r\nAmsterdam"\r\n'
    )
    info = engine.to_parquet(path, tmp_path / "out")
    assert info.columns == ("naam", "adres")
    assert pq.read_table(info.files[0]).to_pylist() == [
        {"naam": "De Vries, J.", "adres": 'Lange "Gracht" 1\r\nAmsterdam'}
    ]


def test_no_line_is_skipped_silently(engine: LocalEngine, tmp_path: Path) -> None:
    hashes = tmp_path / "hash.csv"
    hashes.write_text("naam,plaats\n#1 Handel,Utrecht\nAcme,Delft\n", encoding="utf-8")
    info = engine.to_parquet(hashes, tmp_path / "a")
    assert pq.read_table(info.files[0]).column("naam").to_pylist() == ["#1 Handel", "Acme"]
    titled = tmp_path / "title.csv"
    titled.write_text("Register 2026\nnaam,plaats\nA,B\nC,D\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be read as CSV"):
        engine.to_parquet(titled, tmp_path / "b")


def test_parquet_is_repartitioned(engine: LocalEngine, tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    pq.write_table(
        pa.table({"code": [str(i) for i in range(ROWS)], "n": list(range(ROWS))}), source
    )
    info = engine.to_parquet(source, tmp_path / "out")
    assert info.rows == ROWS
    assert info.schema.field("n").type == pa.int64()  # Parquet keeps its types
    assert pq.ParquetFile(info.files[0]).num_row_groups == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"code,name\n1,Jan\n2,J\xe9r\xf4me\n", "the file is not valid UTF-8 text (line 3)"),
        (b"co\xffde,name\n1,Jan\n", "the file is not valid UTF-8 text (line 1)"),
        (b"PAR1 this is not really parquet", "the file is not a readable Parquet file"),
    ],
)
def test_unreadable_input(
    engine: LocalEngine, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "in.bin"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        engine.to_parquet(path, tmp_path / "out")
    assert str(caught.value) == message


def test_invalid_utf8_late_in_a_large_file(engine: LocalEngine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", rows=50_000)
    with path.open("ab") as handle:
        handle.write(b"99999999;Caf\xe9\n")
    with pytest.raises(InputError) as caught:
        engine.to_parquet(path, tmp_path / "out")
    assert caught.value.message == "the file is not valid UTF-8 text (line {line})"
    assert caught.value.params == {"line": 50_002}


def test_ragged_row_names_its_line(engine: LocalEngine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", rows=30_000)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("1;2;3\n")
    with pytest.raises(InputError) as caught:
        engine.to_parquet(path, tmp_path / "out")
    assert str(caught.value) == (
        "the CSV file cannot be read at line 30002: Expected Number of Columns: 2 Found: 3"
    )


def test_truncated_parquet(engine: LocalEngine, tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"a": list(range(1000))}), good)
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(good.read_bytes()[:-40])
    with pytest.raises(InputError, match="not a readable Parquet file"):
        engine.to_parquet(bad, tmp_path / "out")


def test_map_partitions_uses_the_pool(engine: LocalEngine, tmp_path: Path) -> None:
    info = engine.to_parquet(write_csv(tmp_path / "in.csv"), tmp_path / "src")
    seen: list[tuple[int, int]] = []
    outputs = engine.map_partitions(
        double,
        tmp_path / "src",
        tmp_path / "out",
        context=Factor(3),
        schema=OUT,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert len(outputs) == 5
    assert seen[0] == (0, 5)
    assert seen[-1] == (5, 5)
    table = pa.concat_tables(pq.read_table(p) for p in outputs)
    assert table.num_rows == info.rows
    assert sorted(table.column("double").to_pylist()) == [i * 3 for i in range(ROWS)]
    pids = set(table.column("pid").to_pylist())
    assert os.getpid() not in pids  # the work ran in worker processes
    # The SQL side reads the job's output directory as a table.
    summary = engine.sql(
        "SELECT count(*) AS n, max(double) AS top FROM out WHERE double >= ?",
        {"out": tmp_path / "out"},
        [30],
    )
    assert summary.to_pylist() == [{"n": ROWS - 10, "top": (ROWS - 1) * 3}]


def test_map_partitions_in_process(tmp_path: Path) -> None:
    engine = LocalEngine(workers=1, rows_per_partition=2048)
    engine.to_parquet(write_csv(tmp_path / "in.csv"), tmp_path / "src")
    outputs = engine.map_partitions(
        double, tmp_path / "src", tmp_path / "out", context=Factor(2), schema=OUT
    )
    table = pa.concat_tables(pq.read_table(p) for p in outputs)
    assert set(table.column("pid").to_pylist()) == {os.getpid()}
    assert table.num_rows == ROWS


@pytest.mark.parametrize("workers", [1, 2])
def test_job_errors_keep_their_parameters(tmp_path: Path, workers: int) -> None:
    engine = LocalEngine(workers=workers, rows_per_partition=2048)
    engine.to_parquet(write_csv(tmp_path / "in.csv"), tmp_path / "src")
    with pytest.raises(Refused) as caught:
        engine.map_partitions(
            refuse, tmp_path / "src", tmp_path / "out", context=Factor(7), schema=OUT
        )
    assert caught.value.params == {"row": 7}
    assert str(caught.value) == "row 7 is refused"


def test_jobs_must_be_module_level(engine: LocalEngine, tmp_path: Path) -> None:
    engine.to_parquet(write_csv(tmp_path / "in.csv", rows=10), tmp_path / "src")

    def local_job(batch: Any, context: Factor) -> Any:
        return batch

    with pytest.raises(TypeError, match="module-level"):
        engine.map_partitions(
            local_job, tmp_path / "src", tmp_path / "out", context=Factor(1), schema=OUT
        )


def test_output_directory_must_be_empty(engine: LocalEngine, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "left.parquet").write_bytes(b"")
    with pytest.raises(ValueError, match="not empty"):
        engine.to_parquet(write_csv(tmp_path / "in.csv", rows=3), tmp_path / "out")
