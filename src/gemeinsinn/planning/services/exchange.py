"""Measures to and from the planning office's spreadsheets (CSV in German Excel format, XLSX).

One row per programme, measure or step, keyed by its number. Import is all or nothing: every
problem is reported with line and column, in German, and nothing is written while one is
left. Columns read on import: the ones in COLUMNS and "Budget JJJJ" (one per year; an empty
cell means no budget that year). The export adds goals, target areas, funding and ideas for
reading; the import leaves them as they are."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from gemeinsinn.formats.numbers import detect_decimal_mark
from gemeinsinn.formats.problems import InputError, Problem, errors
from gemeinsinn.formats.reader import read_table
from gemeinsinn.ideas.models import Category
from gemeinsinn.planning.models import Budget, Measure, MeasureStatus
from gemeinsinn.planning.services import plan

NUMBER, KIND, PARENT, TITLE, DESCRIPTION = "Nummer", "Art", "gehört zu", "Titel", "Beschreibung"
FIELD, DEPARTMENT, PARTNERS = "Handlungsfeld", "Federführung", "Partner"
START, END, STATUS, PROGRESS = "Beginn", "Ende", "Stand", "Fortschritt in %"
COLUMNS = [NUMBER, KIND, PARENT, TITLE, DESCRIPTION, FIELD, DEPARTMENT, PARTNERS, START, END,
           STATUS, PROGRESS]  # fmt: skip
REQUIRED = [NUMBER, KIND, TITLE, FIELD, STATUS]
BUDGET = re.compile(r"^Budget (\d{4})$")
KIND_NAMES = {"programm": Measure.PROGRAMME, "maßnahme": Measure.MEASURE,
              "massnahme": Measure.MEASURE, "schritt": Measure.STEP}  # fmt: skip
DEPTH = {Measure.PROGRAMME: 0, Measure.MEASURE: 1, Measure.STEP: 2}


def export_table() -> tuple[list[str], list[list]]:
    """Header and rows of all measures, in number order (for ``table_response``)."""
    measures = list(
        Measure.objects.select_related("parent", "field", "status").prefetch_related(
            "budgets", "fundings", "goals", "target_areas__area", "ideas"
        )
    )
    years = sorted({b.year for m in measures for b in m.budgets.all()})
    header = [*COLUMNS, *(f"Budget {year}" for year in years), _("Ziele"), _("Fördergebiete"),
              _("Finanzierung"), _("Ideen (Nummern)")]  # fmt: skip
    rows = []
    for m in measures:
        budgets = {b.year: float(b.amount) for b in m.budgets.all()}
        rows.append(
            [
                m.number, m.get_kind_display(), m.parent.number if m.parent else "", m.title,
                m.description, m.field.name, m.department, m.partners,
                m.start.strftime("%d.%m.%Y") if m.start else "",
                m.end.strftime("%d.%m.%Y") if m.end else "",
                m.status.name, m.progress if m.progress is not None else "",
                *(budgets.get(year) for year in years),
                "; ".join(g.title for g in m.goals.all()),
                "; ".join(t.area.name for t in m.target_areas.all()),
                "; ".join(
                    f"{f.get_source_display()} {f.year}: {f.amount} € "
                    f"({f.programme or '–'}, {f.get_approval_display()}"
                    f"{' ' + f.decided_on.isoformat() if f.decided_on else ''})"
                    for f in m.fundings.all()
                ),
                ", ".join(str(i.pk) for i in m.ideas.all()),
            ]
        )  # fmt: skip
    return header, rows


@dataclass
class _Row:
    line: int
    number: str
    kind: str
    parent: str
    values: dict
    budgets: dict[int, Decimal | None]


def import_measures(data: bytes, filename: str, user) -> tuple[int, int]:
    """Create or update the measures of the file; returns (created, updated)."""
    table = read_table(data, filename)
    problems = list(table.problems)
    columns = list(table.frame.columns)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(
            [
                Problem(
                    _("Spalte fehlt: %(columns)s.") % {"columns": ", ".join(missing)},
                    file=filename,
                    hint=_("Die erste Zeile braucht die Spalten %(columns)s (wie im Export).")
                    % {"columns": ", ".join(COLUMNS)},
                )
            ]
        )
    budget_columns = {c: int(BUDGET.match(c).group(1)) for c in columns if BUDGET.match(c)}
    # only the amounts tell the decimal mark: numbers such as "1.1" would count as evidence
    decimal_mark = detect_decimal_mark(
        table.frame.select(list(budget_columns)), table.info.separator
    )
    fields = {c.name.casefold(): c for c in Category.objects.all()}
    statuses = {s.name.casefold(): s for s in MeasureStatus.objects.all()}
    rows, seen = [], {}
    for index, record in enumerate(table.frame.iter_rows(named=True)):
        line = int(table.lines[index])

        problem = partial(_add_problem, problems, filename, line, table)
        cell = {c: (record.get(c) or "").strip() for c in columns}
        for column in REQUIRED:
            if not cell[column]:
                problem(column, _("Leeres Feld „%(column)s“.") % {"column": column})
        kind = KIND_NAMES.get(cell[KIND].casefold())
        if cell[KIND] and kind is None:
            problem(KIND, _("Unbekannte Art „%(value)s“.") % {"value": cell[KIND]},
                    _("Erlaubt: Programm, Maßnahme, Schritt."))  # fmt: skip
        field = fields.get(cell[FIELD].casefold())
        if cell[FIELD] and field is None:
            problem(FIELD, _("Unbekanntes Handlungsfeld „%(value)s“.") % {"value": cell[FIELD]},
                    _allowed(c.name for c in fields.values()))  # fmt: skip
        status = statuses.get(cell[STATUS].casefold())
        if cell[STATUS] and status is None:
            problem(STATUS, _("Unbekannter Stand „%(value)s“.") % {"value": cell[STATUS]},
                    _allowed(s.name for s in statuses.values()))  # fmt: skip
        if cell[NUMBER] in seen:
            problem(NUMBER, _("Nummer %(number)s kommt doppelt vor (auch Zeile %(other)s).")
                    % {"number": cell[NUMBER], "other": seen[cell[NUMBER]]})  # fmt: skip
        seen[cell[NUMBER]] = line
        values = {
            "title": cell[TITLE][:200],
            "description": cell.get(DESCRIPTION, ""),
            "field": field,
            "department": cell.get(DEPARTMENT, "")[:200],
            "partners": cell.get(PARTNERS, ""),
            "start": _date(cell.get(START, ""), START, problem),
            "end": _date(cell.get(END, ""), END, problem),
            "status": status,
            "progress": _percent(cell.get(PROGRESS, ""), problem),
        }
        if values["start"] and values["end"] and values["end"] < values["start"]:
            problem(END, _("Das Ende liegt vor dem Beginn."))
        budgets = {
            year: _amount(cell[column], decimal_mark, column, problem)
            for column, year in budget_columns.items()
        }
        rows.append(_Row(line, cell[NUMBER], kind or "", cell.get(PARENT, ""), values, budgets))
    _check_tree(rows, filename, problems)
    if errors(problems):
        raise InputError(problems)
    return _write(rows, user, filename)


def _add_problem(problems, filename, line, table, column, message, hint=""):
    problems.append(Problem(message, filename, line, table.label(column), hint))


def _allowed(names) -> str:
    return _("Erlaubt: %(names)s.") % {"names": ", ".join(names)}


def _check_tree(rows: list[_Row], filename: str, problems: list[Problem]) -> None:
    in_file = {row.number: row for row in rows}
    stored = {m.number: m for m in Measure.objects.all()}
    for row in rows:
        if not row.kind:
            continue
        parent_kind = None
        if row.parent:
            if row.parent in in_file:
                parent_kind = in_file[row.parent].kind
            elif row.parent in stored:
                parent_kind = stored[row.parent].kind
            else:
                problems.append(
                    Problem(_("„gehört zu“ nennt die unbekannte Nummer %(number)s.")
                            % {"number": row.parent}, filename, row.line, PARENT,
                            _("Bitte die Nummer eines Programms oder einer Maßnahme angeben."))
                )  # fmt: skip
                continue
        wanted = plan.PARENT_KIND[row.kind]
        if (wanted is None) != (not row.parent) or (wanted and parent_kind != wanted):
            problems.append(
                Problem(_("Eine Maßnahme gehört zu einem Programm, ein Schritt zu einer "
                          "Maßnahme; ein Programm gehört zu nichts."), filename, row.line,
                        PARENT)
            )  # fmt: skip


def _write(rows: list[_Row], user, filename: str) -> tuple[int, int]:
    created = updated = 0
    with transaction.atomic():
        by_number = {m.number: m for m in Measure.objects.select_for_update()}
        for row in sorted(rows, key=lambda r: DEPTH[r.kind]):
            values = {**row.values, "kind": row.kind, "parent": by_number.get(row.parent)}
            measure = by_number.get(row.number)
            if measure is None:
                measure = Measure.objects.create(number=row.number, **values)
                plan.record_created(measure, user, filename)
                created += 1
            else:
                changed = [name for name, value in values.items()
                           if getattr(measure, name) != value]  # fmt: skip
                old_status = measure.status
                for name, value in values.items():
                    setattr(measure, name, value)
                measure.save()
                if changed:
                    plan.record_edit(measure, user, [_verbose(n) for n in changed])
                    updated += 1
                if old_status != measure.status:
                    plan.notify_status_change(measure, old_status.name, "")
            by_number[row.number] = measure
            for year, amount in row.budgets.items():
                if amount is None:
                    Budget.objects.filter(measure=measure, year=year).delete()
                else:
                    Budget.objects.update_or_create(
                        measure=measure, year=year, defaults={"amount": amount}
                    )
    return created, updated


def _verbose(name: str) -> str:
    return str(Measure._meta.get_field(name).verbose_name)


def _date(text: str, column: str, problem) -> dt.date | None:
    if not text:
        return None
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text[:10], pattern).date()
        except ValueError:
            continue
    problem(column, _("„%(value)s“ ist kein Datum.") % {"value": text},
            _("Bitte als TT.MM.JJJJ schreiben, z. B. 31.12.2026."))  # fmt: skip
    return None


def _percent(text: str, problem) -> int | None:
    if not text:
        return None
    cleaned = text.replace("%", "").strip()
    if not cleaned.isdigit() or int(cleaned) > 100:
        problem(PROGRESS, _("„%(value)s“ ist kein Prozentwert von 0 bis 100.") % {"value": text},
                _("Leer lassen, dann gilt der Wert des Stands."))  # fmt: skip
        return None
    return int(cleaned)


def _amount(text: str, decimal_mark: str, column: str, problem) -> Decimal | None:
    if not text:
        return None
    cleaned = text.replace("€", "").replace(" ", "").strip()
    if decimal_mark == ",":
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = None
    if amount is None or amount < 0 or not amount.is_finite():
        problem(column, _("„%(value)s“ ist kein Betrag in Euro.") % {"value": text},
                _("Bitte eine Zahl ab 0 schreiben, z. B. 12.500,00."))  # fmt: skip
        return None
    return amount.quantize(Decimal("0.01"))
