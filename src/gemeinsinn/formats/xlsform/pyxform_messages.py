"""pyxform's (English) error messages in German, with the sheet, row and column they name.

pyxform stops at the first error it finds and usually names the place as
"[row : 12] On the 'survey' sheet, the 'name' value …". The patterns below cover the
messages survey teams meet; any other message is passed on in English, wrapped in a German
sentence, with the place when pyxform gives one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from gemeinsinn.formats.xlsform.problems import CHOICES, SETTINGS, SURVEY, FormProblem

_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_SHEET = re.compile(r"On the '([A-Za-z_]+)' sheet")
_COLUMN = re.compile(r"the '([^']+)' value")
_LEARN_MORE = re.compile(r"\s*Learn more:.*$", re.DOTALL)


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    code: str
    message: Callable[[re.Match[str]], str]
    hint: str
    sheet: str | None = None  # when the message implies the sheet without naming it
    column: str | None = None


def _rule(
    pattern: str,
    code: str,
    message: str | Callable[[re.Match[str]], str],
    hint: str,
    sheet: str | None = None,
    column: str | None = None,
) -> _Rule:
    render = message if callable(message) else (lambda match, text=message: text)
    return _Rule(re.compile(pattern, re.DOTALL), code, render, hint, sheet, column)


_RULES: tuple[_Rule, ...] = (
    _rule(
        r"Question with no type",
        "missing_type",
        "Die Zeile hat keinen Fragetyp.",
        "Bitte in der Spalte type einen Typ eintragen (z. B. text, integer, select_one LISTE) "
        "oder die Zeile leeren.",
        SURVEY,
        "type",
    ),
    _rule(
        r"Question or group with no name",
        "missing_name",
        "Die Frage oder Gruppe hat keinen Namen.",
        "Bitte in der Spalte name einen eindeutigen Namen eintragen (Buchstaben, Ziffern, _).",
        SURVEY,
        "name",
    ),
    _rule(
        r"List name not in choices sheet: (\S+)",
        "missing_choice_list",
        lambda m: f"Die Auswahlliste „{m.group(1)}“ gibt es im Blatt choices nicht.",
        "Bitte die Liste im Blatt choices anlegen (Spalten list_name, name, label) oder den "
        "Listennamen in der Spalte type korrigieren.",
        SURVEY,
        "type",
    ),
    _rule(
        r"There should be a choices sheet in this xlsform",
        "missing_choice_list",
        "Das Blatt choices fehlt oder hat nicht die Spalten list_name, name und label.",
        "Bitte ein Blatt „choices“ mit den Spalten list_name, name und label anlegen.",
    ),
    _rule(
        r"has no label or hint",
        "missing_label",
        "Eine Frage hat weder Beschriftung noch Hinweis.",
        "Bitte in der Spalte label den Fragetext eintragen.",
    ),
    _rule(
        r"Unknown question type '([^']*)'",
        "unknown_type",
        lambda m: f"Den Fragetyp „{m.group(1)}“ gibt es in XLSForm nicht.",
        "Bitte einen Typ aus der XLSForm-Spezifikation verwenden (text, integer, decimal, "
        "date, select_one LISTE, select_multiple LISTE, note …).",
        SURVEY,
        "type",
    ),
    _rule(
        r"Duplicate column header: (.*)",
        "duplicate_column",
        lambda m: f"Die Spaltenüberschrift „{m.group(1).strip()}“ kommt doppelt vor.",
        "Bitte eine der beiden Spalten umbenennen oder löschen.",
    ),
    _rule(
        r"Missing calculation",
        "missing_calculation",
        "Für calculate fehlt die Formel.",
        "Bitte die Formel in die Spalte calculation schreiben.",
        SURVEY,
        "calculation",
    ),
    _rule(
        r"Choice names with spaces cannot be added to multiple choice selects\. See \[(.*?)\] "
        r"in \[(.*?)\]",
        "choice_name_space",
        lambda m: (
            f"Die Auswahl „{m.group(1)}“ der Liste „{m.group(2)}“ hat Leerzeichen im "
            "Namen; das geht bei select_multiple nicht."
        ),
        "Bitte Leerzeichen im Namen durch _ ersetzen.",
        CHOICES,
        "name",
    ),
    _rule(
        r"Questions, groups, and repeats must be unique within their nearest parent",
        "duplicate_name",
        lambda m: "Der Name kommt in derselben Gruppe mehrfach vor.",
        "Jede Frage und Gruppe braucht einen eigenen Namen.",
        SURVEY,
        "name",
    ),
    _rule(
        r"Repeat names must",
        "duplicate_name",
        "Der Name der Wiederholung ist nicht eindeutig oder gleicht dem Namen des Formulars.",
        "Bitte die Wiederholung umbenennen.",
        SURVEY,
        "name",
    ),
    _rule(
        r"The name 'meta' is reserved",
        "reserved_name",
        "Der Name „meta“ ist für Metadaten reserviert.",
        "Bitte einen anderen Namen wählen.",
        SURVEY,
        "name",
    ),
    _rule(
        r"Choices must have a name",
        "missing_choice_name",
        "Die Auswahlmöglichkeit hat keinen Namen.",
        "Bitte in der Spalte name einen Namen eintragen (er wird in den Antworten gespeichert).",
        CHOICES,
        "name",
    ),
    _rule(
        r"Choice names must be unique for each choice list",
        "duplicate_choice",
        "Der Name der Auswahlmöglichkeit kommt in derselben Liste mehrfach vor.",
        "Bitte jeder Auswahl einer Liste einen eigenen Namen geben.",
        CHOICES,
        "name",
    ),
    _rule(
        r"Names must begin with a letter or underscore",
        "invalid_name",
        "Der Name ist ungültig.",
        "Namen beginnen mit einem Buchstaben oder _ und enthalten danach nur Buchstaben, "
        "Ziffern, _, - und . (keine Leerzeichen).",
    ),
    _rule(
        r"Reference variables must contain a name from the 'survey' sheet\. Could not find "
        r"the name '([^']*)'",
        "unknown_reference",
        lambda m: f"Verweis auf ${{{m.group(1)}}}: eine Frage „{m.group(1)}“ gibt es nicht.",
        "Bitte den Namen im Verweis prüfen.",
    ),
    _rule(
        r"Reference variables names must be unique anywhere in the 'survey'\. The name "
        r"'([^']*)'",
        "ambiguous_reference",
        lambda m: f"Verweis auf ${{{m.group(1)}}}: der Name kommt mehrfach vor.",
        "Bitte Fragen eindeutig benennen, auf die verwiesen wird.",
    ),
    _rule(
        r"Reference variables must start with|Reference variable lists must have a comma",
        "invalid_reference",
        "Ein Verweis ist falsch geschrieben.",
        "Verweise auf Fragen schreibt man ${name}.",
    ),
    _rule(
        r"Unmatched 'end_(\w+)'\. No matching 'begin_\w+' was found for the name '([^']*)'",
        "unmatched_end",
        lambda m: f"„end {m.group(1)}“ ohne passendes „begin {m.group(1)}“.",
        "Jede Gruppe und Wiederholung beginnt mit begin … und endet mit end …; bitte die "
        "Zeilen prüfen.",
        SURVEY,
        "type",
    ),
    _rule(
        r"Unmatched 'begin_(\w+)'\. No matching 'end_\w+' was found for the name '([^']*)'",
        "unclosed_group",
        lambda m: (
            f"„begin {m.group(1)}“ „{m.group(2)}“ wird nicht mit „end {m.group(1)}“ geschlossen."
        ),
        "Bitte eine Zeile end group bzw. end repeat ergänzen.",
        SURVEY,
        "type",
    ),
    _rule(
        r"One or more required column headers were not found: (.*?)\.",
        "missing_column",
        lambda m: f"Eine Pflichtspalte fehlt: {m.group(1)}.",
        "Bitte die Spalte in Zeile 1 des Blatts ergänzen.",
    ),
    _rule(
        r"Headers that are different names for the same column were found: '([^']*)', '([^']*)'",
        "duplicate_column",
        lambda m: f"Die Spalten „{m.group(1)}“ und „{m.group(2)}“ bedeuten dasselbe.",
        "Bitte eine der beiden Spalten löschen.",
    ),
    _rule(
        r"Invalid headers provided for sheet: '([^']*)'",
        "invalid_header",
        lambda m: f"Die Kopfzeile des Blatts {m.group(1)} ist ungültig.",
        "Zeile 1 jedes Blatts enthält die Spaltennamen (type, name, label …).",
    ),
    _rule(
        r"Choices should have a label",
        "missing_choice_label",
        "Die Auswahlmöglichkeit hat keine Beschriftung.",
        "Bitte in der Spalte label einen Text eintragen.",
        CHOICES,
        "label",
    ),
    _rule(
        r"You must have a sheet named 'survey'",
        "missing_survey_sheet",
        "Das Blatt „survey“ fehlt.",
        "Ein XLSForm braucht ein Tabellenblatt survey mit den Fragen.",
    ),
    _rule(
        r"Survey cannot have an empty id_string|empty id_string",
        "invalid_setting",
        "Die Formular-ID ist leer.",
        "Bitte im Blatt settings in der Spalte form_id eine ID eintragen.",
        SETTINGS,
        "form_id",
    ),
    _rule(
        r"not recognized as a supported type|Error reading \.xlsx? file|Unsupported format|"
        r"not a zip file|File is not a zip",
        "unreadable",
        "Die Datei ist keine lesbare Excel-Arbeitsmappe.",
        "Bitte die Datei in Excel oder LibreOffice öffnen und als .xlsx speichern.",
    ),
)


def translate(error: BaseException, filename: str, sheet_names: dict[str, str]) -> FormProblem:
    """One German problem for one pyxform error.

    ``sheet_names`` maps lower-case sheet names to the names as written in the workbook.
    """
    text = str(error).strip() or type(error).__name__
    row_match = _ROW.search(text)
    sheet_match = _SHEET.search(text)
    column_match = _COLUMN.search(text)
    row = int(row_match.group(1)) if row_match else None
    for rule in _RULES:
        match = rule.pattern.search(text)
        if match is None:
            continue
        sheet = sheet_match.group(1) if sheet_match else rule.sheet if row else None
        column = column_match.group(1) if column_match else rule.column if row else None
        return FormProblem(
            f"{rule.message(match)} (Meldung von pyxform)",
            file=filename,
            line=row,
            column=column or "",
            hint=rule.hint,
            sheet=sheet_names.get(sheet, sheet) if sheet else "",
            code=rule.code,
            from_pyxform=True,
        )
    original = " ".join(_LEARN_MORE.sub("", _ROW.sub("", text)).split("\n{")[0].split())
    if len(original) > 300:
        original = original[:299] + "…"
    sheet = sheet_match.group(1) if sheet_match else (SURVEY if row else None)
    return FormProblem(
        f"pyxform lehnt den Fragebogen ab: {original}",
        file=filename,
        line=row,
        column=column_match.group(1) if column_match else "",
        hint="Die Meldung ist englisch, weil sie von pyxform stammt; bitte die genannte Stelle "
        "nach den XLSForm-Regeln korrigieren.",
        sheet=sheet_names.get(sheet, sheet) if sheet else "",
        code="pyxform",
        from_pyxform=True,
    )
