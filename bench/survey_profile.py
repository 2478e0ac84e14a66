"""Benchmark: the server's CPU time per submission of the one-page survey form, without an HTTP
server — the WSGI application called in-process with the same requests as
``bench.survey_load`` (CSRF, flood limit per address, answer check, one INSERT), so that the
cost of the Django path can be measured and profiled apart from gunicorn and the load generator.

    .venv/bin/python -m bench.survey_profile [--batches 6] [--profile] [--django]

Prints the CPU milliseconds per submission of each batch of 500 (the machine is shared: the
smallest is the most telling); ``--profile`` adds the 40 most expensive calls (cProfile).
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import tempfile
import time
import urllib.parse

BATCH = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--django", action="store_true", help="without the short path (surveys.fastpath)"
    )
    args = parser.parse_args()
    os.environ["CLIENT_IP_HEADER"] = "HTTP_X_FORWARDED_FOR"
    os.environ["DEBUG"] = "false"
    os.environ.pop("DATABASE_URL", None)
    from bench.survey_load import ANSWERS, prepare

    slug, areas = prepare(tempfile.mkdtemp(prefix="gemeinsinn-bench-profile-"))
    from gemeinsinn.commands.serve import wsgi_application
    from gemeinsinn.wsgi import application as django_application

    application = django_application if args.django else wsgi_application()

    def call(method, body=b"", headers=()):
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": f"/umfragen/{slug}/eine-seite/",
            "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)), **dict(headers),
        }  # fmt: skip
        started = {}

        def start_response(status, response_headers, exc_info=None):
            started.update(status=status, headers=response_headers)

        body = b"".join(application(environ, start_response))
        return started["status"], started["headers"], body.decode()

    _status, headers, html = call("GET")
    cookie = next(v for k, v in headers if k == "Set-Cookie").split(";")[0].split("=", 1)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    shown = re.search(r'name="shown" value="([^"]*)"', html).group(1)

    def request(number: int) -> tuple[bytes, dict]:
        body = urllib.parse.urlencode(
            [("csrfmiddlewaretoken", token), ("shown", shown), ("submission_key", f"k{number}"),
             ("area", str(areas[number % len(areas)])), *ANSWERS]
        ).encode()  # fmt: skip
        address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        return body, {"HTTP_COOKIE": f"csrftoken={cookie}", "HTTP_X_FORWARDED_FOR": address}

    def submit(prepared: tuple[bytes, dict]) -> None:
        status, _headers, _body = call("POST", *prepared)
        if not status.startswith("302"):
            raise SystemExit(f"submission refused: {status}")

    def submit_all(numbers: range) -> float:
        """CPU ms per submission (the requests are built beforehand, outside the time)."""
        prepared = [request(number) for number in numbers]
        started = time.process_time()
        for one in prepared:
            submit(one)
        return 1000 * (time.process_time() - started) / len(prepared)

    submit_all(range(200))  # warm up: parsed form, connections, caches
    times = [
        submit_all(range(1000 + b * BATCH, 1000 + (b + 1) * BATCH)) for b in range(args.batches)
    ]
    print("CPU ms per submission, batches of 500: " + " ".join(f"{t:.2f}" for t in times))
    print(f"smallest {min(times):.2f} ms; load average {os.getloadavg()[0]:.1f}")
    if args.profile:
        profile = cProfile.Profile()
        prepared = [request(n) for n in range(100_000, 100_000 + 2 * BATCH)]
        profile.runcall(lambda: [submit(one) for one in prepared])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
