"""The Spark engine against a real standalone cluster on loopback.

``scripts/test-all`` starts one (``scripts/spark-test-cluster``) and exports
``BAKEN_TEST_SPARK_MASTER``; without it these tests are skipped, except under CI, where
a skipped Spark path would hide a broken one: there they fail.

One Spark application per process: the tests share one engine, and the test of a dying
cluster runs last (its private cluster takes the application over).
"""

from __future__ import annotations

import math
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from baken.engines import EngineError, get_engine
from baken.engines.local import LocalEngine
from baken.engines.spark import SparkEngine
from baken.resolve.linkage import Linked, link, prepare
from tests.engines.test_local import OUT, Factor, double, write_csv
from tests.resolve.test_linkage import crowd, sample_records

MASTER = os.environ.get("BAKEN_TEST_SPARK_MASTER", "")
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "spark-test-cluster"

if not MASTER and os.environ.get("CI"):
    pytest.fail("CI is set but BAKEN_TEST_SPARK_MASTER is not: the Spark tests must run")
pytestmark = pytest.mark.skipif(
    not MASTER, reason="no Spark cluster (BAKEN_TEST_SPARK_MASTER; scripts/test-all starts one)"
)


ROOT = Path(__file__).resolve().parents[2]
# Short-lived JVMs: the quick JIT tier only starts them about twice as fast.
QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


def _engine(master: str, **options: Any) -> SparkEngine:
    # Small: the test cluster has one worker with 2 cores and 2 GB. Executors import
    # test jobs (tests.engines.test_local) from the repo.
    conf = {
        "spark.driver.extraJavaOptions": QUICK_JVM,
        "spark.executor.extraJavaOptions": QUICK_JVM,
        "spark.executorEnv.PYTHONPATH": str(ROOT),
    }
    return SparkEngine(
        master, shuffle_partitions=2, lost_timeout=3.0, executor_timeout=60.0, conf=conf, **options
    )


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkEngine]:
    engine = _engine(MASTER)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def local_model() -> tuple[object, Linked]:
    records, _ = sample_records()
    table = prepare(records)
    return table, link(table, engine=LocalEngine(threads=2), threshold=0.5)


def test_get_engine_builds_the_spark_engine() -> None:
    engine = get_engine("spark", master=MASTER)
    assert isinstance(engine, SparkEngine)
    assert engine.master == MASTER


def test_an_unreachable_master_fails_at_once() -> None:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = _engine(f"spark://127.0.0.1:{port}", connect_timeout=2.0)
    table, _ = prepare(crowd(people=4, shared=2)[0]), None
    start = time.monotonic()
    with pytest.raises(EngineError, match="cannot be reached"):
        link(table, engine=engine)
    assert time.monotonic() - start < 10


def test_spark_scores_like_local(spark: SparkEngine, local_model: tuple[object, Linked]) -> None:
    table, local = local_model
    on_spark = link(table, engine=spark, threshold=0.5, model=local.model)
    assert on_spark.compared == local.compared
    assert [(p.left_id, p.right_id) for p in on_spark.pairs] == [
        (p.left_id, p.right_id) for p in local.pairs
    ]
    for one, two in zip(on_spark.pairs, local.pairs, strict=True):
        assert math.isclose(one.match_weight, two.match_weight, abs_tol=1e-6)
        assert math.isclose(one.probability, two.probability, abs_tol=1e-9)
        assert [(c.comparison, c.level) for c in one.contributions] == [
            (c.comparison, c.level) for c in two.contributions
        ]


def test_partition_jobs_and_sql_run_on_the_cluster(tmp_path: Path, spark: SparkEngine) -> None:
    info = spark.to_parquet(write_csv(tmp_path / "in.csv", rows=500), tmp_path / "in")
    assert info.rows == 500
    assert info.schema.field("code").type == pa.string()  # text: leading zeros kept
    files = spark.map_partitions(
        double, tmp_path / "in", tmp_path / "out", context=Factor(3), schema=OUT
    )
    table = pa.concat_tables([pq.read_table(f) for f in files])
    assert sorted(table.column("double").to_pylist()) == [3 * i for i in range(500)]
    result = spark.sql(
        "SELECT count(*) AS n FROM doubled WHERE double >= ?",
        {"doubled": tmp_path / "out"},
        [3 * 400],
    )
    assert result.column("n").to_pylist() == [100]


def test_training_on_spark_finds_the_pairs(spark: SparkEngine) -> None:
    records, truth = crowd(people=60, shared=40)
    linked = link(prepare(records), engine=spark, threshold=0.5)
    found = {(p.left_id, p.right_id) for p in linked.pairs}
    assert len(found & truth) / len(truth) >= 0.9
    assert len(found & truth) / len(found) >= 0.9
    assert linked.model["comparisons"]


def test_a_cluster_that_dies_mid_job_fails_clearly_and_a_rerun_succeeds(
    tmp_path: Path, spark: SparkEngine, local_model: tuple[object, Linked]
) -> None:
    table, local = local_model
    cluster = tmp_path / "cluster"
    master = subprocess.run(
        ["bash", str(SCRIPT), "start", str(cluster)],
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout.strip()
    try:
        doomed = _engine(master)
        doomed.session()  # the application is up, with its executor
        failure: list[BaseException] = []

        def job() -> None:
            try:
                link(table, engine=doomed, threshold=0.5, model=local.model)
            except BaseException as exc:
                failure.append(exc)

        worker = threading.Thread(target=job)
        worker.start()
        time.sleep(3)  # the job is running on the worker
        subprocess.run(["bash", str(SCRIPT), "kill-worker", str(cluster)], check=True)
        worker.join(timeout=90)
        assert not worker.is_alive(), "the job hung after its cluster died"
        assert failure, "a job whose cluster died returned a result"
        assert isinstance(failure[0], EngineError)
        assert "was lost during the job" in str(failure[0])
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", str(cluster)], check=False, timeout=60)
    # The rerun, on a working cluster, in a fresh application.
    rerun = link(table, engine=spark, threshold=0.5, model=local.model)
    assert [(p.left_id, p.right_id) for p in rerun.pairs] == [
        (p.left_id, p.right_id) for p in local.pairs
    ]
