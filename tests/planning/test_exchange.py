"""Measures from and to the planning office's spreadsheets: all or nothing, German problems
with line and column, a round trip changes nothing."""

import io
from decimal import Decimal

import openpyxl
import pytest

from gemeinsinn.formats.problems import InputError
from gemeinsinn.planning import services
from gemeinsinn.planning.models import Budget, Measure
from gemeinsinn.planning.services import exchange

HEADER = ("Nummer;Art;gehört zu;Titel;Beschreibung;Handlungsfeld;Federführung;Partner;Beginn;"
          "Ende;Stand;Fortschritt in %;Budget 2026;Budget 2027")  # fmt: skip
ROWS = [
    "1;Programm;;Bildung im Quartier;;Bildung und Erziehung;Schulamt;;01.01.2026;31.12.2028;"
    "in Umsetzung;;;",
    "1.1;Maßnahme;1;Hausaufgabenhilfe;Nachmittags in der Bibliothek;Bildung und Erziehung;"
    "Schulamt;Förderverein;01.03.2026;31.12.2027;in Vorbereitung;;10.000,00;12.500,50",
    "1.1.1;Schritt;1.1;Räume finden;;Bildung und Erziehung;;;;;abgeschlossen;;;",
]


def csv(*rows) -> bytes:
    return ("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode()


@pytest.fixture
def setup(city):
    from gemeinsinn.ideas.services import ensure_default_categories

    ensure_default_categories()
    services.ensure_default_statuses()


def test_import_creates_the_tree_with_budgets(setup, planner):
    assert exchange.import_measures(csv(*ROWS), "plan.csv", planner) == (3, 0)
    step = Measure.objects.get(number="1.1.1")
    assert step.parent.number == "1.1" and step.parent.parent.number == "1"
    measure = step.parent
    assert measure.kind == Measure.MEASURE and measure.partners == "Förderverein"
    assert measure.start.isoformat() == "2026-03-01"
    assert [(b.year, b.amount) for b in measure.budgets.all()] == [
        (2026, Decimal("10000.00")), (2027, Decimal("12500.50")),
    ]  # fmt: skip
    assert measure.history.get().summary == "Angelegt (Import aus plan.csv)"
    assert services.progress_of(Measure.objects.get(number="1")) == 100.0  # its only step is done


def test_reimport_updates_and_records_what_changed(setup, planner):
    exchange.import_measures(csv(*ROWS), "plan.csv", planner)
    changed = ROWS[1].replace("in Vorbereitung;;10.000,00;12.500,50", "in Umsetzung;40;;9.000,00")
    assert exchange.import_measures(csv(ROWS[0], changed), "plan.csv", planner) == (0, 1)
    measure = Measure.objects.get(number="1.1")
    assert measure.status.name == "in Umsetzung" and measure.progress == 40
    assert [(b.year, b.amount) for b in measure.budgets.all()] == [(2027, Decimal("9000.00"))]
    assert measure.history.first().summary == "Geändert: Stand, Fortschritt in %"
    assert Measure.objects.count() == 3  # rows not in the file stay


def test_every_problem_with_line_and_column_and_nothing_written(setup, planner):
    bad = [
        "1;Programm;;Bildung;;Bildung und Erziehung;;;;;in Umsetzung;;;",
        "1.1;Projekt;1;X;;Bildung;;;32.13.2026;;fertig;150;viel;",
        "1.2;Maßnahme;9;Y;;Bildung und Erziehung;;;01.02.2027;01.01.2027;geplant;;;",
        "1.3;Schritt;1;Z;;Bildung und Erziehung;;;;;geplant;;;",
        "1;Programm;;doppelt;;Bildung und Erziehung;;;;;geplant;;;",
    ]
    with pytest.raises(InputError) as caught:
        exchange.import_measures(csv(*bad), "plan.csv", planner)
    found = {(p.line, p.column): p.message for p in caught.value.problems}
    assert found[(3, "Art")] == "Unbekannte Art „Projekt“."
    assert found[(3, "Handlungsfeld")] == "Unbekanntes Handlungsfeld „Bildung“."
    assert found[(3, "Beginn")] == "„32.13.2026“ ist kein Datum."
    assert found[(3, "Stand")] == "Unbekannter Stand „fertig“."
    assert found[(3, "Fortschritt in %")] == "„150“ ist kein Prozentwert von 0 bis 100."
    assert found[(3, "Budget 2026")] == "„viel“ ist kein Betrag in Euro."
    assert found[(4, "gehört zu")].startswith("„gehört zu“ nennt die unbekannte Nummer 9")
    assert found[(4, "Ende")] == "Das Ende liegt vor dem Beginn."
    assert found[(5, "gehört zu")].startswith("Eine Maßnahme gehört zu einem Programm")
    assert found[(6, "Nummer")] == "Nummer 1 kommt doppelt vor (auch Zeile 2)."
    hints = " ".join(p.hint for p in caught.value.problems)
    assert "Erlaubt: Programm, Maßnahme, Schritt." in hints and "TT.MM.JJJJ" in hints
    assert not Measure.objects.exists() and not Budget.objects.exists()


def test_missing_columns_are_named(setup, planner):
    with pytest.raises(InputError, match="Spalte fehlt: Art, Stand"):
        exchange.import_measures(b"Nummer;Titel;Handlungsfeld\r\n1;X;Arbeitsmarkt\r\n", "p.csv",
                                 planner)  # fmt: skip


def test_export_round_trip_in_xlsx_changes_nothing(setup, planner):
    exchange.import_measures(csv(*ROWS), "plan.csv", planner)
    header, rows = exchange.export_table()
    assert header[:14] == HEADER.split(";")
    assert rows[1][:4] == ["1.1", "Maßnahme", "1", "Hausaufgabenhilfe"]
    assert rows[1][12:14] == [10000.0, 12500.5]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert exchange.import_measures(buffer.getvalue(), "plan.xlsx", planner) == (0, 0)


def test_export_carries_the_funding_decisions_with_their_iso_date(setup, planner):
    import datetime as dt

    from gemeinsinn.planning.models import Funding

    exchange.import_measures(csv(*ROWS), "plan.csv", planner)
    measure = Measure.objects.get(number="1.1")
    Funding.objects.create(measure=measure, source="land", programme="Sozialer Zusammenhalt",
                           year=2026, amount=Decimal("6000"), approval="bewilligt",
                           decided_on=dt.date(2026, 3, 12))  # fmt: skip
    Funding.objects.create(measure=measure, source="eu", year=2027, amount=Decimal("4000"),
                           approval="beantragt")  # fmt: skip
    header, rows = exchange.export_table()
    cell = rows[1][header.index("Finanzierung")]
    assert cell == (
        "Land 2026: 6000.00 € (Sozialer Zusammenhalt, bewilligt 2026-03-12); "
        "EU 2027: 4000.00 € (–, beantragt)"
    )


def test_whole_euro_amounts_with_thousands_points_are_read_as_thousands(setup, planner):
    """Numbers such as "1.1" must not make "9.000" nine euros."""
    whole = ROWS[1].replace("10.000,00;12.500,50", "9.000;12.500")
    exchange.import_measures(csv(ROWS[0], whole), "plan.csv", planner)
    measure = Measure.objects.get(number="1.1")
    assert [(b.year, b.amount) for b in measure.budgets.all()] == [
        (2026, Decimal("9000.00")), (2027, Decimal("12500.00")),
    ]  # fmt: skip
