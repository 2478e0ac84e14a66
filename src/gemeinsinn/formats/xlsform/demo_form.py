"""The demo survey: a short citizens' survey on quality of life in the district, in German
and English, written as an XLSForm by code (openpyxl), so that it can be regenerated and
reviewed as text.

    from gemeinsinn.formats.xlsform.demo_form import write_demo_form
    write_demo_form(Path("buergerumfrage.xlsx"))

It uses what a real municipal survey uses: likert scales, multiple choice with a limit,
skip logic (``relevant``), checks (``constraint``), groups, hints and two languages. ``row`` and
``form_workbook`` write the other demo forms too (family_form.py).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

TITLE = "Bürgerumfrage Lebensqualität im Stadtteil"
FORM_ID = "buergerumfrage_lebensqualitaet"
VERSION = "2026-1"
DE = "Deutsch (de)"
EN = "English (en)"

SURVEY_COLUMNS = (
    "type",
    "name",
    f"label::{DE}",
    f"label::{EN}",
    f"hint::{DE}",
    f"hint::{EN}",
    "required",
    f"required_message::{DE}",
    f"required_message::{EN}",
    "relevant",
    "constraint",
    f"constraint_message::{DE}",
    f"constraint_message::{EN}",
    "appearance",
)

_UNSATISFIED = "${zufriedenheit} = 'eher_unzufrieden' or ${zufriedenheit} = 'sehr_unzufrieden'"
_UNSAFE_AT_NIGHT = "${sicherheit_nacht} = 'eher_unsicher' or ${sicherheit_nacht} = 'sehr_unsicher'"


def row(
    type_: str,
    name: str = "",
    de: str = "",
    en: str = "",
    *,
    hint: tuple[str, str] = ("", ""),
    required: bool = False,
    required_message: tuple[str, str] = ("", ""),
    relevant: str = "",
    constraint: str = "",
    constraint_message: tuple[str, str] = ("", ""),
    appearance: str = "",
) -> tuple[str, ...]:
    return (
        type_,
        name,
        de,
        en,
        *hint,
        "yes" if required else "",
        *required_message,
        relevant,
        constraint,
        *constraint_message,
        appearance,
    )


SURVEY_ROWS: tuple[tuple[str, ...], ...] = (
    row(
        "note",
        "einleitung",
        "Vielen Dank, dass Sie mitmachen! Die Befragung dauert etwa fünf Minuten. Ihre "
        "Antworten werden anonym ausgewertet.",
        "Thank you for taking part! The survey takes about five minutes. Your answers are "
        "evaluated anonymously.",
    ),
    row("begin group", "wohnen", "Leben im Stadtteil", "Living in the district"),
    row(
        "integer",
        "wohndauer",
        "Seit wie vielen Jahren wohnen Sie in Ihrem Stadtteil?",
        "How many years have you lived in your district?",
        hint=("Bitte in ganzen Jahren; weniger als ein Jahr: 0.", "In whole years; less: 0."),
        constraint=". >= 0 and . <= 110",
        constraint_message=(
            "Bitte eine Zahl zwischen 0 und 110 eingeben.",
            "Please enter a number between 0 and 110.",
        ),
    ),
    row(
        "select_one zufriedenheit",
        "zufriedenheit",
        "Wie zufrieden sind Sie insgesamt mit Ihrem Stadtteil als Wohnort?",
        "Overall, how satisfied are you with your district as a place to live?",
        required=True,
        required_message=(
            "Bitte wählen Sie eine Antwort aus.",
            "Please choose an answer.",
        ),
        appearance="likert",
    ),
    row(
        "text",
        "unzufrieden_grund",
        "Was stört Sie am meisten?",
        "What bothers you most?",
        relevant=_UNSATISFIED,
        constraint="string-length(.) <= 1000",
        constraint_message=(
            "Bitte fassen Sie sich kürzer (höchstens 1000 Zeichen).",
            "Please keep it shorter (at most 1000 characters).",
        ),
        appearance="multiline",
    ),
    row("end group"),
    row("begin group", "sicherheit", "Sicherheit", "Safety"),
    row(
        "select_one sicherheit",
        "sicherheit_tag",
        "Wie sicher fühlen Sie sich tagsüber in Ihrem Stadtteil?",
        "How safe do you feel in your district during the day?",
        required=True,
        appearance="likert",
    ),
    row(
        "select_one sicherheit",
        "sicherheit_nacht",
        "Wie sicher fühlen Sie sich nachts allein in Ihrem Stadtteil?",
        "How safe do you feel alone in your district at night?",
        required=True,
        appearance="likert",
    ),
    row(
        "select_multiple orte",
        "unsichere_orte",
        "Wo fühlen Sie sich nachts unsicher?",
        "Where do you feel unsafe at night?",
        hint=("Mehrfachnennungen möglich.", "You may choose several."),
        relevant=_UNSAFE_AT_NIGHT,
    ),
    row("end group"),
    row(
        "select_multiple angebote",
        "fehlt",
        "Was fehlt Ihnen in Ihrem Stadtteil am meisten?",
        "What do you miss most in your district?",
        hint=("Bitte höchstens drei nennen.", "Please choose at most three."),
        constraint="count-selected(.) <= 3 and not(selected(., 'nichts') and "
        "count-selected(.) > 1)",
        constraint_message=(
            "Bitte höchstens drei Angebote wählen – oder nur „Es fehlt nichts“.",
            "Please choose at most three – or only “Nothing is missing”.",
        ),
    ),
    row(
        "text",
        "fehlt_sonstiges",
        "Was fehlt sonst?",
        "What else is missing?",
        relevant="selected(${fehlt}, 'sonstiges')",
        required=True,
    ),
    row(
        "begin group",
        "person",
        "Angaben zu Ihrer Person",
        "About you",
    ),
    row(
        "select_one altersgruppen",
        "altersgruppe",
        "Wie alt sind Sie?",
        "How old are you?",
        required=True,
    ),
    row(
        "select_one geschlecht",
        "geschlecht",
        "Welches Geschlecht haben Sie?",
        "What is your gender?",
    ),
    row(
        "integer",
        "haushalt_personen",
        "Wie viele Personen leben in Ihrem Haushalt, Sie eingeschlossen?",
        "How many people live in your household, including you?",
        constraint=". >= 1 and . <= 20",
        constraint_message=(
            "Bitte eine Zahl zwischen 1 und 20 eingeben.",
            "Please enter a number between 1 and 20.",
        ),
    ),
    row(
        "integer",
        "haushalt_kinder",
        "Wie viele davon sind Kinder unter 18 Jahren?",
        "How many of them are children under 18?",
        relevant="${haushalt_personen} > 1",
        constraint=". >= 0 and . < ${haushalt_personen}",
        constraint_message=(
            "Es können nicht mehr Kinder als Personen im Haushalt sein "
            "(Sie eingeschlossen: ${haushalt_personen}).",
            "There cannot be more children than people in the household "
            "(including you: ${haushalt_personen}).",
        ),
    ),
    row("end group"),
    row(
        "text",
        "anmerkungen",
        "Möchten Sie uns noch etwas mitteilen?",
        "Is there anything else you would like to tell us?",
        appearance="multiline",
    ),
    row(
        "note",
        "dank",
        "Herzlichen Dank! Die Ergebnisse erscheinen im Sozialbericht Ihrer Stadt.",
        "Thank you very much! The results will appear in your city's social report.",
    ),
)

CHOICES: tuple[tuple[str, str, str, str], ...] = (
    ("zufriedenheit", "sehr_zufrieden", "sehr zufrieden", "very satisfied"),
    ("zufriedenheit", "eher_zufrieden", "eher zufrieden", "rather satisfied"),
    ("zufriedenheit", "teils", "teils, teils", "neither nor"),
    ("zufriedenheit", "eher_unzufrieden", "eher unzufrieden", "rather dissatisfied"),
    ("zufriedenheit", "sehr_unzufrieden", "sehr unzufrieden", "very dissatisfied"),
    ("sicherheit", "sehr_sicher", "sehr sicher", "very safe"),
    ("sicherheit", "eher_sicher", "eher sicher", "rather safe"),
    ("sicherheit", "teils", "teils, teils", "neither nor"),
    ("sicherheit", "eher_unsicher", "eher unsicher", "rather unsafe"),
    ("sicherheit", "sehr_unsicher", "sehr unsicher", "very unsafe"),
    ("orte", "haltestellen", "an Haltestellen und Bahnhöfen", "at stops and stations"),
    ("orte", "parks", "in Parks und Grünanlagen", "in parks and green spaces"),
    ("orte", "strassen", "auf Straßen und Wegen", "on streets and paths"),
    ("orte", "unterfuehrungen", "in Unterführungen", "in underpasses"),
    ("orte", "wohnhaus", "im eigenen Wohnhaus", "in my own building"),
    ("angebote", "spielplaetze", "Spielplätze", "Playgrounds"),
    ("angebote", "jugendtreff", "Treffpunkte für Jugendliche", "Places for young people"),
    ("angebote", "seniorentreff", "Treffpunkte für Ältere", "Places for older people"),
    ("angebote", "aerzte", "Ärztliche Versorgung", "Doctors"),
    ("angebote", "einkauf", "Einkaufsmöglichkeiten", "Shops"),
    ("angebote", "gruen", "Grünflächen", "Green spaces"),
    ("angebote", "oepnv", "Bus und Bahn", "Public transport"),
    ("angebote", "kita", "Kita-Plätze", "Childcare places"),
    ("angebote", "beratung", "Beratungsangebote", "Advice services"),
    ("angebote", "sonstiges", "Sonstiges", "Something else"),
    ("angebote", "nichts", "Es fehlt nichts", "Nothing is missing"),
    ("altersgruppen", "unter_18", "unter 18 Jahre", "under 18"),
    ("altersgruppen", "18_29", "18 bis 29 Jahre", "18 to 29"),
    ("altersgruppen", "30_44", "30 bis 44 Jahre", "30 to 44"),
    ("altersgruppen", "45_64", "45 bis 64 Jahre", "45 to 64"),
    ("altersgruppen", "65_79", "65 bis 79 Jahre", "65 to 79"),
    ("altersgruppen", "80_plus", "80 Jahre und älter", "80 and older"),
    ("altersgruppen", "keine_angabe", "keine Angabe", "prefer not to say"),
    ("geschlecht", "weiblich", "weiblich", "female"),
    ("geschlecht", "maennlich", "männlich", "male"),
    ("geschlecht", "divers", "divers", "diverse"),
    ("geschlecht", "keine_angabe", "keine Angabe", "prefer not to say"),
)


def demo_workbook() -> openpyxl.Workbook:
    return form_workbook(TITLE, FORM_ID, VERSION, SURVEY_ROWS, CHOICES)


def form_workbook(
    title: str,
    form_id: str,
    version: str,
    rows: tuple[tuple[str, ...], ...],
    choices: tuple[tuple[str, str, str, str], ...],
) -> openpyxl.Workbook:
    """A German and English XLSForm of the demo: ``rows`` made with ``row``, ``choices`` as
    (list, name, German label, English label); fixed file properties, so that the same form
    gives the same bytes."""
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    _fill(survey, SURVEY_COLUMNS, rows)
    choices_sheet = workbook.create_sheet("choices")
    _fill(choices_sheet, ("list_name", "name", f"label::{DE}", f"label::{EN}"), choices)
    settings = workbook.create_sheet("settings")
    _fill(
        settings,
        ("form_title", "form_id", "version", "default_language"),
        ((title, form_id, version, DE),),
    )
    fixed = dt.datetime(2026, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "gemeinsinn"
    return workbook


def _fill(sheet, header: tuple[str, ...], rows) -> None:
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([value if value != "" else None for value in values])
    sheet.freeze_panes = "A2"


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def demo_form_bytes() -> bytes:
    return workbook_bytes(demo_workbook())


def write_demo_form(path: Path | str) -> Path:
    """Write the demo XLSForm to ``path`` (an .xlsx file) and return the path."""
    target = Path(path)
    target.write_bytes(demo_form_bytes())
    return target
