"""Reading and writing the selection files: PEOPLE.csv, QUOTAS.csv, results.

Every check reports all problems at once (file, line, column, how to fix), in German,
before any solving. Values are matched case-insensitively, ignoring surrounding spaces
and the Unicode form of umlauts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gemeinsinn.formats.problems import InputError, Problem
from gemeinsinn.sortition.model import Pool, Quota, group_quotas, normalize

QUOTA_HEADERS = (
    ("feature", "value", "min", "max"),
    ("category", "feature", "min", "max"),  # the research data of Flanigan et al. (2021)
)


@dataclass
class CsvTable:
    name: str  # file name for messages
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    delimiter: str
    encoding: str


def read_csv(path: str | Path, problems: list[Problem]) -> CsvTable | None:
    """Read a CSV file (UTF-8 with or without BOM; Windows-1252 as fallback; separator
    comma, semicolon or tab, taken from the header line). Problems go to `problems`."""
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        problems.append(
            Problem(
                f"Datei kann nicht gelesen werden ({error.strerror or error}).",
                file=str(path),
                hint="Bitte Pfad und Leserechte prüfen.",
            )
        )
        return None
    encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp1252"
        text = data.decode(encoding, errors="replace")
        problems.append(
            Problem(
                "Datei ist nicht UTF-8-kodiert; sie wurde als Windows-1252 gelesen.",
                file=name,
                hint="Bitte die Datei als CSV (UTF-8) speichern, damit Umlaute sicher stimmen.",
                severity="warning",
            )
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for record in reader:
            start = line
            line = reader.line_num + 1
            if header is None:
                header = [cell.strip() for cell in record]
                continue
            if not any(cell.strip() for cell in record):
                continue  # empty lines are ignored
            rows.append((start, record))
    except csv.Error as error:
        problems.append(
            Problem(
                f"CSV-Format fehlerhaft: {error}.",
                file=name,
                line=line,
                hint="Bitte Anführungszeichen und Trennzeichen in dieser Zeile prüfen.",
            )
        )
        return None
    if not header or not any(header):
        problems.append(Problem("Die Datei ist leer oder hat keine Kopfzeile.", file=name, line=1))
        return None
    return CsvTable(name, header, rows, delimiter, encoding)


def _column_index(table: CsvTable) -> dict[str, int]:
    index: dict[str, int] = {}
    for j, column in enumerate(table.header):
        index.setdefault(normalize(column), j)
    return index


def _duplicate_header_problems(table: CsvTable) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for column in table.header:
        key = normalize(column)
        if key and key in seen:
            problems.append(
                Problem(
                    f"Spaltenname {column!r} kommt mehrfach vor.",
                    file=table.name,
                    line=1,
                    column=column,
                    hint="Bitte jede Spalte eindeutig benennen.",
                )
            )
        seen[key] = column
    return problems


def _parse_count(text: str) -> int | None:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def read_quotas(path: str | Path, problems: list[Problem]) -> list[Quota]:
    """Parse QUOTAS.csv (`feature,value,min,max[,min_flex,max_flex]` or
    `category,feature,min,max`). Problems go to `problems`."""
    table = read_csv(path, problems)
    if table is None:
        return []
    problems.extend(_duplicate_header_problems(table))
    columns = _column_index(table)
    layout = next((h for h in QUOTA_HEADERS if all(c in columns for c in h)), None)
    if layout is None:
        problems.append(
            Problem(
                "Kopfzeile der Quotendatei nicht erkannt: " + ", ".join(table.header) + ".",
                file=table.name,
                line=1,
                hint="Erwartet werden die Spalten feature,value,min,max (optional "
                "min_flex,max_flex) oder category,feature,min,max.",
            )
        )
        return []
    feature_col, value_col, min_col, max_col = (columns[c] for c in layout)
    flex_cols = {c: columns[c] for c in ("min_flex", "max_flex") if c in columns}
    quotas: list[Quota] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in table.rows:
        cells = cells + [""] * (len(table.header) - len(cells))
        row_ok = True
        if len(cells) > len(table.header) and any(c.strip() for c in cells[len(table.header) :]):
            problems.append(
                Problem(
                    f"Zeile hat {len(cells)} Felder, die Kopfzeile nur {len(table.header)}.",
                    file=table.name,
                    line=line,
                    hint="Bitte überzählige Trennzeichen entfernen.",
                )
            )
        text = {}
        for key, j in (("feature", feature_col), ("value", value_col)):
            text[key] = cells[j].strip()
            if not text[key]:
                row_ok = False
                problems.append(
                    Problem(
                        "Leere Zelle.",
                        file=table.name,
                        line=line,
                        column=table.header[j],
                        hint="Bitte Merkmal und Ausprägung eintragen.",
                    )
                )
        numbers: dict[str, int | None] = {}
        for key, j in (("min", min_col), ("max", max_col), *flex_cols.items()):
            raw = cells[j].strip()
            if not raw:
                if key in flex_cols:
                    numbers[key] = None
                    continue
                row_ok = False
                problems.append(
                    Problem(
                        "Leere Zelle.",
                        file=table.name,
                        line=line,
                        column=table.header[j],
                        hint="Bitte eine ganze Zahl ab 0 eintragen.",
                    )
                )
                continue
            value = _parse_count(raw)
            if value is None or value < 0:
                row_ok = False
                problems.append(
                    Problem(
                        f"{raw!r} ist keine ganze Zahl ab 0.",
                        file=table.name,
                        line=line,
                        column=table.header[j],
                        hint="Bitte eine ganze Zahl ab 0 eintragen.",
                    )
                )
                continue
            numbers[key] = value
        if not row_ok:
            continue
        lo, hi = numbers["min"], numbers["max"]
        if lo > hi:
            problems.append(
                Problem(
                    f"Mindestwert {lo} ist größer als Höchstwert {hi} "
                    f"({text['feature']} = {text['value']}).",
                    file=table.name,
                    line=line,
                    column=table.header[min_col],
                    hint="Bitte min ≤ max eintragen.",
                )
            )
            continue
        min_flex, max_flex = numbers.get("min_flex"), numbers.get("max_flex")
        if min_flex is not None and min_flex > lo:
            problems.append(
                Problem(
                    f"min_flex {min_flex} ist größer als der Mindestwert {lo}.",
                    file=table.name,
                    line=line,
                    column=table.header[flex_cols["min_flex"]],
                    hint="min_flex gibt an, wie weit der Mindestwert höchstens gesenkt werden "
                    "darf; er muss ≤ min sein.",
                )
            )
            continue
        if max_flex is not None and max_flex < hi:
            problems.append(
                Problem(
                    f"max_flex {max_flex} ist kleiner als der Höchstwert {hi}.",
                    file=table.name,
                    line=line,
                    column=table.header[flex_cols["max_flex"]],
                    hint="max_flex gibt an, wie weit der Höchstwert höchstens erhöht werden "
                    "darf; er muss ≥ max sein.",
                )
            )
            continue
        key = (normalize(text["feature"]), normalize(text["value"]))
        if key in seen:
            problems.append(
                Problem(
                    f"Quote für {text['feature']} = {text['value']} ist doppelt "
                    f"(schon in Zeile {seen[key]}).",
                    file=table.name,
                    line=line,
                    hint="Bitte jede Ausprägung nur einmal aufführen.",
                )
            )
            continue
        seen[key] = line
        quotas.append(Quota(text["feature"], text["value"], lo, hi, min_flex, max_flex, line))
    if not quotas and not any(p.file == table.name for p in problems):
        problems.append(
            Problem(
                "Die Quotendatei enthält keine Quoten.",
                file=table.name,
                hint="Bitte je Merkmal und Ausprägung eine Zeile feature,value,min,max anlegen.",
            )
        )
    return quotas


@dataclass
class PeopleFile:
    """The volunteers as read, kept for writing PANEL.csv with the original rows."""

    pool: Pool
    table: CsvTable
    quotas_name: str
    id_column: str | None
    household_columns: tuple[str, ...]
    warnings: list[Problem]

    def row(self, i: int) -> list[str]:
        return self.table.rows[i][1]

    def line(self, i: int) -> int:
        return self.table.rows[i][0]


def load_selection(
    people_path: str | Path,
    quotas_path: str | Path,
    panel_size: int,
    id_column: str | None = None,
    household_columns: Sequence[str] = (),
) -> PeopleFile:
    """Read and validate both files; raise `InputError` with every problem found (unknown
    values, duplicate ids, blank cells, missing columns; with them the quota sums that
    cannot add up to the panel size). When the files are readable, the quota arithmetic
    and the exact feasibility check follow in `feasibility.check_feasibility`, which
    reports all of its problems at once together with relaxation suggestions."""
    from gemeinsinn.sortition.feasibility import quota_sum_problems

    problems: list[Problem] = []
    quotas = read_quotas(quotas_path, problems)
    table = read_csv(people_path, problems)
    if panel_size < 1:
        problems.append(
            Problem(
                f"Gremiengröße {panel_size} ist ungültig.",
                hint="Bitte mit --size eine ganze Zahl ab 1 angeben.",
            )
        )
    quotas_name = Path(quotas_path).name
    features, values, grouped = group_quotas(quotas)
    if table is None or not quotas:
        raise InputError(problems + quota_sum_problems(features, grouped, panel_size, quotas_name))
    columns = _column_index(table)
    problems.extend(_duplicate_header_problems(table))
    header_text = ", ".join(table.header)

    def find_column(name: str, what: str, hint: str) -> int | None:
        j = columns.get(normalize(name))
        if j is None:
            problems.append(
                Problem(
                    f"Spalte {name!r} ({what}) fehlt in der Personendatei.",
                    file=table.name,
                    line=1,
                    hint=f"{hint} Vorhandene Spalten: {header_text}.",
                )
            )
        return j

    feature_cols = [
        find_column(
            feature,
            "Merkmal aus der Quotendatei",
            "Bitte die Spalte ergänzen oder das Merkmal in der Quotendatei umbenennen.",
        )
        for feature in features
    ]
    id_col = None
    if id_column is not None:
        id_col = find_column(id_column, "Kennung", "Bitte --id-column anpassen.")
    household_cols = [
        find_column(name, "Haushalt", "Bitte --household-columns anpassen.")
        for name in household_columns
    ]
    lookup = [{normalize(v): j for j, v in enumerate(vals)} for vals in values]
    n = len(table.rows)
    profile = np.zeros((n, len(features)), dtype=np.int64)
    ids: list[str] = []
    first_line_of_id: dict[str, int] = {}
    household_keys: list[tuple[str, ...]] = []
    width = len(table.header)
    for i, (line, cells) in enumerate(table.rows):
        if len(cells) != width:
            problems.append(
                Problem(
                    f"Zeile hat {len(cells)} Felder, die Kopfzeile {width}.",
                    file=table.name,
                    line=line,
                    hint="Bitte fehlende oder überzählige Trennzeichen in dieser Zeile prüfen.",
                )
            )
        cells = cells + [""] * (width - len(cells))

        def blank(j: int, what: str, line: int = line) -> None:
            problems.append(
                Problem(
                    "Leere Zelle.",
                    file=table.name,
                    line=line,
                    column=table.header[j],
                    hint=f"Bitte {what} eintragen.",
                )
            )

        if id_col is not None:
            person_id = cells[id_col].strip()
            if not person_id:
                blank(id_col, "eine eindeutige Kennung")
            elif person_id in first_line_of_id:
                problems.append(
                    Problem(
                        f"Kennung {person_id!r} ist doppelt (schon in Zeile "
                        f"{first_line_of_id[person_id]}).",
                        file=table.name,
                        line=line,
                        column=table.header[id_col],
                        hint="Jede Person braucht eine eigene Kennung.",
                    )
                )
            else:
                first_line_of_id[person_id] = line
        else:
            person_id = str(i + 1)
        ids.append(person_id)
        for f, j in enumerate(feature_cols):
            if j is None:
                continue
            raw = cells[j]
            if not raw.strip():
                blank(j, f"eine Ausprägung von {features[f]!r}")
                continue
            index = lookup[f].get(normalize(raw))
            if index is None:
                problems.append(
                    Problem(
                        f"Unbekannte Ausprägung {raw.strip()!r} für Merkmal {features[f]!r}.",
                        file=table.name,
                        line=line,
                        column=table.header[j],
                        hint="In der Quotendatei vorgesehen: "
                        + ", ".join(values[f])
                        + ". Bitte den Wert korrigieren oder eine Quote dafür anlegen.",
                    )
                )
                continue
            profile[i, f] = index
        key = []
        for j in household_cols:
            if j is None:
                continue
            if not cells[j].strip():
                blank(j, "die Adressangabe für die Haushaltsregel")
            key.append(normalize(cells[j]))
        household_keys.append(tuple(key))
    if n == 0:
        problems.append(
            Problem(
                "Die Personendatei enthält keine Personen.",
                file=table.name,
                hint="Bitte unter der Kopfzeile je Person eine Zeile eintragen.",
            )
        )
    if any(p.severity == "error" for p in problems):
        # report the quota sums too, so that one run shows everything that is wrong
        raise InputError(problems + quota_sum_problems(features, grouped, panel_size, quotas_name))
    problems.extend(_unused_quota_warnings(grouped, profile, quotas_name))
    household = None
    if household_columns:
        numbers: dict[tuple[str, ...], int] = {}
        household = np.array(
            [numbers.setdefault(key, len(numbers)) for key in household_keys], dtype=np.int64
        )
    pool = Pool(
        ids=tuple(ids),
        features=features,
        values=values,
        quotas=grouped,
        profile=profile,
        panel_size=panel_size,
        household=household,
    )
    return PeopleFile(pool, table, quotas_name, id_column, tuple(household_columns), problems)


def _unused_quota_warnings(
    quotas: tuple[tuple[Quota, ...], ...], profile: np.ndarray, quotas_name: str
) -> list[Problem]:
    """A quota value that no volunteer has is often a typing error. With a minimum above 0
    the feasibility check reports it as an error; with minimum 0 it is only pointed out."""
    warnings = []
    for f, group in enumerate(quotas):
        counts = np.bincount(profile[:, f], minlength=len(group))
        for v, q in enumerate(group):
            if counts[v] == 0 and q.min == 0:
                warnings.append(
                    Problem(
                        f"Für {q.feature} = {q.value} gibt es keine Freiwilligen; "
                        "die Quote bleibt ohne Wirkung.",
                        file=quotas_name,
                        line=q.line,
                        hint="Bitte prüfen, ob die Ausprägung richtig geschrieben ist.",
                        severity="warning",
                    )
                )
    return warnings


def format_probability(value: float) -> str:
    return f"{min(max(value, 0.0), 1.0):.10f}"


def write_probabilities(path: str | Path, ids: Sequence[str], probabilities: np.ndarray) -> None:
    """PROBS.csv: `id,probability`, one row per volunteer in input order."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "probability"])
        for person_id, p in zip(ids, probabilities, strict=True):
            writer.writerow([person_id, format_probability(float(p))])


def write_panel(path: str | Path, people: PeopleFile, selected: Sequence[int]) -> None:
    """PANEL.csv: the selected people's rows as in PEOPLE.csv (same header), in input order."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=people.table.delimiter, lineterminator="\n")
        writer.writerow(people.table.header)
        for i in sorted(selected):
            writer.writerow(people.row(i))
