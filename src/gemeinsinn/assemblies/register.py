"""Reading a register extract (Melderegister-Auszug) for the invitations of a Bürgerrat.

Each resident's district comes from a district column, or, when the registration office
exports none, from the city's street directory (Straßenverzeichnis: street, optional
house-number range, district). Every problem is reported at once with line and column;
nothing is stored from a file with errors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area
from gemeinsinn.formats.problems import InputError, Problem
from gemeinsinn.formats.reader import Table, read_table
from gemeinsinn.sortition.model import normalize

# column → accepted header names (matched like the sortition files: case and spaces ignored)
REGISTER_COLUMNS = {
    "id": ("id", "kennung", "ordnungsmerkmal"),
    "first_name": ("vorname", "first name", "first_name"),
    "last_name": ("nachname", "familienname", "last name", "last_name"),
    "street": ("straße", "strasse", "street"),
    "house_number": ("hausnummer", "hausnr", "house number", "house_number"),
    "postcode": ("plz", "postleitzahl", "postcode"),
    "city": ("ort", "wohnort", "city"),
    "birth_year": ("geburtsjahr", "birth year", "birth_year"),
    "gender": ("geschlecht", "gender"),
    "district": ("gebiet", "stadtteil", "district", "bezirk", "sozialraum"),
}
DIRECTORY_COLUMNS = {
    "street": REGISTER_COLUMNS["street"],
    "district": REGISTER_COLUMNS["district"],
    "first": ("hausnummer von", "von", "from"),
    "last": ("hausnummer bis", "bis", "to"),
}
COLUMN_LABELS = {
    "id": "id", "first_name": "Vorname", "last_name": "Nachname", "street": "Straße",
    "house_number": "Hausnummer", "postcode": "PLZ", "city": "Ort",
    "birth_year": "Geburtsjahr", "gender": "Geschlecht", "district": "Gebiet",
    "first": "Hausnummer von", "last": "Hausnummer bis",
}  # fmt: skip
OPTIONAL = {"gender", "first", "last"}
_LEADING_NUMBER = re.compile(r"\s*(\d+)")


@dataclass(frozen=True)
class Resident:
    line: int
    register_id: str
    first_name: str
    last_name: str
    street: str
    house_number: str
    postcode: str
    city: str
    birth_year: int
    gender: str
    area_id: int

    def household(self) -> tuple[str, str, str]:
        return (normalize(self.street), normalize(self.house_number), normalize(self.postcode))


def _columns(
    table: Table, filename: str, wanted: dict, optional: set[str], problems: list[Problem]
) -> dict[str, str]:
    """Column of each wanted key; a problem for each missing required one."""
    by_name = {normalize(c): c for c in table.frame.columns}
    columns = {}
    for key, names in wanted.items():
        found = next((by_name[normalize(n)] for n in names if normalize(n) in by_name), None)
        if found is not None:
            columns[key] = found
        elif key not in optional:
            problems.append(
                Problem(
                    _("Spalte „%(column)s“ fehlt.") % {"column": COLUMN_LABELS[key]},
                    file=filename,
                    line=table.info.header_line,
                    hint=_("Erwartet werden: %(columns)s. Vorhanden: %(found)s.")
                    % {
                        "columns": ", ".join(COLUMN_LABELS[k] for k in wanted),
                        "found": ", ".join(table.frame.columns),
                    },
                )
            )
    return columns


def _area_lookup(level) -> dict[str, int]:
    areas = Area.objects.filter(level=level)
    return {normalize(a.key): a.pk for a in areas} | {normalize(a.name): a.pk for a in areas}


def _unknown_area(value: str, level) -> tuple[str, str]:
    return (
        _("Gebiet „%(value)s“ ist unbekannt.") % {"value": value},
        _("Bitte Schlüssel oder Name eines Gebiets der Ebene „%(level)s“ angeben.")
        % {"level": level.name},
    )


def house_number(text: str) -> int | None:
    """The number of a house number such as "12a" or "12 - 14" (12)."""
    match = _LEADING_NUMBER.match(text or "")
    return int(match.group(1)) if match else None


@dataclass
class StreetDirectory:
    """Street → [(first house number or None, last or None, area id)]."""

    streets: dict[str, list[tuple[int | None, int | None, int]]]

    def area_for(self, street: str, number: str) -> int | None:
        n = house_number(number)
        for first, last, area_id in self.streets.get(normalize(street), []):
            if first is None or (n is not None and first <= n <= last):
                return area_id
        return None


def read_street_directory(data: bytes, filename: str, level) -> StreetDirectory:
    """Read a street directory: Straße, Gebiet and optionally Hausnummer von / bis."""
    table = read_table(data, filename)
    problems = [p for p in table.problems if p.severity == "error"]
    columns = _columns(table, filename, DIRECTORY_COLUMNS, OPTIONAL, problems)
    if problems:
        raise InputError(problems)
    area_of = _area_lookup(level)
    streets: dict[str, list] = {}
    rows = table.frame.select(list(columns.values())).rows()
    for line, row in zip(table.lines.tolist(), rows, strict=True):
        cells = dict(zip(columns, row, strict=True))

        def problem(key, message, hint="", line=line):
            problems.append(
                Problem(message, file=filename, line=line, column=columns[key], hint=hint)
            )

        for key in ("street", "district"):
            if not cells[key]:
                problem(key, _("Leere Zelle."), _("Bitte einen Wert eintragen."))
        area_id = area_of.get(normalize(cells["district"] or ""))
        if cells["district"] and area_id is None:
            problem("district", *_unknown_area(cells["district"], level))
        bounds = [cells.get("first"), cells.get("last")]
        numbers = [house_number(b) if b else None for b in bounds]
        if any(bounds) and (None in numbers or numbers[0] > numbers[1]):
            problem(
                "first" if "first" in columns else "last",
                _("Hausnummernbereich „%(first)s“ bis „%(last)s“ ist ungültig.")
                % {"first": bounds[0] or "", "last": bounds[1] or ""},
                _("Bitte beide Nummern angeben, die kleinere zuerst, oder beide leer lassen."),
            )
        elif cells["street"] and area_id is not None:
            streets.setdefault(normalize(cells["street"]), []).append((*numbers, area_id))
    if problems:
        raise InputError(problems)
    return StreetDirectory(streets)


def read_register(
    data: bytes, filename: str, assembly, directory: StreetDirectory | None = None
) -> list[Resident]:
    """Read a register extract; raise `InputError` with every problem (line, column). Without
    a district column, `directory` gives each address its district."""
    table = read_table(data, filename)
    problems = [p for p in table.problems if p.severity == "error"]
    optional = OPTIONAL | ({"district"} if directory is not None else set())
    columns = _columns(table, filename, REGISTER_COLUMNS, optional, problems)
    if problems:
        raise InputError(problems)
    level = assembly.district_level
    area_of = _area_lookup(level)
    this_year = timezone.localdate().year
    seen: dict[str, int] = {}
    residents = []
    rows = table.frame.select(list(columns.values())).rows()
    for line, row in zip(table.lines.tolist(), rows, strict=True):
        cells = dict(zip(columns, row, strict=True))
        before = len(problems)

        def problem(key: str, message: str, hint: str = "", line=line) -> None:
            problems.append(
                Problem(message, file=filename, line=line, column=columns[key], hint=hint)
            )

        for key, value in cells.items():
            if key not in optional and not value:
                problem(key, _("Leere Zelle."), _("Bitte einen Wert eintragen."))
        register_id = cells["id"] or ""
        if register_id in seen:
            problem(
                "id",
                _("Kennung „%(id)s“ ist doppelt (schon in Zeile %(line)d).")
                % {"id": register_id, "line": seen[register_id]},
                _("Jede Person braucht eine eigene Kennung."),
            )
        elif register_id:
            seen[register_id] = line
        year = house_number(cells["birth_year"] or "")
        if cells["birth_year"] and (
            not (cells["birth_year"] or "").strip().isdigit()
            or not this_year - 120 <= (year or 0) <= this_year
        ):
            problem(
                "birth_year",
                _("Geburtsjahr „%(value)s“ ist kein gültiges Jahr.")
                % {"value": cells["birth_year"]},
                _("Bitte vierstellig angeben, z. B. 1975."),
            )
        area_id = None
        if cells.get("district"):
            area_id = area_of.get(normalize(cells["district"]))
            if area_id is None:
                problem("district", *_unknown_area(cells["district"], level))
        elif directory is not None and cells["street"]:
            area_id = directory.area_for(cells["street"], cells["house_number"] or "")
            if area_id is None:
                problem(
                    "street",
                    _("Die Adresse „%(street)s %(number)s“ steht nicht im Straßenverzeichnis.")
                    % {"street": cells["street"], "number": cells["house_number"] or ""},
                    _("Bitte das Straßenverzeichnis ergänzen oder das Gebiet angeben."),
                )
        if len(problems) == before:
            residents.append(
                Resident(
                    line,
                    register_id,
                    cells["first_name"],
                    cells["last_name"],
                    cells["street"],
                    cells["house_number"],
                    cells["postcode"],
                    cells["city"],
                    year,
                    cells.get("gender") or "",
                    area_id,
                )  # fmt: skip
            )
    if not problems and not residents:
        problems.append(
            Problem(
                _("Die Datei enthält keine Personen."), file=filename, line=table.info.header_line
            )
        )
    if problems:
        raise InputError(problems)
    return residents
