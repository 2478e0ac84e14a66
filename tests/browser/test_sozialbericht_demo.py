"""The issue's check, as on a fresh clone: after `gemeinsinn demo --no-serve`, the command
`gemeinsinn report build --kind sozialbericht --year 2025 --output report.pdf` writes the
full report for the demo city; its HTML twin passes axe-core in Chromium."""

import subprocess

import pytest

from tests.browser.fixtures import GEMEINSINN, axe_violations
from tests.socialreport.plankit import outline_titles, pdf_reader, pdf_text

pytestmark = pytest.mark.browser

CHAPTERS = [
    "Das Wichtigste in Kürze", "Demographie", "Armut", "Migration und Zuwanderung", "Bildung",
    "Arbeitsmarkt", "Wohnen", "Jugend und Familie", "Senioren", "Sozialindex",
    "Ergebnisse der Umfragen", "Gebietsprofile", "Methoden und Quellen",
]  # fmt: skip


def build(env, output) -> subprocess.CompletedProcess:
    command = [*GEMEINSINN, "report", "build", "--kind", "sozialbericht", "--year", "2025"]
    return subprocess.run(
        [*command, "--output", str(output)], env=env, capture_output=True, text=True, timeout=900
    )


def test_the_demo_sozialbericht_from_the_command(demo_env, tmp_path):
    output = tmp_path / "report.pdf"
    done = build(demo_env, output)
    assert done.returncode == 0, done.stderr
    reader = pdf_reader(output.read_bytes())
    assert reader.metadata.title == "Sozialbericht 2025 – Musterstadt"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    titles = outline_titles(reader)
    assert [t for t in dict.fromkeys(titles) if t in CHAPTERS] == CHAPTERS  # in this order
    assert all(t in titles for t in ("Heidesiedlung", "Altstadt-Nordwest"))  # profile pages
    assert len(reader.pages) > 82  # one profile page for each of the 82 Sozialräume alone
    text = pdf_text(output.read_bytes())
    assert "Sozialräumen mit veröffentlichtem Wert liegt der Wert mehr als 50 %" in text
    assert "Zwischenstand vom" in text  # the demo survey, still running


def test_the_demo_sozialbericht_html_is_accessible(demo_env, tmp_path, page):
    output = tmp_path / "report.html"
    assert build(demo_env, output).returncode == 0
    page.goto(output.as_uri())
    assert page.get_by_role("heading", level=1).first.inner_text() == "Sozialbericht 2025"
    assert axe_violations(page) == []
