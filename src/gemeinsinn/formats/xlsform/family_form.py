"""The second demo survey: a short family survey on childcare with one entry per child (an
XLSForm repeat), in German and English, written by code like the Bürgerumfrage
(demo_form.py) and with its helpers.

    from gemeinsinn.formats.xlsform.family_form import family_form_bytes
    Path("familienbefragung.xlsx").write_bytes(family_form_bytes())

Per household: satisfaction with the childcare offers in the district (a scale), what is
missing (asked only of the dissatisfied), single parent; per child in the repeat "Kinder im
Haushalt": age group, attends a Kita, Hort or care at school, hours of care needed per week and
whether that need is met (asked only when there is a need).
"""

from __future__ import annotations

import openpyxl

from gemeinsinn.formats.xlsform.demo_form import CHOICES, form_workbook, row, workbook_bytes

TITLE = "Familienbefragung Kinderbetreuung"
FORM_ID = "familienbefragung_kinderbetreuung"
VERSION = "2026-1"
REPEAT = "kinder"

_UNSATISFIED = (
    "${zufriedenheit_betreuung} = 'eher_unzufrieden' or "
    "${zufriedenheit_betreuung} = 'sehr_unzufrieden'"
)
_CHOOSE = ("Bitte wählen Sie eine Antwort aus.", "Please choose an answer.")

SURVEY_ROWS: tuple[tuple[str, ...], ...] = (
    row(
        "note",
        "einleitung",
        "Wir fragen Familien, wie ihre Kinder betreut werden und was ihnen fehlt. Die "
        "Befragung dauert etwa drei Minuten. Ihre Antworten werden anonym ausgewertet.",
        "We ask families how their children are cared for and what they miss. The survey "
        "takes about three minutes. Your answers are evaluated anonymously.",
    ),
    row("begin group", "haushalt", "Ihr Haushalt", "Your household"),
    row(
        "select_one zufriedenheit",
        "zufriedenheit_betreuung",
        "Wie zufrieden sind Sie mit den Betreuungsangeboten für Kinder in Ihrem Stadtteil?",
        "How satisfied are you with the childcare offers in your district?",
        required=True,
        required_message=_CHOOSE,
        appearance="likert",
    ),
    row(
        "select_multiple fehlt",
        "betreuung_fehlt",
        "Was fehlt Ihnen bei der Kinderbetreuung am meisten?",
        "What do you miss most in childcare?",
        hint=("Mehrfachnennungen möglich.", "You may choose several."),
        relevant=_UNSATISFIED,
    ),
    row(
        "select_one ja_nein",
        "alleinerziehend",
        "Sind Sie alleinerziehend?",
        "Are you a single parent?",
    ),
    row("end group"),
    row(
        "begin repeat",
        REPEAT,
        "Kinder im Haushalt",
        "Children in the household",
        hint=(
            "Bitte für jedes Kind unter 14 Jahren einen Eintrag.",
            "Please add one entry for each child under 14.",
        ),
    ),
    row(
        "select_one kindalter",
        "kind_alter",
        "Wie alt ist das Kind?",
        "How old is the child?",
        required=True,
        required_message=_CHOOSE,
    ),
    row(
        "select_one ja_nein",
        "kind_betreuung",
        "Besucht das Kind eine Kita, einen Hort oder die Betreuung an der Schule?",
        "Does the child attend a daycare centre, an after-school club or care at school?",
        required=True,
        required_message=_CHOOSE,
    ),
    row(
        "integer",
        "kind_bedarf_stunden",
        "Wie viele Stunden Betreuung in der Woche braucht Ihr Haushalt für dieses Kind?",
        "How many hours of childcare a week does your household need for this child?",
        hint=("0, wenn Sie keine Betreuung brauchen.", "0 if you need no childcare."),
        constraint=". >= 0 and . <= 60",
        constraint_message=(
            "Bitte eine Zahl zwischen 0 und 60 eingeben.",
            "Please enter a number between 0 and 60.",
        ),
    ),
    row(
        "select_one gedeckt",
        "kind_bedarf_gedeckt",
        "Ist dieser Bedarf gedeckt?",
        "Is this need met?",
        relevant="${kind_bedarf_stunden} > 0",
    ),
    row("end repeat"),
    row(
        "note",
        "dank",
        "Herzlichen Dank! Die Ergebnisse fließen in die Kita- und Schulplanung Ihrer Stadt ein.",
        "Thank you very much! The results will inform your city's planning of childcare and "
        "schools.",
    ),
)

CHOICES_FAMILY: tuple[tuple[str, str, str, str], ...] = (
    *(choice for choice in CHOICES if choice[0] == "zufriedenheit"),
    ("fehlt", "plaetze", "freie Plätze", "available places"),
    ("fehlt", "zeiten", "passende Öffnungszeiten", "suitable opening hours"),
    ("fehlt", "naehe", "ein Angebot in der Nähe", "a place nearby"),
    ("fehlt", "kosten", "bezahlbare Kosten", "affordable fees"),
    ("fehlt", "ferien", "Betreuung in den Ferien", "care in the school holidays"),
    ("ja_nein", "ja", "ja", "yes"),
    ("ja_nein", "nein", "nein", "no"),
    ("kindalter", "unter_3", "unter 3 Jahre", "under 3"),
    ("kindalter", "3_5", "3 bis 5 Jahre", "3 to 5"),
    ("kindalter", "6_9", "6 bis 9 Jahre", "6 to 9"),
    ("kindalter", "10_13", "10 bis 13 Jahre", "10 to 13"),
    ("gedeckt", "ja", "ja, ganz", "yes, fully"),
    ("gedeckt", "teilweise", "teilweise", "partly"),
    ("gedeckt", "nein", "nein", "no"),
)


def family_workbook() -> openpyxl.Workbook:
    return form_workbook(TITLE, FORM_ID, VERSION, SURVEY_ROWS, CHOICES_FAMILY)


def family_form_bytes() -> bytes:
    return workbook_bytes(family_workbook())
