"""Benchmark: sustained Open311 POST load on SQLite, none lost (issue 4: 200 per second).

`gemeinsinn serve` (gunicorn as in production, 2 workers × 4 threads) on 127.0.0.1 with a
fresh data directory; a load generator of concurrent client threads with keep-alive
connections sends POST requests.json at a fixed rate for a fixed time (open loop: the i-th
report is due at start + i / rate, whatever happened before, so a slow server shows as
lateness instead of a lower rate). Afterwards every acknowledged service_request_id is read
back through GET requests.json, and the stored rows are counted in the database: lost =
acknowledged but not stored, extra = stored without an acknowledgement.

    .venv/bin/python -m bench.open311_load [--rate 200] [--seconds 30] [--clients 30]

Printed: acknowledged / refused / failed requests, the achieved rate, latency from the due
time (median, 95 %, 99 %, max), how late the last reports were sent, the server's CPU time
and the machine's load average before and after.
"""

import argparse
import http.client
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench.open311_requests import _count, _server_cpu, running_server

PREPARE = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'gemeinsinn.settings'); "
    "django.setup(); from bench.open311_requests import prepare; prepare(0)"
)  # the city, its districts and the default categories, no reports


def _body(key: str, number: int) -> str:
    return urllib.parse.urlencode(
        {
            "api_key": key,
            "service_code": "strasse",
            "lat": f"{51.201 + (number % 300) * 0.0001:.5f}",
            "long": f"{7.901 + (number % 290) * 0.0001:.5f}",
            "attribute[flaeche]": "gehweg",
            "description": f"Lose Gehwegplatte Nr. {number} vor dem Eingang.",
            "email": "last@example.org",
        }
    )


def generate(port: int, key: str, rate: float, seconds: float, clients: int) -> dict:
    """Send rate × seconds POSTs on schedule from `clients` threads; collect the answers."""
    total = int(rate * seconds)
    numbers = itertools.count()  # shared; next() is atomic under the GIL
    lock = threading.Lock()
    ids: list[str] = []
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    lateness: list[float] = []
    start = time.perf_counter() + 0.5

    def connect():
        return http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def work() -> None:
        connection = connect()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        while (number := next(numbers)) < total:
            due = start + number / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            sent = time.perf_counter()
            found, status = None, 0
            try:
                connection.request("POST", "/open311/v2/requests.json", _body(key, number), headers)
                response = connection.getresponse()
                content = response.read()
                status = response.status
                if status == 200:
                    found = json.loads(content)[0]["service_request_id"]
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = connect()
            done = time.perf_counter()
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(done - due)
                lateness.append(sent - due)
                if found is not None:
                    ids.append(found)
        connection.close()

    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "total": total,
        "seconds": time.perf_counter() - start,
        "ids": ids,
        "statuses": statuses,
        "latencies": sorted(latencies),
        "lateness": lateness,
    }


def readable(port: int, ids: list[str]) -> int:
    """How many of the ids GET requests.json returns (asked 200 at a time: gunicorn takes
    request lines up to 4 094 bytes)."""
    found = 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for first in range(0, len(ids), 200):
        query = urllib.parse.urlencode({"service_request_id": ",".join(ids[first : first + 200])})
        connection.request("GET", f"/open311/v2/requests.json?{query}")
        response = connection.getresponse()
        content = response.read()
        assert response.status == 200, content[:200]
        found += len(json.loads(content))
    connection.close()
    return found


def _quantile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] * 1000 if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=200.0, help="POSTs per second")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=30, help="client threads")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-open311-load-") as directory:
        os.environ["GEMEINSINN_DATA_DIR"] = directory
        os.environ.pop("DATABASE_URL", None)
        os.environ["DEBUG"] = "false"
        subprocess.run(
            [sys.executable, "-c", PREPARE],
            check=True,
        )
        with running_server(Path(directory)) as (server, port, key):
            load_before = os.getloadavg()
            cpu_before = _server_cpu(server.pid)
            result = generate(port, key, args.rate, args.seconds, args.clients)
            cpu = _server_cpu(server.pid) - cpu_before
            load_after = os.getloadavg()
            acknowledged = len(result["ids"])
            stored = _count(port)
            read_back = readable(port, result["ids"])
    latencies, late = result["latencies"], sorted(result["lateness"])
    statuses = result["statuses"]
    refused = sum(n for status, n in statuses.items() if status not in (0, 200))
    print(
        f"POST requests.json at {args.rate:.0f}/s for {args.seconds:.0f} s from {args.clients} "
        f"client threads: {result['total']} sent, {acknowledged} acknowledged (200), "
        f"{refused} refused {dict(sorted(statuses.items()))}, {statuses.get(0, 0)} failed "
        f"(connection); achieved {acknowledged / result['seconds']:.0f}/s",
        flush=True,
    )
    print(
        f"stored {stored}, read back through GET {read_back}; "
        f"lost {acknowledged - read_back}, extra {stored - acknowledged}",
        flush=True,
    )
    print(
        f"latency from due time: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"95 % {_quantile(latencies, 0.95):.0f} ms, 99 % {_quantile(latencies, 0.99):.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms; sent late by up to {late[-1] * 1000:.0f} ms "
        f"(median {statistics.median(late) * 1000:.0f} ms)",
        flush=True,
    )
    print(
        f"server CPU {cpu:.1f} s = {cpu / max(acknowledged, 1) * 1000:.1f} ms per report; "
        f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f} "
        f"({os.cpu_count()} cores)",
        flush=True,
    )


if __name__ == "__main__":
    main()
