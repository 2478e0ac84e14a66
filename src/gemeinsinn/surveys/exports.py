"""Exports of a survey's responses: CSV (semicolon, UTF-8 with BOM, as German spreadsheet
programs expect), XLSX, and an SPSS-friendly codebook (variable names, labels, value labels).

Choices are exported as numbers (their position in the list, 1-based), multiple choice as one
0/1 variable per choice (``question_choice``); the codebook names them."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl

from gemeinsinn.formats.xlsform import Question
from gemeinsinn.surveys.models import Response
from gemeinsinn.surveys.results import choice_text, result_questions

FIXED = [
    ("antwort_nr", "Laufende Nummer der Antwort"),
    ("gebiet_schluessel", "Schlüssel des Gebiets"),
    ("gebiet", "Name des Gebiets"),
    ("kanal", "Weg der Antwort (online/papier)"),
    ("datum", "Tag der Antwort"),
]


def _variables(question: Question, form) -> list[tuple[str, str]]:
    if question.type == "select_multiple" and question.choices is not None:
        return [
            (f"{question.name}_{c.name}", f"{question.label()}: {choice_text(c, form)}")
            for c in question.choices.choices
        ]
    return [(question.name, question.label())]


def header(survey) -> list[str]:
    names = [name for name, _label in FIXED]
    for q in result_questions(survey.form):
        names.extend(name for name, _label in _variables(q, survey.form))
    return names


def _values(question: Question, answer: Any) -> list[Any]:
    if question.type == "select_multiple" and question.choices is not None:
        chosen = set(answer or [])
        if answer is None:
            return [None] * len(question.choices.choices)
        return [int(c.name in chosen) for c in question.choices.choices]
    if question.type == "select_one" and question.choices is not None:
        names = question.choices.names()
        return [names.index(answer) + 1 if answer in names else None]
    if isinstance(answer, list):
        return [" ".join(str(a) for a in answer)]
    return [answer]


def rows(survey):
    questions = result_questions(survey.form)
    query = (
        Response.objects.filter(survey=survey)
        .select_related("area")
        .order_by("id")
        .values_list("id", "area__key", "area__name", "channel", "submitted_at", "answers")
    )
    for number, (_pk, key, name, channel, submitted, answers) in enumerate(
        query.iterator(chunk_size=2000), 1
    ):
        row = [number, key, name, channel, submitted.date().isoformat()]
        for q in questions:
            row.extend(_values(q, answers.get(q.name)))
        yield row


def _csv(header_row: list[str], data) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header_row)
    for row in data:
        writer.writerow(["" if v is None else str(v).replace(".", ",") if isinstance(v, float)
                         else v for v in row])  # fmt: skip
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def responses_csv(survey) -> bytes:
    return _csv(header(survey), rows(survey))


def responses_xlsx(survey) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Antworten")
    sheet.append(header(survey))
    for row in rows(survey):
        sheet.append(row)
    book = workbook.create_sheet("Codebuch")
    for row in codebook_rows(survey):
        book.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def codebook_rows(survey) -> list[list[Any]]:
    """variable, label, type, value, value label: one row per variable, then one per value."""
    result: list[list[Any]] = [["variable", "label", "type", "value", "value_label"]]
    for name, label in FIXED:
        result.append([name, label, "numeric" if name == "antwort_nr" else "string", "", ""])
    for q in result_questions(survey.form):
        if q.type == "select_multiple" and q.choices is not None:
            for name, label in _variables(q, survey.form):
                result.append([name, label, "numeric", "", ""])
                result.append([name, "", "", 0, "nicht gewählt"])
                result.append([name, "", "", 1, "gewählt"])
            continue
        kind = "numeric" if q.type in {"integer", "decimal", "select_one"} else "string"
        result.append([q.name, q.label(), kind, "", ""])
        if q.type == "select_one" and q.choices is not None:
            for number, choice in enumerate(q.choices.choices, 1):
                result.append([q.name, "", "", number, choice_text(choice, survey.form)])
    return result


def codebook_csv(survey) -> bytes:
    table = codebook_rows(survey)
    return _csv(table[0], table[1:])
