"""`gemeinsinn survey check FORM.xlsx`: a summary and exit 0, or the problems and exit 2."""

import importlib.util
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import gemeinsinn.cli
from gemeinsinn.formats.xlsform.demo_form import write_demo_form
from tests.formats.xlsform.forms import xlsform_bytes

REPO = Path(__file__).resolve().parents[2]
ENTRY_POINT = REPO / ".venv" / "bin" / "gemeinsinn"
MISSING_COMMANDS = [
    name
    for name in gemeinsinn.cli.COMMAND_MODULES
    if importlib.util.find_spec(f"gemeinsinn.commands.{name}") is None
]


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run `gemeinsinn …` in this process; command modules that do not exist yet are left out."""
    available = [n for n in gemeinsinn.cli.COMMAND_MODULES if n not in MISSING_COMMANDS]
    monkeypatch.setattr(gemeinsinn.cli, "COMMAND_MODULES", available)

    def run(*argv) -> Run:
        capsys.readouterr()
        status = gemeinsinn.cli.main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


@pytest.fixture
def demo_form(tmp_path) -> Path:
    return write_demo_form(tmp_path / "buergerumfrage.xlsx")


def test_a_good_form_prints_its_summary_and_exits_0(cli, demo_form):
    run = cli("survey", "check", demo_form)

    assert run.status == 0, run.stderr
    assert run.stderr == ""
    assert run.stdout == (
        "Fragebogen: Bürgerumfrage Lebensqualität im Stadtteil "
        "(Formular-ID buergerumfrage_lebensqualitaet, Version 2026-1)\n"
        "Sprachen: Deutsch (de), English (en); Standardsprache: Deutsch (de)\n"
        "Fragen: 15 – select_one 5 (davon Likert-Skala 3), integer 3, text 3, note 2, "
        "select_multiple 2\n"
        "Gruppen: 3, Wiederholungen: 0, Auswahllisten: 6\n"
        "Der Fragebogen kann in gemeinsinn verwendet werden.\n"
    )


def test_a_bad_form_prints_every_problem_and_exits_2(cli, tmp_path):
    form = tmp_path / "kaputt.xlsx"
    form.write_bytes(
        xlsform_bytes(
            [
                ("integr", "alter", "Alter", None),
                ("text", "schule", "Schule", "${alter} < < 18"),
                ("geopoint", "ort", "Wo wohnen Sie?", None),
                ("select_one farbe", "farbe", "Farbe?", None),
            ],
            survey_header=("type", "name", "label", "relevant"),
            choices=[("farben", "rot", "Rot")],
        )
    )

    run = cli("survey", "check", form)

    assert run.status == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == ["Fehler"] * 4
    assert lines[0].startswith(
        "Fehler: kaputt.xlsx, Blatt survey, Zeile 2, Spalte type: "
        "Den Fragetyp „integr“ gibt es in XLSForm nicht. Meinten Sie „integer“?"
    )
    assert lines[1].startswith(
        "Fehler: kaputt.xlsx, Blatt survey, Zeile 3, Spalte relevant: Der Ausdruck "
        "„${alter} < < 18“ ist fehlerhaft"
    )
    assert lines[2].startswith("Fehler: kaputt.xlsx, Blatt survey, Zeile 4, Spalte type: ")
    assert "GPS" in lines[2]
    assert lines[3].startswith("Fehler: kaputt.xlsx, Blatt survey, Zeile 5, Spalte type: ")
    assert "Meinten Sie „farben“?" in lines[3]
    assert lines[-1] == "kaputt.xlsx: 4 Fehler – der Fragebogen kann so nicht verwendet werden."


def test_warnings_go_to_stderr_and_keep_exit_0(cli, tmp_path):
    form = tmp_path / "mit_warnung.xlsx"
    form.write_bytes(xlsform_bytes([("deviceid", "geraet", None), ("text", "a", "Frage A")]))

    run = cli("survey", "check", form)

    assert run.status == 0
    assert run.stderr.startswith(
        "Warnung: mit_warnung.xlsx, Blatt survey, Zeile 2, Spalte type: Das Metadaten-Feld "
        "„deviceid“"
    )
    assert run.stdout.startswith("Fragebogen: mit_warnung (Formular-ID mit_warnung)\n")


def test_missing_file_and_missing_argument(cli, tmp_path):
    run = cli("survey", "check", tmp_path / "gibtsnicht.xlsx")
    assert run.status == 2
    assert "Die Datei kann nicht gelesen werden" in run.stderr
    assert "gibtsnicht.xlsx" in run.stderr

    assert cli("survey").status == 2  # without a sub-command: usage on stderr
    with pytest.raises(SystemExit) as raised:
        cli("survey", "check")
    assert raised.value.code == 2


@pytest.mark.shared_data
def test_the_shared_forms(cli, shared_data):
    forms = shared_data / "xlsform"
    assert cli("survey", "check", forms / "correlaid_testB.xlsx").status == 0
    assert cli("survey", "check", forms / "correlaid_all_types_survey.xlsx").status == 0
    spec = cli("survey", "check", forms / "pyxform_xlsform_spec_test.xlsx")
    assert spec.status == 2
    assert "Blatt survey, Zeile 34, Spalte type: Der Fragetyp „geopoint“" in spec.stderr


def test_command_does_not_import_django_or_pyxform_until_run():
    code = (
        "import sys, gemeinsinn.commands.survey; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'pyxform', 'openpyxl'}))"
    )
    process = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert process.stdout.strip() == "[]"


def test_check_as_a_subprocess_does_not_load_django(demo_form, tmp_path):
    if MISSING_COMMANDS:
        pytest.skip(f"gemeinsinn.commands.{MISSING_COMMANDS[0]} fehlt noch: die CLI startet nicht.")
    if not ENTRY_POINT.exists():
        pytest.skip(f"{ENTRY_POINT} fehlt: pip install -e . --no-deps ausführen.")
    process = subprocess.run(
        [ENTRY_POINT, "survey", "check", demo_form], capture_output=True, text=True, check=False
    )
    assert process.returncode == 0, process.stderr
    assert process.stdout.startswith("Fragebogen: Bürgerumfrage Lebensqualität im Stadtteil")

    broken = tmp_path / "kaputt.xlsx"
    broken.write_bytes(b"kein Excel")
    process = subprocess.run(
        [ENTRY_POINT, "survey", "check", broken], capture_output=True, text=True, check=False
    )
    assert process.returncode == 2
    assert "Die Datei ist keine lesbare Excel-Arbeitsmappe." in process.stderr

    # the whole check runs without Django
    code = (
        "import sys, argparse, pathlib\n"
        "from gemeinsinn.commands import survey\n"
        f"status = survey.run_check(argparse.Namespace(form=pathlib.Path({str(demo_form)!r})))\n"
        "assert 'django' not in sys.modules, 'django imported'\n"
        "sys.exit(status)\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert process.returncode == 0, process.stderr
