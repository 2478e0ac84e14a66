"""Fixtures of the browser tests, one set for the whole session (registered as a plugin in
tests/conftest.py, so that every app's browser tests share one Chromium and one server).

Browser tests: the demo city served as in production (`gemeinsinn serve`, gunicorn) in a
fresh data directory, driven by Playwright in Debian's Chromium, checked with axe-core."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
GEMEINSINN = [sys.executable, "-m", "gemeinsinn.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory) -> dict[str, str]:
    """The environment of a fresh data directory with the demo city loaded, as after
    `GEMEINSINN_DATA_DIR=DIR gemeinsinn demo --no-serve`."""
    data_dir = tmp_path_factory.mktemp("demo-data")
    env = {**os.environ, "GEMEINSINN_DATA_DIR": str(data_dir), "DEBUG": "false"}
    env.pop("DATABASE_URL", None)
    subprocess.run([*GEMEINSINN, "demo", "--no-serve"], env=env, check=True, timeout=600)
    return env


@pytest.fixture(scope="session")
def demo_server(demo_env):
    env = demo_env
    port = _free_port()
    server = subprocess.Popen(
        [*GEMEINSINN, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                output = server.stdout.read().decode(errors="replace")
                raise RuntimeError("gemeinsinn serve did not start:\n" + output) from None
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core for WCAG 2.1 A and AA on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return result


def login(page, base):
    from gemeinsinn.core.demo import DEMO_PASSWORD, DEMO_USER

    page.goto(base + "/konto/anmelden/")
    page.get_by_label("Benutzername").fill(DEMO_USER)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").last.click()
    page.wait_for_url("**/verwaltung/")
