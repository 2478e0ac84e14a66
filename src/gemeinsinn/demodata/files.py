"""The demo city as files, in the shapes a planning office delivers them: GeoJSON
boundaries per level (WGS84), the statistics as a long German CSV for all years and
as a wide XLSX sheet for the latest year. Every byte is deterministic."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.xml.functions import tostring

from .geography import DECIMALS
from .model import FOERDERGEBIET, SOZIALRAUM, STADT, STADTTEIL, DemoArea, DemoCity

BOUNDARY_FILES = (
    (STADT, "musterstadt_stadt.geojson"),
    (STADTTEIL, "musterstadt_stadtteile.geojson"),
    (SOZIALRAUM, "musterstadt_sozialraeume.geojson"),
    (FOERDERGEBIET, "musterstadt_foerdergebiete.geojson"),
)
CSV_HEADER = ("Gebiet", "Jahr", "Merkmal", "Wert")
SUPPRESSED_MARK = "."
XLSX_SHEET = "Daten"
BOM = "\ufeff"
# fixed time stamp for the XLSX package (zip entries and document properties)
FIXED_TIMESTAMP = (2026, 1, 15, 8, 0, 0)


def csv_name(city: DemoCity) -> str:
    years = city.statistics.years
    return f"musterstadt_statistik_{years[0]}_{years[-1]}.csv"


def xlsx_name(city: DemoCity) -> str:
    return f"musterstadt_statistik_{city.latest_year}.xlsx"


# --- GeoJSON -------------------------------------------------------------------------------


def _ring(coordinates) -> str:
    return "[" + ",".join(f"[{x:.{DECIMALS}f},{y:.{DECIMALS}f}]" for x, y in coordinates) + "]"


def _polygon(polygon) -> str:
    rings = [polygon.exterior, *polygon.interiors]
    return (
        '{"type":"Polygon","coordinates":[' + ",".join(_ring(ring.coords) for ring in rings) + "]}"
    )


def geojson_bytes(areas: list[DemoArea], collection_name: str) -> bytes:
    """A FeatureCollection (RFC 7946: WGS84, counter-clockwise outer rings), one
    feature per line, properties key, name and parent_key (where there is a parent)."""
    features = []
    for area in areas:
        properties = {"key": area.key, "name": area.name}
        if area.parent_key is not None:
            properties["parent_key"] = area.parent_key
        features.append(
            '{"type":"Feature","properties":'
            + json.dumps(properties, ensure_ascii=False, separators=(",", ":"))
            + ',"geometry":'
            + _polygon(area.geometry)
            + "}"
        )
    text = (
        '{"type":"FeatureCollection","name":'
        + json.dumps(collection_name, ensure_ascii=False)
        + ',"features":[\n'
        + ",\n".join(features)
        + "\n]}\n"
    )
    return text.encode("utf-8")


# --- statistics ------------------------------------------------------------------------------


def _cell(value: int | None) -> str:
    return SUPPRESSED_MARK if value is None else str(value)


def csv_bytes(city: DemoCity) -> bytes:
    """Long layout, German spreadsheet conventions: ';' separated, UTF-8 with BOM, CRLF,
    keys as text with their leading zeros, '.' for cells suppressed at the source.
    All values are whole numbers; there are no thousands separators."""
    statistics = city.statistics
    lines = [";".join(CSV_HEADER)]
    for key in statistics.area_keys:
        for year in statistics.years:
            for variable in statistics.variables:
                value = statistics.value(key, year, variable)
                lines.append(f"{key};{year};{variable};{_cell(value)}")
    return (BOM + "\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_bytes(city: DemoCity, year: int | None = None) -> bytes:
    """Wide layout for one year (default: the latest): sheet "Daten", column A "Gebiet"
    as text, one column per count variable, no year column."""
    statistics = city.statistics
    year = city.latest_year if year is None else year
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = XLSX_SHEET
    sheet.append(["Gebiet", *statistics.variables])
    for key in statistics.area_keys:
        row = [statistics.value(key, year, variable) for variable in statistics.variables]
        sheet.append([key, *[SUPPRESSED_MARK if value is None else value for value in row]])
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.number_format = "@"  # text: keeps the leading zero when edited in Excel
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 10
    _fix_properties(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _normalised_zip(buffer.getvalue(), workbook)


def _fix_properties(workbook: Workbook) -> None:
    moment = datetime.datetime(*FIXED_TIMESTAMP)
    properties = workbook.properties
    properties.creator = "gemeinsinn Demodaten"
    properties.title = "Musterstadt – Sozialstatistik (fiktiv)"
    properties.created = moment
    properties.modified = moment


def _normalised_zip(data: bytes, workbook: Workbook) -> bytes:
    """openpyxl stamps the save time into the zip entries and docProps/core.xml; write
    the same package again with a fixed time so the bytes never change."""
    _fix_properties(workbook)
    core = tostring(workbook.properties.to_tree())
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = core if info.filename == "docProps/core.xml" else source.read(info)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return output.getvalue()


# --- all files ---------------------------------------------------------------------------------


def render_files(city: DemoCity) -> dict[str, bytes]:
    """File name -> content, in import order: boundaries top-down, then statistics."""
    files: dict[str, bytes] = {}
    for level, name in BOUNDARY_FILES:
        files[name] = geojson_bytes(city.areas_of(level), name.removesuffix(".geojson"))
    files[csv_name(city)] = csv_bytes(city)
    files[xlsx_name(city)] = xlsx_bytes(city)
    return files


@dataclass(frozen=True)
class DemoFiles:
    """The written files and the city they were made from."""

    directory: Path
    stadt: Path
    stadtteile: Path
    sozialraeume: Path
    foerdergebiete: Path
    statistik_csv: Path
    statistik_xlsx: Path
    city: DemoCity

    @property
    def boundaries(self) -> dict[str, Path]:
        """Level code -> GeoJSON path, parents before children, target areas last."""
        return {
            STADT: self.stadt,
            STADTTEIL: self.stadtteile,
            SOZIALRAUM: self.sozialraeume,
            FOERDERGEBIET: self.foerdergebiete,
        }

    @property
    def statistics(self) -> tuple[tuple[Path, int | None], ...]:
        """(path, year) in import order: the long CSV carries its years in a column
        (None), the wide XLSX holds one year without a year column."""
        return ((self.statistik_csv, None), (self.statistik_xlsx, self.latest_year))

    @property
    def paths(self) -> tuple[Path, ...]:
        return (*self.boundaries.values(), self.statistik_csv, self.statistik_xlsx)

    @property
    def latest_year(self) -> int:
        return self.city.latest_year

    @property
    def boundaries_valid_from(self) -> str:
        """ISO date from which the boundaries are valid."""
        return self.city.boundaries_valid_from


def write_files(city: DemoCity, directory: Path) -> DemoFiles:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    contents = render_files(city)
    for name, content in contents.items():
        (directory / name).write_bytes(content)
    boundary = {level: directory / name for level, name in BOUNDARY_FILES}
    return DemoFiles(
        directory=directory,
        stadt=boundary[STADT],
        stadtteile=boundary[STADTTEIL],
        sozialraeume=boundary[SOZIALRAUM],
        foerdergebiete=boundary[FOERDERGEBIET],
        statistik_csv=directory / csv_name(city),
        statistik_xlsx=directory / xlsx_name(city),
        city=city,
    )
