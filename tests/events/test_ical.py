"""The iCalendar text of an event: escaped, in UTC, long lines folded at 75 octets."""

import datetime as dt
from zoneinfo import ZoneInfo

from gemeinsinn.events.ical import calendar

BERLIN = ZoneInfo("Europe/Berlin")


def test_calendar_is_escaped_folded_and_in_utc():
    text = calendar(
        uid="veranstaltung-7@example.org",
        title="Fachkonferenz; Sozialplanung, 2026",
        starts=dt.datetime(2026, 9, 24, 9, 0, tzinfo=BERLIN),
        ends=dt.datetime(2026, 9, 24, 16, 30, tzinfo=BERLIN),
        location="Rathaus, Ratssaal",
        description="Zeile eins\nZeile zwei mit Umlauten: " + "äöü" * 30,
        url="https://example.org/veranstaltungen/7/",
        stamp=dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC),
        geo=(51.21, 7.905),
    )
    lines = text.split("\r\n")
    assert lines[-1] == "" and lines[-2] == "END:VCALENDAR"
    assert "DTSTART:20260924T070000Z" in lines and "DTEND:20260924T143000Z" in lines
    assert "SUMMARY:Fachkonferenz\\; Sozialplanung\\, 2026" in lines
    assert "GEO:51.210000;7.905000" in lines
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:Zeile eins\\nZeile zwei mit Umlauten: " + "äöü" * 30 + "\r\n" in unfolded
