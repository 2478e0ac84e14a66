"""Read an XLSForm (.xlsx, .xls) into a ``SurveyDefinition``, or say in German what is wrong.

Three layers of checks, all reported at once with sheet, row and column:

1. pyxform reads the workbook (so gemeinsinn sees the cells exactly as pyxform does; rows keep
   their sheet row numbers);
2. gemeinsinn builds its definition from the rows and checks what the platform needs: known
   types and choice lists, unique names, expressions it can evaluate, references that exist,
   and everything the platform cannot show (GPS, media uploads, barcodes, choice lists from
   files, repeats inside repeats, choice filters, unsupported appearances);
3. pyxform converts the form to an XForm, which applies the whole XLSForm specification; its
   first error, if any, is translated into German. When gemeinsinn already reported a problem
   at the same place, pyxform's message about it is left out.

The functions take bytes and a file name and never touch the database.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from gemeinsinn.formats.problems import InputError, Problem
from gemeinsinn.formats.xlsform import vocabulary as vocab
from gemeinsinn.formats.xlsform.expressions import (
    Expression,
    ExpressionError,
    is_question_name,
    parse_expression,
)
from gemeinsinn.formats.xlsform.model import (
    NO_LANGUAGE,
    SELECTS,
    Choice,
    ChoiceList,
    Group,
    Item,
    Question,
    SurveyDefinition,
    language_code,
    other_choice,
)
from gemeinsinn.formats.xlsform.problems import (
    CHOICES,
    SETTINGS,
    SURVEY,
    FormProblem,
    sort_key,
)

XLSX = ".xlsx"
XLS = ".xls"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_PIPED = re.compile(r"\$\{([^}]*)\}")
_YES = frozenset({"yes", "true", "true()"})
_NO = frozenset({"no", "false", "false()"})


@dataclass
class FormCheck:
    """The outcome of reading a form: the definition (None when there are errors) and every
    problem found, errors and warnings, sorted by place."""

    survey: SurveyDefinition | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity != "error"]

    @property
    def ok(self) -> bool:
        return self.survey is not None and not self.errors


def read_xlsform(data: bytes, filename: str) -> SurveyDefinition:
    """The survey definition; raises ``InputError`` with every problem when there are errors."""
    check = check_xlsform(data, filename)
    if not check.ok:
        raise InputError(check.problems)
    assert check.survey is not None
    return check.survey


def check_xlsform(data: bytes, filename: str, *, use_pyxform: bool = True) -> FormCheck:
    """Read and check an XLSForm; never raises for anything wrong in the file."""
    reader = _Reader(filename)
    workbook = reader.read_workbook(data)
    survey = None
    if workbook is not None:
        survey = reader.build(workbook)  # reads the rows, changes nothing
        if use_pyxform and reader.survey_sheet_found:
            reader.add_pyxform_problems(workbook)
    problems = sorted(reader.problems, key=sort_key)
    if any(problem.severity == "error" for problem in problems):
        survey = None
    return FormCheck(survey, problems)


# --- reading ------------------------------------------------------------------------------


def _file_type(data: bytes, filename: str) -> str | None:
    suffix = PurePath(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"} or data.startswith(_ZIP_MAGIC):
        return XLSX
    if suffix == ".xls" or data.startswith(_OLE_MAGIC):
        return XLS
    return None


@dataclass
class _Sheet:
    name: str  # as written
    headers: list[str]
    rows: list[dict[str, str]]  # index i is sheet row i + 2


@dataclass
class _Open:
    """A group or repeat whose end row has not come yet."""

    kind: str  # group, repeat or loop
    name: str
    row: int
    labels: dict[str, str]
    relevant: Expression | None
    appearance: str
    repeat_count: Expression | None
    children: list[Item] = field(default_factory=list)


@dataclass
class _Columns:
    """Where each canonical key of a sheet is: key -> {language or None: header}."""

    by_key: dict[str, dict[str | None, str]]

    def header(self, key: str, language: str | None = None) -> str:
        return self.by_key.get(key, {}).get(language, key)

    def value(self, row: dict[str, str], key: str) -> str:
        headers = self.by_key.get(key, {})
        header = headers.get(None)
        if header is None:
            return ""
        return str(row.get(header, "") or "").strip()

    def translations(self, row: dict[str, str], key: str, plain: str) -> dict[str, str]:
        texts: dict[str, str] = {}
        for language, header in self.by_key.get(key, {}).items():
            text = str(row.get(header, "") or "").strip()
            if text:
                texts[language if language is not None else plain] = text
        return texts

    def headers_of(self, key: str) -> list[str]:
        """Headers of a key; "media" stands for every media column (image, audio …)."""
        if key == "media":
            return [
                header
                for media_key, headers in self.by_key.items()
                if media_key.startswith("media:")
                for header in headers.values()
            ]
        return list(self.by_key.get(key, {}).values())


class _Reader:
    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[Problem] = []
        self.sheet_names: dict[str, str] = {}  # lower case -> as written
        self.survey_sheet_found = False
        self.plain_language = NO_LANGUAGE
        self.languages: list[str] = []
        self.has_name_column = True
        self.choices_sheet_found = False
        self.choices_unusable = False  # the choices sheet lacks its key columns (reported)
        self.choice_lists: dict[str, ChoiceList] = {}
        self.names: dict[str, int] = {}  # question and group names -> first row
        self.repeat_of: dict[str, str | None] = {}  # name -> innermost repeat around it
        self.group_names: set[str] = set()
        # (row, column, expression, repeats around the row) for the reference check
        self.expressions: list[tuple[int, str, Expression, tuple[str, ...]]] = []
        self.piped: list[tuple[int, str, str, tuple[str, ...]]] = []  # ${…} in texts
        self.warned_columns: set[str] = set()

    # -- problems

    def problem(
        self,
        message: str,
        hint: str = "",
        *,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        code: str,
        severity: str = "error",
    ) -> None:
        self.problems.append(
            FormProblem(
                message,
                file=self.filename,
                line=row,
                column=column,
                hint=hint,
                severity=severity,
                sheet=self.sheet_names.get(sheet, sheet),
                code=code,
            )
        )

    # -- workbook

    def read_workbook(self, data: bytes) -> Any:
        file_type = _file_type(data, self.filename)
        if file_type is None:
            self.problem(
                "Die Datei ist keine Excel-Arbeitsmappe (.xlsx oder .xls).",
                "Ein XLSForm wird in Excel oder LibreOffice als .xlsx gespeichert.",
                code="unreadable",
            )
            return None
        from pyxform.errors import PyXFormError
        from pyxform.xls2json_backends import get_xlsform

        from gemeinsinn.formats.xlsform.pyxform_messages import translate

        try:
            workbook = get_xlsform(xlsform=data, file_type=file_type)
        except PyXFormError as error:
            self.problems.append(translate(error, self.filename, {}))
            return None
        except Exception:  # a damaged file can break the spreadsheet libraries anywhere
            self.problem(
                "Die Datei ist keine lesbare Excel-Arbeitsmappe.",
                "Bitte die Datei in Excel oder LibreOffice öffnen und als .xlsx speichern.",
                code="unreadable",
            )
            return None
        self.sheet_names = {name.lower(): name for name in (workbook.sheet_names or [])}
        if len(workbook.sheet_names or []) == 1:  # pyxform reads a lone sheet as the survey
            self.sheet_names[SURVEY] = workbook.sheet_names[0]
        if not workbook.fallback_form_name:
            workbook.fallback_form_name = PurePath(self.filename).stem
        return workbook

    def _sheet(self, workbook: Any, key: str) -> _Sheet | None:
        rows = getattr(workbook, key, None)
        header_rows = getattr(workbook, f"{key}_header", None)
        if rows is None and not header_rows:
            return None
        headers = list(header_rows[0].keys()) if header_rows else []
        return _Sheet(self.sheet_names.get(key, key), headers, list(rows or []))

    def _columns(self, sheet: _Sheet, sheet_key: str, known: dict[str, str]) -> _Columns:
        by_key: dict[str, dict[str | None, str]] = {}
        for header in sheet.headers:
            key, language = vocab.split_header(header, known)
            if key is None:
                if sheet_key == SURVEY:
                    self._unknown_column(header, sheet_key, known)
                continue
            slot = by_key.setdefault(key, {})
            if language in slot:
                self.problem(
                    f"Die Spalten „{slot[language]}“ und „{header}“ bedeuten dasselbe.",
                    "Bitte eine der beiden Spalten löschen.",
                    sheet=sheet_key,
                    row=1,
                    column=header,
                    code="duplicate_column",
                )
                continue
            slot[language] = header
            if key in {"label", "hint", "required_message", "constraint_message"}:
                self._language(language if language is not None else self.plain_language)
        return _Columns(by_key)

    def _unknown_column(self, header: str, sheet_key: str, known: dict[str, str]) -> None:
        """A warning for a header that looks like a misspelt XLSForm column ("relevent"):
        pyxform ignores such columns, and the skip logic in them would be lost silently."""
        base = re.split(r"::?", header, maxsplit=1)[0].strip().lower()
        if not base or base in vocab.OTHER_PYXFORM_COLUMNS:
            return
        close = difflib.get_close_matches(base, list(known), n=1, cutoff=0.8)
        if not close:
            return
        self.problem(
            f"Die Spalte „{header}“ kennt XLSForm nicht; ihr Inhalt wird übergangen.",
            f"Meinten Sie „{close[0]}“? Dann bitte die Spaltenüberschrift korrigieren.",
            sheet=sheet_key,
            row=1,
            column=header,
            code="unknown_column",
            severity="warning",
        )

    def _language(self, language: str) -> None:
        if language not in self.languages:
            self.languages.append(language)

    # -- the definition

    def build(self, workbook: Any) -> SurveyDefinition | None:
        settings = self._settings(workbook)
        survey_sheet = self._sheet(workbook, SURVEY)
        if survey_sheet is None:
            self._missing_survey_sheet()
            return None
        self.survey_sheet_found = True
        self.plain_language = settings.get("default_language") or NO_LANGUAGE
        columns = self._columns(survey_sheet, SURVEY, vocab.SURVEY_COLUMNS)
        if "type" not in columns.by_key:
            self.problem(
                "Im Blatt survey fehlt die Spalte „type“.",
                "Zeile 1 des Blatts survey enthält die Spaltennamen, mindestens type, name und "
                "label.",
                sheet=SURVEY,
                row=1,
                code="missing_column",
            )
            return None
        self.has_name_column = "name" in columns.by_key
        if not self.has_name_column:
            self.problem(
                "Im Blatt survey fehlt die Spalte „name“.",
                "Jede Frage braucht einen Namen, unter dem ihre Antwort gespeichert wird; bitte "
                "die Spalte name in Zeile 1 ergänzen.",
                sheet=SURVEY,
                row=1,
                code="missing_column",
            )
        choices_sheet = self._sheet(workbook, CHOICES)
        choice_lists = self._choice_lists(choices_sheet, settings) if choices_sheet else {}
        self.choices_sheet_found = choices_sheet is not None
        self.choice_lists = choice_lists
        items = self._items(survey_sheet, columns)
        self._check_references()
        no_errors = not any(problem.severity == "error" for problem in self.problems)
        if no_errors and not any(isinstance(item, Question) for item in _walk(items)):
            self.problem(
                "Der Fragebogen enthält keine Fragen.",
                "Bitte im Blatt survey Fragen eintragen (eine Zeile je Frage).",
                sheet=SURVEY,
                code="empty_survey",
            )
        stem = PurePath(self.filename).stem
        languages = tuple(self.languages)
        default_language = settings.get("default_language") or (
            NO_LANGUAGE if NO_LANGUAGE in languages or not languages else languages[0]
        )
        return SurveyDefinition(
            title=settings.get("title") or stem,
            form_id=settings.get("form_id") or stem,
            version=settings.get("version", ""),
            default_language=default_language,
            languages=languages,
            items=tuple(items),
            choice_lists=choice_lists,
            source=self.filename,
        )

    def _missing_survey_sheet(self) -> None:
        names = list(self.sheet_names.values())
        close = difflib.get_close_matches(SURVEY, [name.lower() for name in names], n=1)
        hint = "Ein XLSForm braucht ein Tabellenblatt „survey“ mit einer Zeile je Frage."
        if close:
            hint = f"Heißt das Blatt „{self.sheet_names[close[0]]}“ vielleicht so? " + hint
        self.problem(
            f"Das Blatt „survey“ fehlt (vorhandene Blätter: {', '.join(names) or 'keine'}).",
            hint,
            code="missing_survey_sheet",
        )

    def _settings(self, workbook: Any) -> dict[str, str]:
        sheet = self._sheet(workbook, SETTINGS)
        if sheet is None:
            return {}
        columns = self._columns(sheet, SETTINGS, vocab.SETTINGS_COLUMNS)
        row = next((row for row in sheet.rows if row), {})
        return {key: columns.value(row, key) for key in columns.by_key}

    # -- choices

    def _choice_lists(self, sheet: _Sheet, settings: dict[str, str]) -> dict[str, ChoiceList]:
        columns = self._columns(sheet, CHOICES, vocab.CHOICES_COLUMNS)
        for key in ("list_name", "name"):
            if key not in columns.by_key:
                self.problem(
                    f"Im Blatt choices fehlt die Spalte „{key}“.",
                    "Zeile 1 des Blatts choices enthält die Spaltennamen list_name, name und "
                    "label.",
                    sheet=CHOICES,
                    row=1,
                    code="missing_column",
                )
                self.choices_unusable = True
                return {}
        allow_duplicates = settings.get("allow_choice_duplicates", "").lower() in _YES
        lists: dict[str, list[Choice]] = {}
        seen: dict[tuple[str, str], int] = {}
        for index, row in enumerate(sheet.rows):
            if not row:
                continue
            number = index + 2
            list_name = columns.value(row, "list_name")
            name = columns.value(row, "name")
            labels = columns.translations(row, "label", self.plain_language)
            if not list_name:
                if name or labels:
                    self.problem(
                        "Die Auswahlmöglichkeit gehört zu keiner Liste.",
                        "Bitte in der Spalte list_name den Namen der Auswahlliste eintragen.",
                        sheet=CHOICES,
                        row=number,
                        column=columns.header("list_name"),
                        code="missing_list_name",
                    )
                continue
            if not name:
                self.problem(
                    f"Die Auswahlmöglichkeit der Liste „{list_name}“ hat keinen Namen.",
                    "Bitte in der Spalte name einen Namen eintragen; er wird in den Antworten "
                    "gespeichert.",
                    sheet=CHOICES,
                    row=number,
                    column=columns.header("name"),
                    code="missing_choice_name",
                )
                continue
            first = seen.get((list_name, name))
            if first is not None and not allow_duplicates:
                self.problem(
                    f"Die Auswahl „{name}“ steht in der Liste „{list_name}“ doppelt "
                    f"(zuerst in Zeile {first}).",
                    "Bitte jeder Auswahl einer Liste einen eigenen Namen geben.",
                    sheet=CHOICES,
                    row=number,
                    column=columns.header("name"),
                    code="duplicate_choice",
                )
                continue
            seen.setdefault((list_name, name), number)
            if not labels:
                self.problem(
                    f"Die Auswahl „{name}“ der Liste „{list_name}“ hat keine Beschriftung; "
                    "angezeigt wird ihr Name.",
                    "Bitte in der Spalte label einen Text eintragen.",
                    sheet=CHOICES,
                    row=number,
                    column=columns.header("label"),
                    code="missing_choice_label",
                    severity="warning",
                )
            self._warn_column(row, columns, CHOICES, number, "media", _MEDIA_WARNING)
            lists.setdefault(list_name, []).append(Choice(name, labels, number))
        return {name: ChoiceList(name, tuple(choices)) for name, choices in lists.items()}

    # -- survey rows

    def _items(self, sheet: _Sheet, columns: _Columns) -> list[Item]:
        root = _Open("survey", "", 0, {}, None, "", None)
        stack: list[_Open] = [root]
        for index, row in enumerate(sheet.rows):
            if not row:
                continue
            number = index + 2
            written = columns.value(row, "type")
            if not written:
                if columns.value(row, "name") or columns.translations(row, "label", ""):
                    self.problem(
                        "Die Zeile hat keinen Fragetyp.",
                        "Bitte in der Spalte type einen Typ eintragen (z. B. text, integer, "
                        "select_one LISTE) oder die Zeile leeren.",
                        sheet=SURVEY,
                        row=number,
                        column=columns.header("type"),
                        code="missing_type",
                    )
                continue
            container = vocab.CONTAINER_RE.match(vocab.normalize_type(written))
            if container:
                self._container(container, row, number, columns, stack)
                continue
            question = self._question(written, row, number, columns, stack)
            if question is not None:
                stack[-1].children.extend(question)
        for open_container in reversed(stack[1:]):
            kind = "repeat" if open_container.kind == "repeat" else "group"
            self.problem(
                f"„begin {kind}“ „{open_container.name}“ wird nicht mit „end {kind}“ geschlossen.",
                f"Bitte nach der letzten Frage der Gruppe eine Zeile „end {kind}“ ergänzen.",
                sheet=SURVEY,
                row=open_container.row,
                column=columns.header("type"),
                code="unclosed_group",
            )
            finished = self._close(open_container)
            stack[-2].children.append(finished)
            stack.pop()
        return root.children

    def _container(
        self,
        match: re.Match[str],
        row: dict[str, str],
        number: int,
        columns: _Columns,
        stack: list[_Open],
    ) -> None:
        action, written_kind = match.group(1), match.group(2)
        kind = vocab.CONTAINER_KINDS[written_kind]
        type_column = columns.header("type")
        if action == "end":
            if len(stack) == 1:
                self.problem(
                    f"„end {written_kind}“ ohne passendes „begin {written_kind}“.",
                    "Jede Gruppe und Wiederholung beginnt mit begin … und endet mit end …; "
                    "bitte die Zeilen prüfen.",
                    sheet=SURVEY,
                    row=number,
                    column=type_column,
                    code="unmatched_end",
                )
                return
            if _closing_kind(stack[-1].kind) != _closing_kind(kind):
                opened = stack[-1]
                self.problem(
                    f"„end {written_kind}“ passt nicht zu „begin {opened.kind}“ „{opened.name}“ "
                    f"(Zeile {opened.row}).",
                    f"Bitte „end {opened.kind}“ schreiben oder die Zeilen umstellen.",
                    sheet=SURVEY,
                    row=number,
                    column=type_column,
                    code="unmatched_end",
                )
            finished = stack.pop()
            stack[-1].children.append(self._close(finished))
            return
        name = self._name(row, number, columns, stack, group=True)
        if kind == "loop":
            self.problem(
                "Schleifen über eine Auswahlliste (begin loop) werden nicht unterstützt.",
                "Bitte die Fragen für jede Auswahl einzeln stellen oder eine Wiederholung "
                "(begin repeat) verwenden.",
                sheet=SURVEY,
                row=number,
                column=type_column,
                code="unsupported_type",
            )
        if kind == "repeat" and any(item.kind == "repeat" for item in stack):
            outer = next(item for item in reversed(stack) if item.kind == "repeat")
            self.problem(
                f"Die Wiederholung „{name}“ steht in der Wiederholung „{outer.name}“ "
                f"(Zeile {outer.row}); verschachtelte Wiederholungen kann gemeinsinn nicht "
                "zeigen und nicht auswerten.",
                "Bitte die innere Wiederholung auflösen, z. B. durch eine feste Zahl von "
                "Fragen oder einen eigenen Fragebogen.",
                sheet=SURVEY,
                row=number,
                column=type_column,
                code="nested_repeat",
            )
        self.group_names.add(name)
        labels = columns.translations(row, "label", self.plain_language)
        relevant = self._expression(row, number, columns, "relevant", stack)
        repeat_count = (
            self._expression(row, number, columns, "repeat_count", stack)
            if kind == "repeat"
            else None
        )
        appearance = columns.value(row, "appearance")
        self._check_appearance(
            "repeat" if kind == "repeat" else "group", appearance, number, columns
        )
        stack.append(_Open(kind, name, number, labels, relevant, appearance, repeat_count, []))

    def _close(self, container: _Open) -> Group:
        return Group(
            name=container.name,
            row=container.row,
            labels=container.labels,
            relevant=container.relevant,
            appearance=container.appearance,
            repeat=container.kind == "repeat",
            repeat_count=container.repeat_count,
            children=tuple(container.children),
        )

    def _name(
        self,
        row: dict[str, str],
        number: int,
        columns: _Columns,
        stack: list[_Open],
        *,
        group: bool = False,
        generated: str = "",
    ) -> str:
        name = columns.value(row, "name")
        column = columns.header("name")
        if not name:
            if generated:
                name = generated
            else:
                if self.has_name_column:
                    what = "Die Gruppe" if group else "Die Frage"
                    self.problem(
                        f"{what} hat keinen Namen.",
                        "Bitte in der Spalte name einen eindeutigen Namen eintragen "
                        "(Buchstaben, Ziffern, _; z. B. zufriedenheit_wohnen).",
                        sheet=SURVEY,
                        row=number,
                        column=column,
                        code="missing_name",
                    )
                return f"_row_{number}"
        elif not is_question_name(name):
            self.problem(
                f"Der Name „{name}“ ist ungültig.",
                "Namen beginnen mit einem Buchstaben oder _ und enthalten danach nur "
                "Buchstaben, Ziffern, _, - und . (keine Leerzeichen).",
                sheet=SURVEY,
                row=number,
                column=column,
                code="invalid_name",
            )
        first = self.names.get(name)
        if first is not None:
            self.problem(
                f"Der Name „{name}“ kommt mehrfach vor (zuerst in Zeile {first}).",
                "Jede Frage und Gruppe braucht einen eigenen Namen, unter dem ihre Antwort "
                "gespeichert wird; bitte umbenennen (und Verweise ${…} anpassen).",
                sheet=SURVEY,
                row=number,
                column=column,
                code="duplicate_name",
            )
        else:
            self.names[name] = number
            self.repeat_of[name] = _innermost_repeat(stack)
        return name

    def _question(
        self,
        written: str,
        row: dict[str, str],
        number: int,
        columns: _Columns,
        stack: list[_Open],
    ) -> list[Question] | None:
        type_column = columns.header("type")
        parsed = _parse_type(written)
        if parsed.unsupported is not None:
            self._name(row, number, columns, stack)
            self._unsupported(parsed.unsupported, f"Der Fragetyp „{written}“", number, type_column)
            return None
        if parsed.ignored:
            name = self._name(row, number, columns, stack)
            self.problem(
                f"Das Metadaten-Feld „{written}“ ({name}) liest ODK Collect vom Gerät; "
                "gemeinsinn erhebt es nicht und übergeht die Zeile.",
                "Die Zeile kann bleiben oder gelöscht werden.",
                sheet=SURVEY,
                row=number,
                column=type_column,
                code="ignored_metadata",
                severity="warning",
            )
            return None
        if parsed.problem:
            self._name(row, number, columns, stack)
            self.problem(
                parsed.problem,
                parsed.hint,
                sheet=SURVEY,
                row=number,
                column=type_column,
                code=parsed.code,
            )
            return None
        kind = parsed.kind
        assert kind is not None
        name = self._name(
            row,
            number,
            columns,
            stack,
            generated=f"generated_note_name_{number}" if kind == "note" else "",
        )
        labels = columns.translations(row, "label", self.plain_language)
        hints = columns.translations(row, "hint", self.plain_language)
        required, required_condition = self._required(row, number, columns, stack)
        constraint = self._expression(row, number, columns, "constraint", stack)
        if constraint is None and parsed.builtin_constraint:
            constraint = parse_expression(parsed.builtin_constraint)
        relevant = self._expression(row, number, columns, "relevant", stack)
        calculation = self._expression(row, number, columns, "calculation", stack)
        if kind == "calculate" and calculation is None and not columns.value(row, "default"):
            self.problem(
                f"Für die Berechnung „{name}“ fehlt die Formel.",
                "Bitte die Formel in die Spalte calculation schreiben (z. B. ${alter} * 12).",
                sheet=SURVEY,
                row=number,
                column=columns.header("calculation"),
                code="missing_calculation",
            )
        appearance = columns.value(row, "appearance")
        self._check_appearance(kind, appearance, number, columns)
        self._check_unsupported_columns(row, number, columns)
        for key in ("label", "hint", "constraint_message", "required_message"):
            for header in columns.headers_of(key):
                text = str(row.get(header, "") or "")
                if "${" in text:
                    self.piped.append((number, header, text, _repeat_chain(stack)))
        choice_list = None
        if kind in SELECTS:
            choice_list = self._choice_list_for(parsed, number, type_column)
            if choice_list is not None and kind == "select_multiple":
                self._check_multiple_choice_names(choice_list, number, type_column)
        if (
            kind not in {"note", "calculate", "hidden", "start", "end", "today"}
            and not labels
            and "label" not in appearance.split()
        ):
            self.problem(
                f"Die Frage „{name}“ hat keine Beschriftung.",
                "Bitte in der Spalte label den Fragetext eintragen.",
                sheet=SURVEY,
                row=number,
                column=columns.header("label"),
                code="missing_label",
            )
        if parsed.or_other and choice_list is not None:
            choice_list = ChoiceList(
                choice_list.name, (*choice_list.choices, other_choice(self.languages))
            )
        question = Question(
            name=name,
            type=kind,
            row=number,
            labels=labels,
            hints=hints,
            required=required,
            required_condition=required_condition,
            required_messages=columns.translations(row, "required_message", self.plain_language),
            constraint=constraint,
            constraint_messages=columns.translations(
                row, "constraint_message", self.plain_language
            ),
            relevant=relevant,
            calculation=calculation,
            appearance=appearance,
            choices=choice_list,
            or_other=parsed.or_other and choice_list is not None,
            default=columns.value(row, "default"),
            written_type=written,
        )
        if not question.or_other:
            return [question]
        specify = f"{name}_other"
        if specify in self.names:
            self.problem(
                f"Für „or_other“ legt gemeinsinn die Frage „{specify}“ an; der Name ist aber "
                f"schon vergeben (Zeile {self.names[specify]}).",
                "Bitte die andere Frage umbenennen.",
                sheet=SURVEY,
                row=number,
                column=type_column,
                code="duplicate_name",
            )
        else:
            self.names[specify] = number
            self.repeat_of[specify] = _innermost_repeat(stack)
        return [question, other_question(question, self.languages)]

    def _required(
        self, row: dict[str, str], number: int, columns: _Columns, stack: list[_Open]
    ) -> tuple[bool, Expression | None]:
        text = columns.value(row, "required")
        if not text or text.lower() in _NO:
            return False, None
        if text.lower() in _YES:
            return True, None
        return False, self._expression(row, number, columns, "required", stack)

    def _expression(
        self,
        row: dict[str, str],
        number: int,
        columns: _Columns,
        key: str,
        stack: list[_Open],
    ) -> Expression | None:
        text = columns.value(row, key)
        if not text:
            return None
        column = columns.header(key)
        try:
            expression = parse_expression(text)
        except ExpressionError as error:
            self.problem(
                f"Der Ausdruck „{text}“ ist fehlerhaft: {error.message}",
                error.hint,
                sheet=SURVEY,
                row=number,
                column=column,
                code="invalid_expression",
            )
            return None
        self.expressions.append((number, column, expression, _repeat_chain(stack)))
        return expression

    def _choice_list_for(self, parsed: _Type, number: int, column: str) -> ChoiceList | None:
        list_name = parsed.list_name or ""
        found = self.choice_lists.get(list_name)
        if found is not None or self.choices_unusable:
            return found
        if not self.choices_sheet_found:
            self.problem(
                f"Die Auswahlliste „{list_name}“ fehlt: die Arbeitsmappe hat kein Blatt choices.",
                "Bitte ein Blatt „choices“ mit den Spalten list_name, name und label anlegen "
                "und die Auswahlmöglichkeiten eintragen.",
                sheet=SURVEY,
                row=number,
                column=column,
                code="missing_choice_list",
            )
            return None
        close = difflib.get_close_matches(list_name, list(self.choice_lists), n=1)
        hint = "Bitte die Liste im Blatt choices anlegen oder den Listennamen korrigieren."
        if close:
            hint = f"Meinten Sie „{close[0]}“? " + hint
        self.problem(
            f"Die Auswahlliste „{list_name}“ gibt es im Blatt choices nicht.",
            hint,
            sheet=SURVEY,
            row=number,
            column=column,
            code="missing_choice_list",
        )
        return None

    def _check_multiple_choice_names(self, choices: ChoiceList, number: int, column: str) -> None:
        for choice in choices.choices:
            if any(char.isspace() for char in choice.name):
                self.problem(
                    f"Die Auswahl „{choice.name}“ der Liste „{choices.name}“ hat Leerzeichen "
                    "im Namen; bei select_multiple trennen Leerzeichen die gewählten Namen.",
                    f"Bitte Leerzeichen im Namen durch _ ersetzen (Liste benutzt in Zeile "
                    f"{number} des Blatts survey).",
                    sheet=CHOICES,
                    row=choice.row,
                    column="name",
                    code="choice_name_space",
                )

    def _check_appearance(self, kind: str, appearance: str, number: int, columns: _Columns) -> None:
        if not appearance:
            return
        column = columns.header("appearance")
        words = [appearance] if "(" in appearance else appearance.split()
        for word in words:
            verdict = vocab.appearance_verdict(kind, word)
            if verdict is True:
                continue
            if isinstance(verdict, vocab.Unsupported):
                self._unsupported(verdict, f"Die Darstellung „{word}“", number, column)
                continue
            self.problem(
                f"Die Darstellung „{word}“ kennt gemeinsinn für {kind} nicht; sie wird übergangen.",
                "Die Frage wird in der üblichen Form gezeigt.",
                sheet=SURVEY,
                row=number,
                column=column,
                code="unknown_appearance",
                severity="warning",
            )

    def _check_unsupported_columns(
        self, row: dict[str, str], number: int, columns: _Columns
    ) -> None:
        if columns.value(row, "choice_filter"):
            self.problem(
                "Gefilterte Auswahllisten (choice_filter) werden nicht unterstützt.",
                "Bitte je Fall eine eigene Auswahlliste anlegen und die Fragen mit relevant "
                "ein- und ausblenden.",
                sheet=SURVEY,
                row=number,
                column=columns.header("choice_filter"),
                code="unsupported_column",
            )
        self._warn_column(row, columns, SURVEY, number, "media", _MEDIA_WARNING)
        self._warn_column(
            row,
            columns,
            SURVEY,
            number,
            "parameters",
            "Parameter ({column}) wertet gemeinsinn nicht aus; sie werden übergangen.",
        )
        self._warn_column(
            row,
            columns,
            SURVEY,
            number,
            "trigger",
            "Auslöser ({column}) wertet gemeinsinn nicht aus; sie werden übergangen.",
        )

    def _warn_column(
        self,
        row: dict[str, str],
        columns: _Columns,
        sheet: str,
        number: int,
        key: str,
        message: str,
    ) -> None:
        """One warning per kind of column and sheet (at its first use), not one per row."""
        marker = f"{sheet}:{key}"
        if marker in self.warned_columns:
            return
        headers = columns.headers_of(key)
        used = [header for header in headers if str(row.get(header, "") or "").strip()]
        if not used:
            return
        self.warned_columns.add(marker)
        self.problem(
            message.format(
                column=("Spalte " if len(headers) == 1 else "Spalten ") + ", ".join(headers)
            ),
            "Die Spalten können bleiben; sie ändern am Fragebogen in gemeinsinn nichts."
            if len(headers) > 1
            else "Die Spalte kann bleiben; sie ändert am Fragebogen in gemeinsinn nichts.",
            sheet=sheet,
            row=number,
            column=used[0],
            code="ignored_column",
            severity="warning",
        )

    def _unsupported(self, unsupported: vocab.Unsupported, subject: str, number: int, column: str):
        self.problem(
            f"{subject} verlangt {unsupported.what}; das kann gemeinsinn nicht zeigen: "
            f"{unsupported.why}",
            unsupported.fix,
            sheet=SURVEY,
            row=number,
            column=column,
            code="unsupported_type"
            if subject.startswith("Der Fragetyp")
            else "unsupported_appearance",
        )

    # -- references

    def _check_references(self) -> None:
        for number, column, expression, chain in self.expressions:
            for name in sorted(expression.references):
                self._check_reference(name, number, column, chain, expression.source)
        for number, column, text, chain in self.piped:
            for name in _PIPED.findall(text):
                name = name.strip()
                self._check_reference(name, number, column, chain, text)

    def _check_reference(
        self, name: str, number: int, column: str, chain: tuple[str, ...], source: str
    ) -> None:
        if name not in self.names:
            close = difflib.get_close_matches(name, list(self.names), n=1)
            hint = "Bitte den Namen im Verweis prüfen."
            if close:
                hint = f"Meinten Sie ${{{close[0]}}}? " + hint
            self.problem(
                f"„{source}“ verweist auf ${{{name}}}, aber eine Frage „{name}“ gibt es nicht.",
                hint,
                sheet=SURVEY,
                row=number,
                column=column,
                code="unknown_reference",
            )
            return
        if name in self.group_names:
            self.problem(
                f"„{source}“ verweist auf ${{{name}}}, das ist eine Gruppe, keine Frage.",
                "Verweise zeigen auf Fragen; für eine Gruppe bitte die Bedingung an ihre "
                "Fragen knüpfen.",
                sheet=SURVEY,
                row=number,
                column=column,
                code="group_reference",
            )
            return
        repeat = self.repeat_of.get(name)
        if repeat is not None and repeat not in chain:
            self.problem(
                f"„{source}“ verweist auf ${{{name}}} in der Wiederholung „{repeat}“; das geht "
                "nur innerhalb dieser Wiederholung.",
                "Bitte die Bedingung innerhalb der Wiederholung stellen.",
                sheet=SURVEY,
                row=number,
                column=column,
                code="repeat_reference",
            )

    # -- pyxform

    def add_pyxform_problems(self, workbook: Any) -> None:
        """pyxform's verdict on the whole specification, translated; left out where
        gemeinsinn already reported an error at the same place or of the same kind."""
        from pyxform.xls2xform import convert

        from gemeinsinn.formats.xlsform.pyxform_messages import translate

        try:
            convert(xlsform=_as_dict(workbook), validate=False, warnings=[])
            return
        except Exception as error:  # pyxform reports user errors as several exception types
            problem = translate(error, self.filename, self.sheet_names)
        own_errors = [
            p for p in self.problems if p.severity == "error" and isinstance(p, FormProblem)
        ]
        if own_errors and problem.line is None:
            return  # pyxform stops at its first error: without a place, it is one of ours
        for own in own_errors:
            if own.line == problem.line and own.sheet.lower() == problem.sheet.lower():
                return
        self.problems.append(problem)


_MEDIA_WARNING = (
    "Bilder, Töne und Videos ({column}) zeigt gemeinsinn nicht an; sie werden übergangen."
)


def _as_dict(workbook: Any) -> dict[str, Any]:
    from dataclasses import fields

    return {item.name: getattr(workbook, item.name) for item in fields(workbook)}


def _walk(items: Iterable[Item]) -> Iterable[Item]:
    for item in items:
        yield item
        if isinstance(item, Group):
            yield from _walk(item.children)


def _closing_kind(kind: str) -> str:
    return "repeat" if kind == "repeat" else kind


def _innermost_repeat(stack: list[_Open]) -> str | None:
    return next((item.name for item in reversed(stack) if item.kind == "repeat"), None)


def _repeat_chain(stack: list[_Open]) -> tuple[str, ...]:
    return tuple(item.name for item in stack if item.kind == "repeat")


@dataclass(frozen=True)
class _Type:
    kind: str | None = None
    list_name: str | None = None
    or_other: bool = False
    builtin_constraint: str = ""
    unsupported: vocab.Unsupported | None = None
    ignored: bool = False
    problem: str = ""
    hint: str = ""
    code: str = ""


def _parse_type(written: str) -> _Type:
    collapsed = " ".join(written.split())
    lowered = collapsed.lower()
    for word in sorted(vocab.UNSUPPORTED_TYPES, key=len, reverse=True):
        if lowered == word or lowered.startswith(word + " "):
            return _Type(unsupported=vocab.UNSUPPORTED_TYPES[word])
    supported = vocab.canonical_type(lowered)
    if supported is not None:
        return _Type(kind=supported)
    if lowered in vocab.DERIVED_TYPES:
        kind, constraint = vocab.DERIVED_TYPES[lowered]
        return _Type(kind=kind, builtin_constraint=constraint)
    if lowered in vocab.IGNORED_METADATA:
        return _Type(ignored=True)
    for word in sorted(vocab.SELECT_TYPES, key=len, reverse=True):
        if lowered == word or lowered.startswith(word + " "):
            kind = vocab.SELECT_TYPES[word]
            rest = collapsed[len(word) :].split()
            or_other = bool(rest) and rest[-1].lower() == "or_other"
            if or_other:
                rest = rest[:-1]
            if len(rest) != 1:
                return _Type(
                    problem=(
                        f"Bei „{collapsed}“ fehlt der Name der Auswahlliste."
                        if not rest
                        else f"„{collapsed}“ ist kein gültiger Auswahltyp."
                    ),
                    hint=f"Richtig ist „{kind} LISTE“ (optional „or_other“ dahinter), wobei "
                    "LISTE im Blatt choices in der Spalte list_name steht.",
                    code="invalid_select",
                )
            return _Type(kind=kind, list_name=rest[0], or_other=or_other)
    close = difflib.get_close_matches(lowered, vocab.known_type_words(), n=1)
    hint = (
        "Erlaubt sind u. a. text, integer, decimal, date, time, note, calculate, "
        "select_one LISTE, select_multiple LISTE, rank LISTE, begin group/end group."
    )
    if close:
        hint = f"Meinten Sie „{close[0]}“? " + hint
    return _Type(
        problem=f"Den Fragetyp „{collapsed}“ gibt es in XLSForm nicht.",
        hint=hint,
        code="unknown_type",
    )


def other_question(question: Question, languages: Iterable[str]) -> Question:
    """The text question "please specify" that "or_other" adds after a select."""
    labels = {
        language: "Specify other."
        if (language_code(language) or "") not in {"", "de"}
        else "Bitte angeben:"
        for language in languages
    }
    return Question(
        name=f"{question.name}_other",
        type="text",
        row=None,
        labels=labels or {NO_LANGUAGE: "Bitte angeben:"},
        relevant=parse_expression(f"selected(${{{question.name}}}, 'other')"),
        written_type="text",
    )
