"""The written files: names, formats a planning office delivers, byte-identical runs."""

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from shapely.geometry import shape

import gemeinsinn
from gemeinsinn.demodata import (
    FOERDERGEBIET,
    SOZIALRAUM,
    STADT,
    STADTTEIL,
    render_files,
    write_demo_files,
)

FILE_NAMES = [
    "musterstadt_stadt.geojson",
    "musterstadt_stadtteile.geojson",
    "musterstadt_sozialraeume.geojson",
    "musterstadt_foerdergebiete.geojson",
    "musterstadt_statistik_2021_2025.csv",
    "musterstadt_statistik_2025.xlsx",
]


def _contents(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_write_demo_files_returns_all_paths(written):
    files, _ = written
    assert [path.name for path in files.paths] == FILE_NAMES
    assert all(path.is_file() and path.stat().st_size > 1000 for path in files.paths)
    assert list(files.boundaries) == [STADT, STADTTEIL, SOZIALRAUM, FOERDERGEBIET]
    assert files.statistics == ((files.statistik_csv, None), (files.statistik_xlsx, 2025))
    assert files.latest_year == 2025
    assert files.boundaries_valid_from == "2021-01-01"
    assert sorted(p.name for p in files.directory.iterdir()) == sorted(FILE_NAMES)


def test_generation_is_fast(written):
    _, seconds = written
    assert seconds < 5.0, seconds


def test_two_runs_write_identical_bytes(written, tmp_path):
    files, _ = written
    again = write_demo_files(tmp_path / "b")
    first, second = _contents(files.directory), _contents(again.directory)
    assert list(first) == list(second)
    for name in first:
        assert first[name] == second[name], name
    assert render_files(files.city) == {name: first[name] for name in FILE_NAMES}


def test_another_process_with_another_hash_seed_writes_identical_bytes(written, tmp_path):
    """Also proves the generator is pure: it does not import Django."""
    files, _ = written
    source = str(Path(gemeinsinn.__file__).resolve().parent.parent)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from gemeinsinn.demodata import write_demo_files\n"
        f"write_demo_files(Path({str(tmp_path / 'c')!r}))\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    environment = dict(os.environ, PYTHONHASHSEED="12345", PYTHONPATH=source)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "[]"  # no Django module was imported
    assert _contents(tmp_path / "c") == _contents(files.directory)


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    text = data[3:].decode("utf-8")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_is_long_german_and_matches_the_data(written):
    files, _ = written
    statistics = files.city.statistics
    rows = _csv_rows(files.statistik_csv.read_bytes())
    assert rows[0] == ["Gebiet", "Jahr", "Merkmal", "Wert"]
    body = rows[1:]
    assert len(body) == len(statistics.area_keys) * len(statistics.years) * len(
        statistics.variables
    )
    seen = set()
    for key, year, variable, value in body:
        assert re.fullmatch(r"\d{4}", key), key
        assert re.fullmatch(r"\d+|\.", value), value  # whole numbers or "." (suppressed)
        expected = statistics.value(key, int(year), variable)
        assert value == ("." if expected is None else str(expected))
        seen.add((key, int(year), variable))
    assert seen == set(statistics.values)
    assert {int(year) for _, year, _, _ in body} == {2021, 2022, 2023, 2024, 2025}
    assert sum(1 for row in body if row[3] == ".") == len(statistics.suppressed())


def test_csv_keeps_leading_zeros_as_text(written):
    files, _ = written
    text = files.statistik_csv.read_bytes().decode("utf-8-sig")
    first_key = files.city.statistics.area_keys[0]
    assert first_key.startswith("0")
    assert f"\r\n{first_key};2021;ew;" in text
    assert "\r\n101;" not in text  # no key lost its zero


def test_xlsx_is_wide_for_the_latest_year(written):
    files, _ = written
    statistics = files.city.statistics
    workbook = openpyxl.load_workbook(files.statistik_xlsx)
    assert workbook.sheetnames == ["Daten"]
    sheet = workbook["Daten"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["Gebiet", *statistics.variables]
    assert "Jahr" not in rows[0]
    assert len(rows) == 1 + len(statistics.area_keys)
    for row in rows[1:]:
        key = row[0]
        assert isinstance(key, str) and re.fullmatch(r"\d{4}", key)
        assert list(row[1:]) == [statistics.value(key, 2025, v) for v in statistics.variables]
    assert [row[0] for row in rows[1:]] == list(statistics.area_keys)
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("0")


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("musterstadt_stadt.geojson", STADT),
        ("musterstadt_stadtteile.geojson", STADTTEIL),
        ("musterstadt_sozialraeume.geojson", SOZIALRAUM),
        ("musterstadt_foerdergebiete.geojson", FOERDERGEBIET),
    ],
)
def test_geojson_files_hold_exactly_the_areas(written, name, level):
    files, _ = written
    raw = (files.directory / name).read_text(encoding="utf-8")
    document = json.loads(raw)
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document  # RFC 7946: WGS84 implied
    areas = files.city.areas_of(level)
    assert len(document["features"]) == len(areas)
    for feature, area in zip(document["features"], areas, strict=True):
        properties = feature["properties"]
        assert properties["key"] == area.key and isinstance(properties["key"], str)
        assert properties["name"] == area.name
        if level == STADT:
            assert "parent_key" not in properties
        else:
            assert properties["parent_key"] == area.parent_key
        geometry = shape(feature["geometry"])
        assert geometry.equals_exact(area.geometry, tolerance=0.0)
    decimals = {len(number) for number in re.findall(r"-?\d+\.(\d+)", raw)}
    assert decimals == {7}
    assert "Fördergebiet" in raw or level != FOERDERGEBIET  # umlauts written as UTF-8
