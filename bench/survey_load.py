"""Benchmark: survey submissions under load — the server as in production (`gemeinsinn serve`,
gunicorn, SQLite in WAL mode in a fresh data directory) on 127.0.0.1, and a load generator on
loopback with many concurrent clients (HTTP/1.1 keep-alive, one epoll loop per process, one
process or several).

Each client sends complete questionnaires of the demo survey through the one-page form (the
lean submission path: CSRF check, flood limit, answer check, one INSERT), each with its own
form key and its own client address (X-Forwarded-For, as behind a proxy, so that the flood
limit of 20 per hour and address applies as in production). Every 100th form is sent twice,
like a double click. Afterwards the database must hold exactly one response per acknowledged
form: none lost, none duplicated.

Target (issue 3): 1 000 submissions per second sustained for 60 s with 100 clients.

    .venv/bin/python -m bench.survey_load [--seconds 60] [--clients 100] [--workers 2]
        [--threads 4] [--generators 1]

The last line sums it up: submissions per second, lost, duplicated, the server's CPU time per
submission (steadier than the rate on a shared machine), the load generator's per request,
and the load average before and after.
"""

import argparse
import multiprocessing
import os
import re
import resource
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

ANSWERS = [
    ("q-wohndauer", "7"),
    ("q-zufriedenheit", "eher_zufrieden"),
    ("q-sicherheit_tag", "sehr_sicher"),
    ("q-sicherheit_nacht", "eher_sicher"),
    ("q-fehlt", "gruen"),
    ("q-fehlt", "oepnv"),
    ("q-altersgruppe", "45_64"),
    ("q-geschlecht", "weiblich"),
    ("q-haushalt_personen", "1"),
    ("q-anmerkungen", "Mehr Bänke im Park."),
]
DOUBLE_EVERY = 100


def prepare(data_dir: str) -> tuple[str, list[int]]:
    """The database: 100 districts and the demo survey, open to everyone."""
    os.environ["GEMEINSINN_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gemeinsinn.settings")
    import django

    django.setup()
    from django.db import connection

    from bench.survey_results import make_city
    from gemeinsinn.areas.models import Area
    from gemeinsinn.formats.xlsform.demo_form import demo_form_bytes
    from gemeinsinn.surveys import services

    level = make_city()
    survey = services.import_survey(demo_form_bytes(), "buergerumfrage.xlsx")
    areas = list(Area.objects.filter(level=level).values_list("id", flat=True))
    connection.close()
    return survey.slug, areas


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "GEMEINSINN_DATA_DIR": data_dir,
        "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
        "DEBUG": "false",
    }
    env.pop("DATABASE_URL", None)
    # the server's log goes to a file: a pipe nobody reads fills up and blocks the server
    log = Path(data_dir) / "server.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gemeinsinn.cli", "serve", "--port", str(port),
             "--workers", str(workers), "--threads", str(threads)],
            env=env, stdout=subprocess.DEVNULL, stderr=log_file,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/umfragen/", timeout=5)
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(log.read_text(errors="replace")) from None
            time.sleep(0.3)


def form_state(base: str, slug: str) -> tuple[str, str, str]:
    """(csrf cookie, csrf form token, names of the shown questions) from one GET."""
    with urllib.request.urlopen(f"{base}/umfragen/{slug}/eine-seite/") as response:
        cookie = SimpleCookie(response.headers["Set-Cookie"])["csrftoken"].value
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    shown = re.search(r'name="shown" value="([^"]*)"', html).group(1)
    return cookie, token, shown


def server_cpu_seconds(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds of the server process and its workers so far."""
    user = system = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid, *Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        user += int(fields[11]) / ticks
        system += int(fields[12]) / ticks
    return user, system


class Client:
    """One client: complete questionnaires one after the other on one keep-alive connection.
    The requests are put together from parts made once (only the form key, the area and the
    address change), so that the load generator costs as little CPU as possible."""

    def __init__(self, number: int, port: int, parts: tuple[bytes, bytes, bytes], areas, results):
        self.number, self.port, self.parts, self.areas = number, port, parts, areas
        self.results = results
        self.sent = self.attempts = 0
        self.buffer = b""
        self.socket = self.connect()

    def connect(self) -> socket.socket:
        connection = socket.create_connection(("127.0.0.1", self.port))
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def next_form(self) -> None:
        self.sent += 1
        self.key = f"g{self.results['generator']}c{self.number}n{self.sent}"
        area = self.areas[(self.number + self.sent) % len(self.areas)]
        head, middle, tail = self.parts
        body = b"%s%s&area=%d%s" % (middle, self.key.encode(), area, tail)
        address = f"10.{self.results['generator']}.{self.number}.{self.sent}"  # one each
        self.request = b"%sX-Forwarded-For: %s\r\nContent-Length: %d\r\n\r\n%s" % (
            head,
            address.encode(),
            len(body),
            body,
        )
        self.attempts = 2 if (self.number + self.sent) % DOUBLE_EVERY == 0 else 1
        self.send()

    def send(self) -> None:
        self.started = time.monotonic()
        self.socket.sendall(self.request)

    def receive(self) -> bool:
        """Read what the server sent; True when a whole answer has come (and was counted)."""
        data = self.socket.recv(65536)
        if not data:
            raise ConnectionError(f"client {self.number}: the server closed the connection")
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = self.buffer[:end]
        length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        size = end + 4 + (int(length.group(1)) if length else 0)
        if len(self.buffer) < size:
            return False
        self.buffer = self.buffer[size:]
        results, now = self.results, time.monotonic()
        results["latencies"].append(now - self.started)
        status = int(head.split(b" ", 2)[1])
        if status == 302 and b"/danke/" in head:
            results["acknowledged"].add(self.key)
            results["finished"].append(now)
        else:
            results["errors"].append((status, self.key))
        if b"connection: close" in head.lower():
            self.socket.close()
            self.socket = self.connect()
        self.attempts -= 1
        return True


def request_parts(slug: str, state: tuple[str, str, str]) -> tuple[bytes, bytes, bytes]:
    """(head without address and length, body up to the form key, body after the area)."""
    cookie, token, shown = state
    head = (
        f"POST /umfragen/{slug}/eine-seite/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Cookie: csrftoken={cookie}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
    ).encode()
    middle = urllib.parse.urlencode(
        [("csrfmiddlewaretoken", token), ("shown", shown), ("submission_key", "")]
    ).encode()
    return head, middle, b"&" + urllib.parse.urlencode(ANSWERS).encode()


def generate(generator, clients, port, slug, state, areas, seconds, queue) -> None:
    """One load-generator process running ``clients`` clients (one thread, non-blocking
    waiting with epoll); puts its results on the queue."""
    results = {"generator": generator, "acknowledged": set(), "errors": [], "latencies": [],
               "finished": []}  # fmt: skip
    parts = request_parts(slug, state)
    started = time.monotonic()
    deadline = started + seconds
    waiting = selectors.DefaultSelector()
    for number in range(clients):
        one = Client(number, port, parts, areas, results)
        waiting.register(one.socket, selectors.EVENT_READ, one)
        one.next_form()
    while waiting.get_map():
        for key, _events in waiting.select(timeout=1):
            one = key.data
            old = one.socket
            if not one.receive():
                continue
            if one.socket is not old:  # reconnected
                waiting.unregister(old)
                waiting.register(one.socket, selectors.EVENT_READ, one)
            if one.attempts > 0:
                one.send()
            elif time.monotonic() < deadline:
                one.next_form()
            else:
                waiting.unregister(one.socket)
                one.socket.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results["cpu"] = usage.ru_utime + usage.ru_stime
    results["started"] = started
    queue.put(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--generators", type=int, default=1, help="load-generator processes")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]
    data_dir = tempfile.mkdtemp(prefix="gemeinsinn-bench-load-")
    slug, areas = prepare(data_dir)
    port = free_port()
    server = start_server(data_dir, port, args.workers, args.threads)
    try:
        state = form_state(f"http://127.0.0.1:{port}", slug)
        cpu_before = server_cpu_seconds(server.pid)
        queue = multiprocessing.Queue()
        share = [args.clients // args.generators + (i < args.clients % args.generators)
                 for i in range(args.generators)]  # fmt: skip
        processes = [
            multiprocessing.Process(
                target=generate, args=(i, n, port, slug, state, areas, args.seconds, queue)
            )
            for i, n in enumerate(share)
        ]
        wall = time.monotonic()
        for process in processes:
            process.start()
        outcomes = [queue.get() for _ in processes]
        for process in processes:
            process.join()
        wall = time.monotonic() - wall
        cpu_after = server_cpu_seconds(server.pid)
        server_cpu = tuple(a - b for a, b in zip(cpu_after, cpu_before, strict=True))
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(args, data_dir, slug, outcomes, wall, server_cpu)


def report(args, data_dir, slug, outcomes, wall, server_cpu) -> None:
    from django.db import connection

    from gemeinsinn.surveys.models import Response

    connection.close()  # the server wrote meanwhile: read afresh
    acknowledged = set().union(*(o["acknowledged"] for o in outcomes))
    errors = [e for o in outcomes for e in o["errors"]]
    latencies = sorted(x for o in outcomes for x in o["latencies"])
    finished = sorted(x for o in outcomes for x in o["finished"])
    stored = list(
        Response.objects.filter(survey__slug=slug).values_list("submission_key", flat=True)
    )
    stored_keys = set(stored)
    lost = acknowledged - stored_keys
    duplicated = len(stored) - len(stored_keys)
    start = min(o["started"] for o in outcomes)
    per_second = [0] * (args.seconds + 1)
    for moment in finished:
        per_second[min(args.seconds, int(moment - start))] += 1
    steady = per_second[1 : args.seconds - 1] or per_second
    rate = len(acknowledged) / args.seconds

    def quantile(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    print(f"{args.clients} clients in {args.generators} generator process(es), "
          f"{args.workers} gunicorn workers × {args.threads} threads, SQLite WAL, "
          f"{args.seconds} s")  # fmt: skip
    print(f"acknowledged submissions: {len(acknowledged)} = {rate:.0f}/s "
          f"(per second: min {min(steady)}, median {statistics.median(steady):.0f}, "
          f"max {max(steady)})")  # fmt: skip
    print(f"requests incl. {sum(len(o['latencies']) for o in outcomes) - len(acknowledged)} "
          f"repeated or refused: latency p50 {quantile(0.5):.0f} ms, p95 {quantile(0.95):.0f} "
          f"ms, p99 {quantile(0.99):.0f} ms")  # fmt: skip
    print(f"stored responses: {len(stored)}; lost: {len(lost)}; duplicated: {duplicated}; "
          f"errors: {len(errors)} {errors[:5]}")  # fmt: skip
    generator_cpu = sum(o["cpu"] for o in outcomes)
    requests = sum(len(o["latencies"]) for o in outcomes)
    user, system = server_cpu
    per_submission = 1000 * (user + system) / max(1, len(acknowledged))
    print(f"CPU seconds in {wall:.0f} s wall: server {user + system:.1f} (user {user:.1f}, "
          f"system {system:.1f}; {per_submission:.2f} ms per submission), "
          f"load generator {generator_cpu:.1f}; cores {os.cpu_count()}")  # fmt: skip
    print(f"RESULT: {rate:.0f} submissions/s (target 1000/s: "
          f"{'reached' if rate >= 1000 else 'not reached'}), lost {len(lost)}, duplicated "
          f"{duplicated}, server CPU {per_submission:.2f} ms per submission "
          f"({(user + system) / wall:.2f} of {os.cpu_count()} cores), load generator "
          f"{1000 * generator_cpu / max(1, requests):.3f} ms per request, load average "
          f"{args.load_before:.1f} before, {os.getloadavg()[0]:.1f} after")  # fmt: skip
    print(f"data dir: {data_dir}")
    if lost or duplicated:
        raise SystemExit("FAILED: responses lost or duplicated")


if __name__ == "__main__":
    main()
