"""The public Kompass page: the latest half-year, a chosen one, Leichte Sprache, and the
Bürgerjournal PDF built on request and kept until the data change."""

import datetime as dt

import pytest

from gemeinsinn.socialreport.services.periods import latest_period
from tests.socialreport.plankit import at, make_idea, pdf_text, planned_city_fixture  # noqa: F401


@pytest.fixture
def reports_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "reports" / "kompass"


def test_latest_period_page_in_the_site_layout(client, city):
    period = latest_period()
    make_idea("Mehr Licht im Park", period.start + dt.timedelta(days=3))
    page = client.get("/kompass/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Kompass {period.label}" in html
    assert 'class="site-header"' in html and "So machen Sie mit" in html
    assert page.context["data"].ideas_new == 1
    assert f"/kompass/{period.code}/leichte-sprache/" in html
    for language in ("de", "en", "de-ls"):
        assert f"/kompass/{period.code}/buergerjournal-{language}.pdf" in html
    assert 'href="/kompass/"' in client.get("/").content.decode()  # in the navigation


def test_chosen_period_leichte_sprache_and_refused_periods(client, planned_city):
    page = client.get("/kompass/2026-H1/")
    assert page.status_code == 200
    assert "Quartiersbüro Nordstadt" in page.content.decode()
    assert "/kompass/2025-H2/" in page.content.decode()  # the previous half-year
    easy = client.get("/kompass/2026-H1/leichte-sprache/")
    assert easy.status_code == 200
    assert "Ein Förder-Gebiet ist ein Teil der Stadt." in easy.content.decode()
    assert client.get("/kompass/2026-H3/").status_code == 404
    assert client.get("/kompass/Sommer/").status_code == 404
    future = latest_period().year + 1
    assert client.get(f"/kompass/{future}-H1/").status_code == 404
    assert client.get(f"/kompass/{future}-H1/buergerjournal-de.pdf").status_code == 404
    assert client.get("/kompass/1999-H1/buergerjournal-de.pdf").status_code == 404  # no data


def test_journal_pdf_is_built_once_and_again_after_a_change(client, city, reports_dir):
    make_idea("Bank am Markt", at(2025, 2, 1))
    url = "/kompass/2025-H1/buergerjournal-de.pdf"
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    content = b"".join(first.streaming_content)
    assert "Bürgerjournal" in pdf_text(content)
    files = sorted(reports_dir.glob("kompass-2025-H1-de-*.pdf"))
    assert len(files) == 1
    modified = files[0].stat().st_mtime_ns
    again = client.get(url)
    assert b"".join(again.streaming_content) == content
    assert files[0].stat().st_mtime_ns == modified  # not printed again
    make_idea("Noch eine Idee", at(2025, 3, 1))
    client.get(url)
    assert len(list(reports_dir.glob("kompass-2025-H1-de-*.pdf"))) == 2
    assert client.get("/kompass/2025-H1/buergerjournal-fr.pdf").status_code == 404
