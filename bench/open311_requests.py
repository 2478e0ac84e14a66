"""Benchmark: the Open311 GeoReport v2 server on SQLite, in a fresh data directory.

1. GET requests.json (and .xml) answering 1 000 requests out of 100 000 stored ones,
   through the whole Django stack (middleware, URL routing, view, serialisation) in one
   process: median of 30 calls. Target (issue 4): median under 100 ms for JSON.
2. POST requests.xml through `gemeinsinn serve` (gunicorn, 2 workers × 4 threads) from 8
   client threads with keep-alive connections: reports per second over 2 000 POSTs, and a
   check that every accepted report is stored (none lost). Target: 200 per second.

    .venv/bin/python -m bench.open311_requests [--stored 100000] [--posts 2000]

`--posts 0` measures the GET part only; bench/open311_load.py measures a sustained POST rate.
"""

import argparse
import contextlib
import http.client
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

GEMEINSINN = [sys.executable, "-m", "gemeinsinn.cli"]
SQUARES = 16  # a city of 4 × 4 square districts near 7.9° E, 51.2° N


def _square(i: int) -> dict:
    x0, y0 = 7.90 + 0.01 * (i % 4), 51.20 + 0.01 * (i // 4)
    ring = [[x0, y0], [x0 + 0.01, y0], [x0 + 0.01, y0 + 0.01], [x0, y0 + 0.01], [x0, y0]]
    return {"type": "Polygon", "coordinates": [ring]}


def prepare(stored: int) -> None:
    """Migrate, create the city, the default categories and `stored` reports over a year."""
    import datetime as dt
    import random

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from gemeinsinn.areas import services as area_services
    from gemeinsinn.servicerequests import services
    from gemeinsinn.servicerequests.models import Category, ServiceRequest, StatusChange

    (level,) = area_services.ensure_levels([("bezirk", "Bezirk", "Bezirke", 0, False)])
    features = [
        {"type": "Feature", "properties": {"key": f"{i:02d}", "name": f"Bezirk {i}"},
         "geometry": _square(i)}
        for i in range(SQUARES)
    ]  # fmt: skip
    area_services.import_boundaries(
        json.dumps({"type": "FeatureCollection", "features": features}).encode(),
        "bezirke.geojson",
        level,
        valid_from=dt.date(2020, 1, 1),
    )
    services.ensure_default_categories()
    categories = list(Category.objects.all())
    from gemeinsinn.areas.models import Area

    areas = list(Area.objects.filter(level=level).order_by("key"))
    rng = random.Random(4)
    now = timezone.now()
    batch = []
    for i in range(stored):
        square = rng.randrange(SQUARES)
        requested = now - dt.timedelta(seconds=rng.uniform(0, 365 * 86400))
        closed = rng.random() < 0.7
        batch.append(
            ServiceRequest(
                category=categories[rng.randrange(len(categories))],
                status="done" if closed else "received",
                lat=51.20 + 0.01 * (square // 4) + rng.uniform(0, 0.01),
                long=7.90 + 0.01 * (square % 4) + rng.uniform(0, 0.01),
                area=areas[square],
                address=f"Teststraße {i % 200 + 1}",
                description="Ein Schlagloch vor dem Haus, etwa 30 cm breit und tief. " * 2,
                token=f"{i:032x}",
                secret="x",
                requested_at=requested,
                updated_at=requested + dt.timedelta(days=3) if closed else requested,
                closed_at=requested + dt.timedelta(days=3) if closed else None,
                first_answer_at=requested + dt.timedelta(days=1) if closed else None,
                status_notes="Der Schaden wurde ausgebessert." if closed else "",
            )
        )
        if len(batch) == 10_000:
            ServiceRequest.objects.bulk_create(batch)
            batch = []
    ServiceRequest.objects.bulk_create(batch)
    StatusChange.objects.bulk_create(
        StatusChange(request_id=pk, created_at=at, new_status="received")
        for pk, at in ServiceRequest.objects.values_list("id", "requested_at")
    )


def measure_get(runs: int) -> dict[str, float]:
    from django.test import Client

    client = Client(HTTP_HOST="localhost")  # an allowed host of the default settings
    results = {}
    for name, url in [
        ("requests.json", "/open311/v2/requests.json"),
        ("requests.xml", "/open311/v2/requests.xml"),
        ("requests.json?status=closed&service_code=muell,strasse",
         "/open311/v2/requests.json?status=closed&service_code=muell,strasse"),
    ]:  # fmt: skip
        response = client.get(url)  # warm-up (connections, caches)
        count = len(json.loads(response.content)) if url.endswith("json") else None
        times, cpu_times = [], []
        for _ in range(runs):
            start, cpu_start = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - cpu_start) * 1000)
            assert response.status_code == 200
        results[name] = statistics.median(times)
        shown = f"{count} results, " if count is not None else ""
        print(
            f"GET {name}: {shown}median {statistics.median(times):.1f} ms "
            f"(min {min(times):.1f}, max {max(times):.1f}, {runs} runs; "
            f"CPU median {statistics.median(cpu_times):.1f} ms, load average "
            f"{os.getloadavg()[0]:.1f})",
            flush=True,
        )
    return results


def child_get(stored: int, runs: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gemeinsinn.settings")
    import django

    django.setup()
    start = time.perf_counter()
    prepare(stored)
    from gemeinsinn.servicerequests.models import ServiceRequest

    print(
        f"prepared {ServiceRequest.objects.count()} stored requests in "
        f"{time.perf_counter() - start:.1f} s",
        flush=True,
    )
    measure_get(runs)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(data_dir: Path):
    """`gemeinsinn serve` (gunicorn, 2 workers × 4 threads, as in production) on the data
    directory, with a new API key without flood limit: yields (server process, port, key)."""
    env = {**os.environ, "GEMEINSINN_DATA_DIR": str(data_dir), "DEBUG": "false"}
    env.pop("DATABASE_URL", None)
    key = subprocess.run(
        [*GEMEINSINN, "open311", "create-key", "Benchmark", "--rate-limit", "0"],
        env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        [*GEMEINSINN, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port)
        yield server, port, key
    finally:
        server.terminate()
        server.wait(timeout=30)


def post_throughput(data_dir: Path, posts: int, clients: int) -> None:
    with running_server(data_dir) as (server, port, key):
        before = _count(port)
        body = urllib.parse.urlencode(
            {
                "api_key": key,
                "service_code": "strasse",
                "lat": "51.215",
                "long": "7.915",
                "attribute[flaeche]": "gehweg",
                "description": "Lose Gehwegplatte vor dem Eingang.",
                "email": "bench@example.org",
            }
        )
        accepted, failed = [0] * clients, [0] * clients
        share = [posts // clients + (1 if i < posts % clients else 0) for i in range(clients)]

        def work(index: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            for _ in range(share[index]):
                connection.request("POST", "/open311/v2/requests.xml", body, headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    accepted[index] += 1
                else:
                    failed[index] += 1
            connection.close()

        threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
        cpu_before = _server_cpu(server.pid)
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - start
        cpu = _server_cpu(server.pid) - cpu_before
        stored = _count(port) - before
        print(
            f"POST requests.xml: {sum(accepted)} accepted, {sum(failed)} refused in "
            f"{seconds:.1f} s = {sum(accepted) / seconds:.0f} reports/s "
            f"({clients} clients, gunicorn 2 workers × 4 threads); "
            f"stored {stored}, lost {sum(accepted) - stored}",
            flush=True,
        )
        per_post = cpu / max(sum(accepted), 1) * 1000
        print(
            f"POST server CPU: {per_post:.1f} ms per report (all gunicorn processes), i.e. "
            f"{1000 / per_post:.0f} reports/s per core when the server has the core to itself",
            flush=True,
        )


def _server_cpu(master: int) -> float:
    """CPU seconds (user + system) of the gunicorn master and its workers so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry.name), int(fields[1])
        if pid == master or parent == master:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _wait(port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/open311/v2/services.json")
            connection.getresponse().read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _count(port: int) -> int:
    """Stored reports, counted by the server's own database (via a fresh process)."""
    del port
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'gemeinsinn.settings'); django.setup(); "
        "from gemeinsinn.servicerequests.models import ServiceRequest; "
        "print(ServiceRequest.objects.count())"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return int(output.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--posts", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_get(args.stored, args.runs)
        return
    with tempfile.TemporaryDirectory(prefix="bench-open311-") as directory:
        env = {**os.environ, "GEMEINSINN_DATA_DIR": directory, "DEBUG": "false"}
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "-m", "bench.open311_requests", "--child",
             "--stored", str(args.stored), "--runs", str(args.runs)],
            env=env, check=True,
        )  # fmt: skip
        os.environ["GEMEINSINN_DATA_DIR"] = directory
        os.environ.pop("DATABASE_URL", None)
        if args.posts:
            post_throughput(Path(directory), args.posts, args.clients)


if __name__ == "__main__":
    main()
