"""Statistics tables → validated observations (area, year, indicator, value) in one frame.

Everything is checked at once and reported as German problems with file, line and column;
bad content never raises. All checks are vectorised masks over the long frame; Problem
objects are built only for the failing rows, at most ``max_listed`` per kind plus a summary.

Leading zeros: keys are read as text. A key that consists of digits only, is shorter than
the known keys and becomes a known key when padded with zeros ("1100101" → "01100101") has
lost its zeros in Excel (a number cell, or a CSV opened and saved in Excel); it is padded
and one warning says so. Any other unknown key is an error, with a suggestion when a known
key is one typo away.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

import polars as pl

from gemeinsinn.formats.layouts import LONG, Layout, detect_layout
from gemeinsinn.formats.numbers import (
    MISSING,
    SUPPRESSED,
    CellMarkers,
    cell_flag,
    detect_decimal_mark,
    number,
    number_hint,
)
from gemeinsinn.formats.problems import (
    MAX_LISTED,
    InputError,
    Problem,
    errors,
    german_count,
    with_overflow,
)
from gemeinsinn.formats.reader import Table, TableInfo, read_table
from gemeinsinn.formats.reporting import (
    MISSING_KEY,
    MISSING_KEY_HINT,
    TableReporter,
    not_a_number,
)
from gemeinsinn.formats.suggestions import Suggester

KINDS = ("count", "population", "share", "rate")
NON_NEGATIVE_KINDS = ("count", "population")
FIRST_YEAR, LAST_YEAR = 1900, 2100

OBSERVATION_SCHEMA = {
    "area_key": pl.String,
    "year": pl.Int64,
    "indicator": pl.String,
    "value": pl.Float64,
    "flag": pl.String,
    "line": pl.Int64,
    "column": pl.String,
}


@dataclass(frozen=True)
class ObservationSummary:
    rows: int  # observations, including suppressed and missing cells
    areas: int
    years: tuple[int, ...]
    indicators: tuple[str, ...]
    values: int  # cells with a number
    suppressed: int
    missing: int
    errors: int
    warnings: int


@dataclass(frozen=True)
class ParsedObservations:
    """``frame`` has the columns of OBSERVATION_SCHEMA, one row per cell, in file order:
    area_key, year (null when invalid), indicator, value (null unless a number), flag
    ("" | "suppressed" | "missing"), line (in the file), column (as messages name it)."""

    frame: pl.DataFrame
    problems: list[Problem]
    summary: ObservationSummary
    info: TableInfo | None = None  # None when the file could not be read as a table
    layout: str | None = None  # "long" or "wide"

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def parse_observations(
    data: bytes,
    filename: str,
    *,
    known_area_keys: Collection[str] | None,
    indicators: Mapping[str, str],
    year: int | None = None,
    key_column: str | None = None,
    ignore_columns: Collection[str] = (),
    sheet: str | int | None = None,
    suppressed_markers: tuple[str, ...] = (".", "*"),
    missing_markers: tuple[str, ...] = ("", "-"),
    sentinels: tuple[str, ...] = ("-9999",),
    max_listed: int = MAX_LISTED,
) -> ParsedObservations:
    """Read and validate a statistics table (CSV or spreadsheet, long or wide layout).

    ``known_area_keys``: the keys of the spatial level (None: not checked).
    ``indicators``: code → kind ("count", "population", "share" in percent, "rate").
    ``year``: the year of a table without a year column. ``key_column``: the key column's
    exact name when it is not one of the usual ones (Gebiet, Schlüssel, …).
    ``ignore_columns``: wide-layout columns that are not indicators (names are ignored anyway).
    """
    unknown_kinds = sorted(set(indicators.values()) - set(KINDS))
    if unknown_kinds:
        raise ValueError(f"unknown indicator kinds {unknown_kinds}; allowed: {KINDS}")
    markers = CellMarkers(suppressed_markers, missing_markers, sentinels)
    try:
        table = read_table(data, filename, sheet=sheet)
    except InputError as error:
        return _result(_empty_frame(), error.problems)
    layout = detect_layout(table.frame.columns, key_column=key_column, ignore=ignore_columns)
    report = TableReporter(table, max_listed)
    if not _structure_ok(table, layout, indicators, year, key_column, report):
        return _result(_empty_frame(), report.problems, table.info, layout.kind)
    table = _with_value_decimal_mark(table, layout, indicators)
    frame = _long_frame(table, layout, indicators, year, markers)
    if known_area_keys is not None:
        frame = _restore_leading_zeros(
            frame, set(known_area_keys), table.label(layout.area), report
        )
    _check_rows(frame, layout, indicators, known_area_keys, markers, report)
    return _result(frame.select(list(OBSERVATION_SCHEMA)), report.problems, table.info, layout.kind)


def _structure_ok(
    table: Table,
    layout: Layout,
    indicators: Mapping[str, str],
    year: int | None,
    key_column: str | None,
    report: TableReporter,
) -> bool:
    """Header-level checks; False when no observation can be read at all."""
    header = table.info.header_line
    columns = table.frame.columns
    available = ", ".join(f"„{c}“" for c in columns)
    if len(columns) == 1:
        report.add(
            f"Die Kopfzeile enthält nur eine Spalte („{columns[0]}“): das Trennzeichen "
            "wurde nicht erkannt.",
            "Die Spalten bitte mit Semikolon (;), Komma (,) oder Tabulator trennen.",
            line=header,
        )
        return False
    ok = True
    if layout.area is None:
        wanted = f"„{key_column}“" if key_column else "„Gebiet“, „Schlüssel“ oder „Raum“"
        report.add(
            f"Keine Spalte mit Gebietsschlüsseln gefunden (erwartet: {wanted}).",
            f"Vorhandene Spalten: {available}. Bitte die Schlüsselspalte entsprechend benennen.",
            line=header,
        )
        ok = False
    if layout.year is None and year is None:
        report.add(
            "Keine Spalte „Jahr“ gefunden und kein Jahr angegeben.",
            "Bitte eine Spalte „Jahr“ ergänzen oder beim Import das Jahr angeben.",
            line=header,
        )
        ok = False
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        report.add(
            f"Das angegebene Jahr {year} ist keine plausible Jahreszahl.",
            f"Bitte ein Jahr zwischen {FIRST_YEAR} und {LAST_YEAR} angeben.",
        )
        ok = False
    if layout.kind == LONG:
        for column in layout.extra:
            report.add(
                f"Die Spalte „{column}“ wird nicht eingelesen.",
                "Gelesen werden Gebiet, Jahr, Indikator und Wert; weitere Spalten bitte "
                "löschen, wenn die Warnung stört.",
                line=header,
                column=table.label(column),
                severity="warning",
            )
    else:
        unknown = [c for c in layout.value_columns if c not in indicators]
        suggester = Suggester(indicators)
        for column in unknown:
            report.add(
                f"Die Spalte „{column}“ ist kein bekannter Indikator.",
                _suggestion(suggester.closest(column))
                + "Bitte die Spalte umbenennen (bekannt sind z. B. "
                f"{_shortlist(sorted(indicators))}) oder, wenn sie keine Indikatorwerte enthält, "
                "löschen.",
                line=header,
                column=table.label(column),
            )
        if len(unknown) == len(layout.value_columns):
            report.add(
                "Die Tabelle enthält keine Spalte mit einem bekannten Indikator.",
                f"Bekannte Indikatoren: {_shortlist(sorted(indicators))}.",
                line=header,
            )
            ok = False
    if table.frame.height == 0:
        report.add(
            "Die Datei enthält keine Datenzeilen.",
            "Bitte unter der Kopfzeile eine Zeile je Gebiet (und Indikator) eintragen.",
        )
        ok = False
    return ok


def _with_value_decimal_mark(table: Table, layout: Layout, indicators: Mapping[str, str]) -> Table:
    """The decimal mark detected from the value columns only: keys such as "1.2" do not vote."""
    if layout.kind == LONG:
        columns = [layout.value]
    else:
        columns = [c for c in layout.value_columns if c in indicators]
    mark = detect_decimal_mark(table.frame.select(columns), table.info.separator)
    return replace(table, info=replace(table.info, decimal_mark=mark))


def _long_frame(
    table: Table,
    layout: Layout,
    indicators: Mapping[str, str],
    year: int | None,
    markers: CellMarkers,
) -> pl.DataFrame:
    """One row per cell: area_key, year_text, indicator, text, line, column, value, flag."""
    frame = table.frame.with_columns(pl.Series("__line", table.lines, dtype=pl.Int64))
    year_text = pl.col(layout.year) if layout.year else pl.lit(str(year), dtype=pl.String)
    if layout.kind == LONG:
        long = frame.select(
            pl.col(layout.area).alias("area_key"),
            year_text.alias("year_text"),
            pl.col(layout.indicator).alias("indicator"),
            pl.col(layout.value).alias("text"),
            pl.col("__line").alias("line"),
            pl.lit(table.label(layout.value)).alias("column"),
        )
    else:
        known = [c for c in layout.value_columns if c in indicators]
        long = (
            frame.select(
                pl.col(layout.area).alias("area_key"),
                year_text.alias("year_text"),
                pl.col("__line").alias("line"),
                *known,
            )
            .unpivot(
                on=known,
                index=["area_key", "year_text", "line"],
                variable_name="indicator",
                value_name="text",
            )
            .sort("line", maintain_order=True)
            .with_columns(
                pl.col("indicator")
                .replace_strict({c: table.label(c) for c in known})
                .alias("column")
            )
        )
    value = number(pl.col("text"), table.info.decimal_mark)
    return (
        long.with_columns(value.alias("number"))
        .with_columns(cell_flag(pl.col("text"), pl.col("number"), markers).alias("flag"))
        .with_columns(
            pl.when(pl.col("flag") == "").then(pl.col("number")).alias("value"),
            pl.when(pl.col("year_text").str.len_bytes() == 4)
            .then(pl.col("year_text").cast(pl.Int64, strict=False))
            .alias("year"),
        )
        .with_columns(
            pl.when(pl.col("year").is_between(FIRST_YEAR, LAST_YEAR)).then(pl.col("year"))
        )
    )


def _restore_leading_zeros(
    frame: pl.DataFrame, known: set[str], key_label: str, report: TableReporter
) -> pl.DataFrame:
    """Pad digit-only keys that become known keys by padding; one warning (module doc)."""
    widths = {len(key) for key in known}
    if len(widths) != 1:
        return frame
    width = widths.pop()
    key = pl.col("area_key")
    unknown = frame.filter(~key.is_in(list(known)))["area_key"]
    padded = {
        text: text.zfill(width)
        for text in unknown.drop_nulls().unique().to_list()
        if text.isdigit() and len(text) < width and text.zfill(width) in known
    }
    if not padded:
        return frame
    fixed = frame.filter(key.is_in(list(padded)))
    example = fixed.row(0, named=True)
    report.add(
        f"{german_count(fixed.height)} {'Wert' if fixed.height == 1 else 'Werte'} mit "
        f"Gebietsschlüsseln ohne führende Nullen, auf {width} Stellen ergänzt (z. B. Zeile "
        f"{example['line']}: „{example['area_key']}“ → „{padded[example['area_key']]}“).",
        "Die Schlüsselspalte bitte als Text speichern (Excel: Zellen formatieren → Text), "
        "damit führende Nullen erhalten bleiben.",
        column=key_label,
        severity="warning",
    )
    return frame.with_columns(key.replace(padded))


def _check_rows(
    frame: pl.DataFrame,
    layout: Layout,
    indicators: Mapping[str, str],
    known_area_keys: Collection[str] | None,
    markers: CellMarkers,
    report: TableReporter,
) -> None:
    label = report.table.label
    key_column = label(layout.area)
    year_column = label(layout.year) if layout.year else ""
    indicator_column = label(layout.indicator) if layout.indicator else ""

    value = pl.col("value")
    kind = pl.col("indicator").replace_strict(dict(indicators), default=None)
    masks = frame.select(
        missing_key=pl.col("area_key").is_null(),
        bad_year=pl.col("year").is_null(),
        missing_indicator=pl.col("indicator").is_null(),
        not_a_number=(pl.col("flag") == "") & value.is_null(),
        negative=kind.is_in(NON_NEGATIVE_KINDS) & (value < 0),
        share_out_of_range=(kind == "share") & ((value > 100) | (value < 0)),
    )
    counts = masks.sum().row(0, named=True)

    def failing(mask: str) -> pl.DataFrame:
        return frame.filter(masks[mask]) if counts[mask] else frame.clear()

    def at_value(row: dict) -> str:
        return row["column"]

    report.rows(failing("missing_key"), MISSING_KEY, MISSING_KEY_HINT, key_column)
    if known_area_keys is not None:
        _unknown_values(
            frame,
            "area_key",
            known_area_keys,
            (
                "Unbekannter Gebietsschlüssel",
                "weiterer unbekannter Gebietsschlüssel",
                "weitere unbekannte Gebietsschlüssel",
            ),
            key_column,
            report,
        )
    if layout.year:
        report.rows(
            failing("bad_year"),
            lambda row: (
                "Die Jahreszahl fehlt."
                if row["year_text"] is None
                else f"„{row['year_text']}“ ist keine gültige Jahreszahl."
            ),
            f"Bitte eine vierstellige Jahreszahl zwischen {FIRST_YEAR} und {LAST_YEAR} "
            "eintragen, z. B. 2021.",
            year_column,
        )
    if layout.kind == LONG:
        report.rows(
            failing("missing_indicator"),
            "Der Indikatorcode fehlt.",
            "Bitte den Code eintragen oder die Zeile löschen.",
            indicator_column,
        )
        _unknown_values(
            frame,
            "indicator",
            indicators,
            (
                "Unbekannter Indikatorcode",
                "weiterer unbekannter Indikatorcode",
                "weitere unbekannte Indikatorcodes",
            ),
            indicator_column,
            report,
        )
    _duplicates(frame, layout, report)
    report.rows(
        failing("not_a_number"),
        lambda row: not_a_number(row["text"]),
        number_hint(report.table.info.decimal_mark, markers),
        at_value,
    )
    report.rows(
        failing("negative"),
        lambda row: f"Negativer Wert {row['text']} für „{row['indicator']}“ (eine Anzahl).",
        "Anzahlen können nicht negativ sein: bitte den Wert prüfen.",
        at_value,
    )
    report.rows(
        failing("share_out_of_range"),
        lambda row: (
            f"Der Anteil {row['text']} für „{row['indicator']}“ liegt nicht zwischen 0 und 100."
        ),
        "Anteile bitte in Prozent (0 bis 100) angeben; ein Anteil über 100 % deutet auf "
        "vertauschte Zähler und Nenner hin.",
        at_value,
    )


def _unknown_values(
    frame: pl.DataFrame,
    column: str,
    known: Collection[str],
    wording: tuple[str, str, str],
    location: str,
    report: TableReporter,
) -> None:
    """One problem per unknown value (not per row), with its first line and a suggestion.

    ``wording``: the message start, and the overflow line's singular and plural,
    e.g. ("Unbekannter Gebietsschlüssel", "weiterer unbekannter Gebietsschlüssel", …).
    """
    unknown = (
        frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(list(known)))
        .group_by(column)
        .agg(pl.col("line").min(), pl.len().alias("count"))
        .sort("line")
    )
    if unknown.height == 0:
        return
    suggester = Suggester(known)
    hint_known = f"Bitte korrigieren; bekannt sind z. B. {_shortlist(sorted(known))}."
    listed = []
    for row in unknown.head(report.limit).iter_rows(named=True):
        others = row["count"] - 1
        also = f" (auch in {german_count(others)} weiteren Zeilen)" if others else ""
        hint = _suggestion(suggester.closest(row[column])) + hint_known
        listed.append(
            Problem(
                f"{wording[0]} „{row[column]}“{also}.", report.file, row["line"], location, hint
            )
        )
    report.problems += with_overflow(
        listed, unknown.height, file=report.file, hint=hint_known, unit=wording[1:]
    )


def _duplicates(frame: pl.DataFrame, layout: Layout, report: TableReporter) -> None:
    if layout.kind == LONG:
        what = "Indikator „{indicator}“ für Gebiet „{area_key}“, Jahr {year}"
    else:
        what = "Gebiet „{area_key}“, Jahr {year}"
    report.duplicates(
        frame,
        ["area_key", "year", "indicator"],
        lambda row: what.format(**row),
        report.table.label(layout.area),
    )


def _suggestion(candidate: str | None) -> str:
    return f"Meinten Sie „{candidate}“? " if candidate else ""


def _shortlist(values: list[str], limit: int = 10) -> str:
    shown = ", ".join(values[:limit])
    return shown if len(values) <= limit else f"{shown} … ({german_count(len(values))} insgesamt)"


def _empty_frame() -> pl.DataFrame:
    return pl.DataFrame(schema=OBSERVATION_SCHEMA)


def _result(
    frame: pl.DataFrame,
    problems: list[Problem],
    info: TableInfo | None = None,
    layout: str | None = None,
) -> ParsedObservations:
    counts = frame.select(
        pl.col("area_key").drop_nulls().n_unique().alias("areas"),
        pl.col("value").is_not_null().sum().alias("values"),
        (pl.col("flag") == SUPPRESSED).sum().alias("suppressed"),
        (pl.col("flag") == MISSING).sum().alias("missing"),
    ).row(0, named=True)
    error_count = len(errors(problems))
    summary = ObservationSummary(
        rows=frame.height,
        areas=counts["areas"],
        years=tuple(sorted(frame["year"].drop_nulls().unique().to_list())),
        indicators=tuple(sorted(frame["indicator"].drop_nulls().unique().to_list())),
        values=counts["values"],
        suppressed=counts["suppressed"],
        missing=counts["missing"],
        errors=error_count,
        warnings=len(problems) - error_count,
    )
    return ParsedObservations(frame, problems, summary, info, layout)
