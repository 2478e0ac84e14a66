"""`gemeinsinn index compute`: the stateless index command, end to end."""

import csv
import importlib.util
import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import gemeinsinn.cli
from gemeinsinn.analysis.index import IndexSettings, IndicatorWeight, compute_index
from tests.formats.spreadsheets import rows_at, xlsx_bytes

REPO = Path(__file__).resolve().parents[2]
ENTRY_POINT = REPO / ".venv" / "bin" / "gemeinsinn"
MSS_2021 = Path("berlin-mss") / "indicators" / "mss_2021_index_indicators_wfs.csv"
MSS_ARGUMENTS = [
    "--id",
    "PLR_ID",
    "--population",
    "EW",
    "--status",
    "S1,S3,S4",
    "--dynamics",
    "D1,D3,D4",
    "--min-population",
    "300",
    "--exclude",
    "10100205",
]
HEADER = "area_id,included,status_index,status_class,dynamics_index,dynamics_class,combined_class"


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str


MISSING_COMMANDS = [
    name
    for name in gemeinsinn.cli.COMMAND_MODULES
    if importlib.util.find_spec(f"gemeinsinn.commands.{name}") is None
]


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run `gemeinsinn …` in this process through gemeinsinn.cli.main.

    Command modules of other areas that do not exist yet are left out of the parser.
    """
    available = [n for n in gemeinsinn.cli.COMMAND_MODULES if n not in MISSING_COMMANDS]
    monkeypatch.setattr(gemeinsinn.cli, "COMMAND_MODULES", available)

    def run(*argv) -> Run:
        capsys.readouterr()
        status = gemeinsinn.cli.main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


def output_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith(HEADER + "\n")
    return list(csv.DictReader(io.StringIO(text)))


# --- the real Berlin MSS 2021 table ------------------------------------------------------


@pytest.fixture(scope="module")
def mss_input(shared_data) -> Path:
    return shared_data / MSS_2021


@pytest.fixture(scope="module")
def mss_table(mss_input) -> list[dict[str, str]]:
    with mss_input.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.mark.shared_data
def test_mss_2021_exact_command_line(cli, mss_input, mss_table, tmp_path):
    result_path = tmp_path / "result.csv"
    run = cli("index", "compute", mss_input, *MSS_ARGUMENTS, "--output", result_path)
    assert run.status == 0, run.stderr
    assert run.stdout == ""
    text = result_path.read_bytes().decode("utf-8")
    assert "\r" not in text
    rows = output_rows(text)

    assert len(rows) == 542
    assert [row["area_id"] for row in rows] == [row["PLR_ID"] for row in mss_table]
    included = np.array([row["included"] == "true" for row in rows])
    assert {row["included"] for row in rows} == {"true", "false"}
    assert included.tolist() == [row["KOM"] == "gültig" for row in mss_table]
    assert included.sum() == 536

    for row, is_included in zip(rows, included, strict=True):
        if is_included:
            assert int(row["status_class"]) in {1, 2, 3, 4}
            assert int(row["dynamics_class"]) in {1, 2, 3}
            symbol = {"1": "+", "2": "+/-", "3": "-"}[row["dynamics_class"]]
            assert row["combined_class"] == row["status_class"] + symbol
        else:
            assert [row[c] for c in HEADER.split(",")[2:]] == ["", "", "", "", ""]

    for column in ("status_index", "dynamics_index"):
        values = np.array([float(row[column]) for row in rows if row["included"] == "true"])
        assert abs(values.mean()) < 1e-9
        assert abs(values.std(ddof=0) - 1) < 1e-9

    # an area without population is named with its line
    assert "Zeile 117, Spalte EW: Gebiet 03400831 fehlt im Index" in run.stderr


@pytest.mark.shared_data
def test_mss_2021_decimals_round_trip_exactly(cli, mss_input, mss_table, tmp_path):
    result_path = tmp_path / "result.csv"
    cli("index", "compute", mss_input, *MSS_ARGUMENTS, "--output", result_path)
    rows = output_rows(result_path.read_text(encoding="utf-8"))

    def column(name: str) -> np.ndarray:
        return np.array([float(row[name]) if row[name] else np.nan for row in mss_table])

    codes = ["S1", "S3", "S4", "D1", "D3", "D4"]
    expected = compute_index(
        [row["PLR_ID"] for row in mss_table],
        column("EW"),
        {code: column(code) for code in codes},
        IndexSettings(
            status=tuple(IndicatorWeight(c) for c in codes[:3]),
            dynamics=tuple(IndicatorWeight(c) for c in codes[3:]),
            min_population=300,
            exclude=frozenset({"10100205"}),
        ),
    )
    written = [float(row["status_index"]) for row in rows if row["included"] == "true"]
    assert written == expected.status_index[expected.included].tolist()


@pytest.mark.shared_data
def test_installed_entry_point_as_a_subprocess_writes_to_stdout(cli, mss_input, tmp_path):
    if MISSING_COMMANDS:
        pytest.skip(f"gemeinsinn.commands.{MISSING_COMMANDS[0]} fehlt noch: die CLI startet nicht.")
    if not ENTRY_POINT.exists():
        pytest.skip(f"{ENTRY_POINT} fehlt: pip install -e . --no-deps ausführen.")
    process = subprocess.run(
        [ENTRY_POINT, "index", "compute", mss_input, *MSS_ARGUMENTS],
        capture_output=True,
        check=False,
    )
    assert process.returncode == 0, process.stderr.decode()
    in_process = tmp_path / "result.csv"
    cli("index", "compute", mss_input, *MSS_ARGUMENTS, "--output", in_process)
    assert process.stdout == in_process.read_bytes()


def test_command_does_not_import_django_and_loads_polars_only_when_run():
    code = (
        "import sys, gemeinsinn.commands.index; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'polars', 'numpy'}))"
    )
    process = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert process.stdout.strip() == "[]"


# --- small tables in German and English formats ------------------------------------------

AREAS = [
    # id, name, EW, S1, S3, S4, D1, D3, D4
    ("0101", "Altstadt", 1200, 4.5, 8.25, 19.4, 0.5, -0.25, 1.5),
    ("0102", "Müllerviertel", 3400, 12.75, 20.5, 44.0, 1.25, 0.75, 3.5),
    ("0103", "Süd", 250, 3.0, 5.0, 9.5, 0.0, 0.0, 0.0),
    ("0104", "Weißensee", 5100, 2.25, 4.75, 10.0, -0.5, -1.5, -2.25),
    ("0105", "Hafen", 800, 7.5, 12.0, 25.5, 2.0, 1.0, 4.0),
    ("0106", "Gärten", 2300, 1.5, 3.5, 6.25, -0.25, 0.5, -1.0),
    ("0107", "Bahnhof", 1700, 9.0, 16.25, 38.75, 0.75, 1.5, 2.5),
    ("0108", "Ausreißer", 900, 30.0, 50.0, 90.0, 5.0, 5.0, 5.0),
]
SMALL_ARGUMENTS = [
    "--id",
    "Gebiet",
    "--population",
    "EW",
    "--status",
    "S1,S3,S4",
    "--dynamics",
    "D1,D3,D4",
    "--exclude",
    "0108",
]
COLUMNS = ["Gebiet", "Name", "EW", "S1", "S3", "S4", "D1", "D3", "D4"]


def english_csv(areas=AREAS) -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(str(v) for v in area) for area in areas]
    return ("\n".join(lines) + "\n").encode("utf-8")


def german_csv(areas=AREAS) -> bytes:
    def german(value) -> str:
        if isinstance(value, str):
            return value
        return f"{value:_}".replace(".", ",").replace("_", ".")

    lines = [";".join(COLUMNS)] + [";".join(german(v) for v in area) for area in areas]
    return ("Tabelle 1: Sozialindikatoren 2021\r\n" + "\r\n".join(lines) + "\r\n").encode("cp1252")


def test_german_variant_gives_identical_output(cli, tmp_path):
    outputs = []
    for name, content in [("english.csv", english_csv()), ("german.csv", german_csv())]:
        source = tmp_path / name
        source.write_bytes(content)
        run = cli("index", "compute", source, *SMALL_ARGUMENTS)
        assert run.status == 0, run.stderr
        outputs.append(run.stdout)
    assert "1.200" in german_csv().decode("cp1252")  # thousands separator really used
    assert outputs[0] == outputs[1]
    rows = output_rows(outputs[0])
    assert [row["area_id"] for row in rows] == [area[0] for area in AREAS]
    assert [row["included"] for row in rows] == ["true"] * 2 + ["false"] + ["true"] * 4 + ["false"]


def test_spreadsheet_gives_identical_output(cli, tmp_path):
    sheet = rows_at("A1", [COLUMNS, *[list(area) for area in AREAS]])
    spreadsheet = tmp_path / "daten.xlsx"
    spreadsheet.write_bytes(xlsx_bytes({"Daten": sheet}))
    plain = tmp_path / "daten.csv"
    plain.write_bytes(english_csv())
    assert (
        cli("index", "compute", spreadsheet, *SMALL_ARGUMENTS).stdout
        == cli("index", "compute", plain, *SMALL_ARGUMENTS).stdout
    )


def test_without_dynamics_the_dynamics_columns_are_empty(cli, tmp_path):
    source = tmp_path / "daten.csv"
    source.write_bytes(english_csv())
    run = cli("index", "compute", source, *SMALL_ARGUMENTS[:6])
    assert run.status == 0, run.stderr
    for row in output_rows(run.stdout):
        assert row["dynamics_index"] == row["dynamics_class"] == ""
        assert row["combined_class"] == row["status_class"]


def test_missing_values_leave_an_area_out_with_a_warning(cli, tmp_path):
    areas = list(AREAS)
    areas[0] = ("0101", "Altstadt", "", 4.5, 8.25, 19.4, 0.5, -0.25, 1.5)
    areas[1] = ("0102", "Müllerviertel", 3400, -9999, 20.5, 44.0, 1.25, 0.75, 3.5)
    source = tmp_path / "daten.csv"
    source.write_bytes(english_csv(areas))
    output = tmp_path / "ergebnis.csv"
    run = cli("index", "compute", source, *SMALL_ARGUMENTS, "--output", output)
    assert run.status == 0, run.stderr
    rows = output_rows(output.read_text(encoding="utf-8"))
    assert [row["included"] for row in rows[:2]] == ["false", "false"]
    assert rows[0]["status_index"] == rows[1]["status_class"] == ""
    assert "daten.csv, Zeile 2, Spalte EW: Gebiet 0101 fehlt im Index" in run.stderr
    assert "Gebiet 0102 fehlt im Index: keine Werte für S1" in run.stderr


# --- bad input: German problems, exit status 2, nothing written ---------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            english_csv().replace(b"S3", b"S_3", 1),
            [
                "Fehler: daten.csv, Zeile 1: Die Spalte „S3“ fehlt. Meinten Sie „S_3“? "
                "Vorhandene Spalten: Gebiet, Name, EW, S1, S_3, S4, D1, D3, D4."
            ],
        ),
        (
            english_csv().replace(b",12.75,", b",viel,"),
            ["Fehler: daten.csv, Zeile 3, Spalte S1: „viel“ ist keine Zahl."],
        ),
        (
            english_csv().replace(b"0105,", b"0101,"),
            [
                "Fehler: daten.csv, Zeile 6, Spalte Gebiet: Doppelter Eintrag: Gebiet „0101“ "
                "steht schon in Zeile 2. Bitte eine der beiden Zeilen löschen."
            ],
        ),
        (b"", ["Fehler: daten.csv: Die Datei ist leer."]),
        (english_csv()[: english_csv().index(b"\n") + 1], ["Die Datei enthält keine Datenzeilen."]),
    ],
)
def test_bad_input_is_reported_in_german_and_nothing_is_written(cli, tmp_path, content, expected):
    source = tmp_path / "daten.csv"
    source.write_bytes(content)
    output = tmp_path / "ergebnis.csv"
    run = cli("index", "compute", source, *SMALL_ARGUMENTS, "--output", output)
    assert run.status == 2
    assert run.stdout == ""
    for message in expected:
        assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert not output.exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary file left behind


def test_all_problems_are_reported_at_once(cli, tmp_path):
    content = english_csv().replace(b",12.75,", b",viel,").replace(b"0105,", b"0101,")
    source = tmp_path / "daten.csv"
    source.write_bytes(content)
    run = cli("index", "compute", source, *SMALL_ARGUMENTS)
    assert run.status == 2
    assert run.stderr.count("Fehler: ") == 2


def test_index_error_from_the_analysis_core_is_reported(cli, tmp_path):
    areas = [(*area[:3], 5.0, *area[4:]) for area in AREAS]  # S1 the same everywhere
    source = tmp_path / "daten.csv"
    source.write_bytes(english_csv(areas))
    run = cli("index", "compute", source, *SMALL_ARGUMENTS)
    assert run.status == 2
    assert run.stderr.startswith("Fehler: Indikator S1 (Status)")


def test_missing_input_file(cli, tmp_path):
    run = cli("index", "compute", tmp_path / "gibt-es-nicht.csv", *SMALL_ARGUMENTS)
    assert run.status == 2
    assert "Die Eingabedatei kann nicht gelesen werden" in run.stderr


def test_existing_output_file_is_kept_on_error(cli, tmp_path):
    source = tmp_path / "daten.csv"
    source.write_bytes(b"")
    output = tmp_path / "ergebnis.csv"
    output.write_text("alt\n")
    assert cli("index", "compute", source, *SMALL_ARGUMENTS, "--output", output).status == 2
    assert output.read_text() == "alt\n"


def test_output_file_gets_the_usual_permissions(cli, tmp_path):
    source = tmp_path / "daten.csv"
    source.write_bytes(english_csv())
    output = tmp_path / "ergebnis.csv"
    assert cli("index", "compute", source, *SMALL_ARGUMENTS, "--output", output).status == 0
    reference = tmp_path / "vergleich.txt"
    reference.write_text("x")
    assert output.stat().st_mode == reference.stat().st_mode
