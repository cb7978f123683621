"""The load benchmark's reading of locust's CSV files into rows of the bench table.

The samples are cut from a real run (locust 2.47, ``--csv``) of ``benchmarks/locustfile.py``
against ``baken serve``; one failing line is added by hand.
"""

from __future__ import annotations

from benchmarks.load import (
    Stat,
    failures,
    load_rows,
    merge_baselines,
    parse_stats,
    server_trouble,
)

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
)
LOAD = HEADER + (
    "GET,entity view,9,0,44,64.05,23.20,238.43,78158.77,0.64,0.0,"
    "44,52,58,60,240,240,240,240,240,240,240\n"
    "GET,search,9,2,57,143.34,20.95,396.53,10730.88,0.64,0.14,"
    "57,210,230,300,400,400,400,400,400,400,400\n"
    "POST,sign-in,10,0,150,138.21,54.41,205.15,0.0,0.71,0.0,"
    "150,170,180,190,210,210,210,210,210,210,210\n"
    "GET,sign-in form,10,0,77,74.35,52.38,92.94,1834.0,0.71,0.0,"
    "77,80,86,92,93,93,93,93,93,93,93\n"
    ",Aggregated,38,2,77,103.74,14.55,396.53,11305.38,6.58,0.14,"
    "77,100,150,170,230,290,300,400,400,400,400\n"
)
BASELINE = HEADER + (
    "GET,search,40,0,21,25.1,15.2,80.3,10730.8,3.9,0.0,21,22,24,25,30,41,60,80,80,80,80\n"
    "GET,entity view,0,0,0,0.0,0,0,0.0,0.0,0.0,"
    "N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\n"
    ",Aggregated,40,0,21,25.1,15.2,80.3,10730.8,3.9,0.0,21,22,24,25,30,41,60,80,80,80,80\n"
)
FAILURES = (
    "Method,Name,Error,Occurrences,First Seen,Last Seen\n"
    'GET,search,"/zoeken?q=haven: status 500",1,1764183551.2,1764183551.2\n'
    'GET,search,"/zoeken?q=cyber: sent to the login page",3,1764183552.9,1764183560.1\n'
)


def test_stats_by_name_with_methods_and_missing_percentiles() -> None:
    stats = parse_stats(LOAD)
    assert set(stats) == {"entity view", "search", "POST sign-in", "sign-in form", "Aggregated"}
    assert stats["search"] == Stat("search", 9, 2, 57.0, 400.0, 400.0, 0.64)
    assert stats["Aggregated"].requests == 38
    empty = parse_stats(BASELINE)["entity view"]
    assert (empty.requests, empty.p50, empty.p99) == (0, None, None)


def test_rows_hold_only_without_errors() -> None:
    rows = load_rows(parse_stats(LOAD), parse_stats(BASELINE), users=200, seconds=600)
    by_figure = {r.figure: r for r in rows}
    search = by_figure["load, 200 users 600 s: search p50 / p95 / p99"]
    assert (search.baken, search.baseline) == ("57 / 400 / 400 ms", "21 ms (p50, 1 user)")
    assert search.note == "9 requests, 2 errors"
    assert search.holds is False
    entity = by_figure["load, 200 users 600 s: entity view p50 / p95 / p99"]
    assert entity.holds is True
    assert entity.baseline == "– ms (p50, 1 user)"  # no requests of this type alone
    total = rows[-1]
    assert total.figure == "load, 200 users 600 s: all requests p50 / p95 / p99"
    assert total.note == "38 requests, 2 errors, 6.6 requests/s"
    assert total.holds is False
    assert all(r.target == "0 errors" for r in rows)


def test_no_requests_of_a_type_does_not_hold() -> None:
    rows = load_rows(parse_stats(BASELINE), {}, users=1, seconds=10)
    assert [r.holds for r in rows] == [False, True, True]  # entity view, search, total


def test_baselines_keep_the_run_with_most_requests() -> None:
    merged = merge_baselines(parse_stats(LOAD), parse_stats(BASELINE))
    assert merged["search"].requests == 40
    assert merged["entity view"].requests == 9
    assert merged["POST sign-in"].requests == 10


def test_first_failures_most_frequent_first() -> None:
    assert failures(FAILURES) == [
        "3× search: /zoeken?q=cyber: sent to the login page",
        "1× search: /zoeken?q=haven: status 500",
    ]
    assert failures(FAILURES, limit=1) == ["3× search: /zoeken?q=cyber: sent to the login page"]


def test_server_trouble_skips_answered_requests_and_start_up() -> None:
    log = (
        "Baken at http://127.0.0.1:40521 (database: PostgreSQL)\n"
        "INFO:     Uvicorn running on http://127.0.0.1:40521 (Press CTRL+C to quit)\n"
        "INFO:     Started parent process [23945]\n"
        "INFO:     Started server process [23949]\n"
        "INFO:     Waiting for application startup.\n"
        "INFO:     Application startup complete.\n"
        'INFO:     127.0.0.1:53052 - "GET /login HTTP/1.1" 200 OK\n'
        'INFO:     127.0.0.1:53052 - "POST /login HTTP/1.1" 303 See Other\n'
        'INFO:     127.0.0.1:53068 - "GET /zoeken?… HTTP/1.1" 500 Internal Server Error\n'
        "INFO:     Waiting for child process [23949]\n"
        "INFO:     Child process [23949] died\n"
    )
    assert server_trouble(log) == [
        'INFO:     127.0.0.1:53068 - "GET /zoeken?… HTTP/1.1" 500 Internal Server Error',
        "INFO:     Waiting for child process [23949]",
        "INFO:     Child process [23949] died",
    ]
    assert server_trouble(log, limit=1) == [
        'INFO:     127.0.0.1:53068 - "GET /zoeken?… HTTP/1.1" 500 Internal Server Error'
    ]
