"""Exports of a survey's responses: CSV (semicolon, UTF-8 with BOM, as German spreadsheet
programs expect), XLSX, and an SPSS-friendly codebook (variable names, labels, value labels).

Choices are exported as numbers (their position in the list, 1-based), multiple choice as one
0/1 variable per choice (``question_choice``); the codebook names them.

Repeats are exported as ODK and KoboToolbox do: one long table per repeat with one row per
entry, linked to the table of the responses by ``antwort_nr`` and numbered by ``eintrag_nr``
(1-based, the order of the entries); the responses' table has ``<repeat>_anzahl``, the number
of entries, where the repeat stands in the form. The XLSX has one sheet per table; the CSV
becomes a ZIP with one file per table (and the codebook) when the form has repeats. The
codebook's column ``table`` names the sheet (or file) a variable is in."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import openpyxl

from gemeinsinn.formats.xlsform import Group, Question, SurveyDefinition
from gemeinsinn.surveys.models import Response
from gemeinsinn.surveys.results import (
    choice_text,
    entry_questions,
    repeat_groups,
    repeat_label,
)

RESPONSE = ("antwort_nr", "Laufende Nummer der Antwort")
AREA = [("gebiet_schluessel", "Schlüssel des Gebiets"), ("gebiet", "Name des Gebiets")]
FIXED = [
    RESPONSE,
    *AREA,
    ("kanal", "Weg der Antwort (online/papier)"),
    ("datum", "Tag der Antwort"),
]
ENTRY_FIXED = [
    ("antwort_nr", "Laufende Nummer der Antwort (Tabelle Antworten)"),
    ("eintrag_nr", "Nummer des Eintrags in der Wiederholung"),
    *AREA,
]
NUMBERS = {"antwort_nr", "eintrag_nr"}
MAIN_SHEET = "Antworten"
CODEBOOK_SHEET = "Codebuch"
SHEET_NAME_LIMIT = 31  # Excel


@dataclass(frozen=True)
class Table:
    """The responses (``repeat`` None) or the entries of one repeat."""

    name: str  # sheet name; the CSV file is named after it
    fixed: list[tuple[str, str]]
    columns: list[Question | Group]  # questions; a Group in the responses: its count
    repeat: Group | None = None


def tables(form: SurveyDefinition) -> list[Table]:
    """The responses' table, then one table per repeat (with a unique sheet name)."""
    repeats = repeat_groups(form)
    inside = {q.name for g in repeats for q in entry_questions(g)}
    columns: list[Question | Group] = [
        item
        for item in form.walk()
        if (isinstance(item, Group) and item.repeat)
        or (isinstance(item, Question) and item.answered and item.name not in inside)
    ]
    result = [Table(MAIN_SHEET, FIXED, columns)]
    taken = {MAIN_SHEET.lower(), CODEBOOK_SHEET.lower()}
    for group in repeats:
        name, number = group.name[:SHEET_NAME_LIMIT], 1
        while name.lower() in taken:
            number += 1
            name = f"{group.name[: SHEET_NAME_LIMIT - 1 - len(str(number))]}~{number}"
        taken.add(name.lower())
        result.append(Table(name, ENTRY_FIXED, entry_questions(group), group))
    return result


def _variables(item: Question | Group, form: SurveyDefinition) -> list[tuple[str, str]]:
    if isinstance(item, Group):
        return [(f"{item.name}_anzahl", f"Anzahl der Einträge: {repeat_label(item, form)}")]
    if item.type == "select_multiple" and item.choices is not None:
        return [
            (f"{item.name}_{c.name}", f"{item.label()}: {choice_text(c, form)}")
            for c in item.choices.choices
        ]
    return [(item.name, item.label())]


def table_header(table: Table, form: SurveyDefinition) -> list[str]:
    names = [name for name, _label in table.fixed]
    for item in table.columns:
        names.extend(name for name, _label in _variables(item, form))
    return names


def header(survey) -> list[str]:
    return table_header(tables(survey.form)[0], survey.form)


def _values(item: Question | Group, answer: Any) -> list[Any]:
    if isinstance(item, Group):
        return [len(answer) if isinstance(answer, list) else None]
    if item.type == "select_multiple" and item.choices is not None:
        chosen = set(answer or [])
        if answer is None:
            return [None] * len(item.choices.choices)
        return [int(c.name in chosen) for c in item.choices.choices]
    if item.type == "select_one" and item.choices is not None:
        names = item.choices.names()
        return [names.index(answer) + 1 if answer in names else None]
    if isinstance(answer, list):
        return [" ".join(str(a) for a in answer)]
    return [answer]


def _answers_row(fixed: list[Any], columns, answers: dict) -> list[Any]:
    row = list(fixed)
    for item in columns:
        row.extend(_values(item, answers.get(item.name)))
    return row


def table_rows(survey, which: list[Table] | None = None) -> Iterator[tuple[int, list[Any]]]:
    """(index of the table, row) for every response and every entry of its repeats, read in
    one pass in the order of the responses."""
    which = tables(survey.form) if which is None else which
    main, repeats = which[0], list(enumerate(which[1:], 1))
    query = (
        Response.objects.filter(survey=survey)
        .order_by("id")
        .values_list("area__key", "area__name", "channel", "submitted_at", "answers")
    )
    for number, (key, name, channel, submitted, answers) in enumerate(
        query.iterator(chunk_size=2000), 1
    ):
        fixed = [number, key, name, channel, submitted.date().isoformat()]
        yield 0, _answers_row(fixed, main.columns, answers)
        for index, table in repeats:
            entries = answers.get(table.repeat.name)
            for entry_number, entry in enumerate(entries if isinstance(entries, list) else [], 1):
                yield index, _answers_row([number, entry_number, key, name], table.columns, entry)


def rows(survey) -> Iterator[list[Any]]:
    """The rows of the responses' table."""
    main = tables(survey.form)[:1]
    return (row for _index, row in table_rows(survey, main))


def _csv_writer(buffer: io.StringIO):
    return csv.writer(buffer, delimiter=";", lineterminator="\r\n")


def _csv_row(row: list[Any]) -> list[Any]:
    return ["" if v is None else str(v).replace(".", ",") if isinstance(v, float) else v
            for v in row]  # fmt: skip


def _csv(header_row: list[str], data) -> bytes:
    buffer = io.StringIO()
    writer = _csv_writer(buffer)
    writer.writerow(header_row)
    writer.writerows(_csv_row(row) for row in data)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def has_repeats(survey) -> bool:
    return bool(repeat_groups(survey.form))


def responses_csv(survey) -> bytes:
    """The responses' table as CSV (forms without repeats; see responses_csv_zip)."""
    return _csv(header(survey), rows(survey))


def csv_file_names(survey) -> list[str]:
    """Names of the CSV files in the ZIP: one per table, then the codebook."""
    names = [f"{survey.slug}.csv"]
    names += [f"{survey.slug}-{table.name}.csv" for table in tables(survey.form)[1:]]
    return [*names, f"{survey.slug}-codebuch.csv"]


def responses_csv_zip(survey) -> bytes:
    """A ZIP with one CSV per table (the responses, each repeat) and the codebook."""
    which = tables(survey.form)
    buffers = [io.StringIO() for _table in which]
    writers = [_csv_writer(buffer) for buffer in buffers]
    for writer, table in zip(writers, which, strict=True):
        writer.writerow(table_header(table, survey.form))
    for index, row in table_rows(survey, which):
        writers[index].writerow(_csv_row(row))
    contents = [("\ufeff" + buffer.getvalue()).encode("utf-8") for buffer in buffers]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as files:
        files_and_contents = zip(
            csv_file_names(survey), [*contents, codebook_csv(survey)], strict=True
        )
        for name, content in files_and_contents:
            files.writestr(name, content)
    return archive.getvalue()


def responses_xlsx(survey) -> bytes:
    """One sheet per table (the responses, each repeat), then the codebook."""
    which = tables(survey.form)
    workbook = openpyxl.Workbook(write_only=True)
    sheets = [workbook.create_sheet(table.name) for table in which]
    for sheet, table in zip(sheets, which, strict=True):
        sheet.append(table_header(table, survey.form))
    for index, row in table_rows(survey, which):
        sheets[index].append(row)
    book = workbook.create_sheet(CODEBOOK_SHEET)
    for row in codebook_rows(survey):
        book.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def codebook_rows(survey) -> list[list[Any]]:
    """variable, label, type, value, value label, table: one row per variable (for every
    table, its fixed variables first), then one per value."""
    form = survey.form
    result: list[list[Any]] = [["variable", "label", "type", "value", "value_label", "table"]]
    for table in tables(form):
        for name, label in table.fixed:
            kind = "numeric" if name in NUMBERS else "string"
            result.append([name, label, kind, "", "", table.name])
        for item in table.columns:
            result.extend(_codebook_lines(item, form, table.name))
    return result


def _codebook_lines(item: Question | Group, form: SurveyDefinition, where: str) -> list[list]:
    if isinstance(item, Group):
        return [[name, label, "numeric", "", "", where] for name, label in _variables(item, form)]
    lines: list[list[Any]] = []
    if item.type == "select_multiple" and item.choices is not None:
        for name, label in _variables(item, form):
            lines.append([name, label, "numeric", "", "", where])
            lines.append([name, "", "", 0, "nicht gewählt", where])
            lines.append([name, "", "", 1, "gewählt", where])
        return lines
    kind = "numeric" if item.type in {"integer", "decimal", "select_one"} else "string"
    lines.append([item.name, item.label(), kind, "", "", where])
    if item.type == "select_one" and item.choices is not None:
        for number, choice in enumerate(item.choices.choices, 1):
            lines.append([item.name, "", "", number, choice_text(choice, form), where])
    return lines


def codebook_csv(survey) -> bytes:
    table = codebook_rows(survey)
    return _csv(table[0], table[1:])
