"""The Bürgerrat in a real browser, with axe-core (WCAG 2.1 AA): the public record of the
demo's completed draw, and the registration form, filled in with the keyboard."""

import pytest

from tests.browser.fixtures import axe_violations, login

pytestmark = pytest.mark.browser


def test_public_audit_page_without_violations(page, demo_server):
    page.goto(demo_server + "/buergerrat/buergerrat-2027/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bürgerrat Musterstadt 2027"
    assert page.get_by_role("heading", name="Prüfprotokoll der Auslosung").count() == 1
    assert "Gremium Nr." in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Verteilung").count() == 2  # draw and replacement
    assert axe_violations(page) == []


def test_registration_form_with_the_keyboard(browser, demo_server):
    staff = browser.new_context(locale="de-DE").new_page()
    login(staff, demo_server)
    staff.goto(demo_server + "/verwaltung/buergerrat/buergerrat-2028/freiwillige/")
    code = staff.locator(".open-codes code").first.inner_text()
    staff.context.close()

    page = browser.new_context(locale="de-DE").new_page()
    page.goto(demo_server + "/buergerrat/buergerrat-2028/anmelden/")
    assert page.get_by_role("heading", level=1).inner_text() == "Anmeldung zum Bürgerrat"
    assert axe_violations(page) == []

    page.get_by_label("Ihr Code aus dem Brief").fill("ABCD-EFGH")
    page.get_by_label("Geschlecht").select_option("weiblich")
    page.get_by_label("Altersgruppe").select_option("25–64")
    page.get_by_label("Migrationsgeschichte").select_option("nein")
    page.get_by_label("Schulabschluss").select_option("Realschule")
    page.get_by_label("Ich bin einverstanden").check()
    page.get_by_role("button", name="Anmelden").last.click()
    assert "Diesen Code kennen wir nicht" in page.get_by_role("alert").first.inner_text()
    assert axe_violations(page) == []

    page.get_by_label("Ihr Code aus dem Brief").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(code.lower())
    page.get_by_label("Ich bin einverstanden").check()
    page.get_by_role("button", name="Anmelden").last.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/buergerrat/buergerrat-2028/danke/")
    assert page.get_by_role("heading", level=1).inner_text() == "Vielen Dank"
    assert axe_violations(page) == []
    page.context.close()
