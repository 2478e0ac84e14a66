"""Helpers for browser tests; the fixtures (browser, page, demo_server) are a session-wide
plugin in tests/browser/fixtures.py. Import helpers from there or from here, never the
fixtures: a second import would start a second Playwright."""

from tests.browser.fixtures import axe_violations, login

__all__ = ["axe_violations", "login"]
