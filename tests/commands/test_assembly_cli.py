"""`gemeinsinn assembly select|check|draw` from the command line."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gemeinsinn.commands.assembly import main
from gemeinsinn.sortition.synthetic import german_pool

REPO = Path(__file__).resolve().parents[2]


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


QUOTAS = "feature,value,min,max\nGeschlecht,weiblich,1,1\nGeschlecht,männlich,1,1\n"


def test_small_example_leximin(shared_data, tmp_path, capsys):
    folder = shared_data / "sortition" / "example_small_20"
    panel, probs, dist = tmp_path / "panel.csv", tmp_path / "probs.csv", tmp_path / "dist.csv"
    status = main(
        [
            "select",
            "--people", str(folder / "respondents.csv"),
            "--quotas", str(folder / "categories.csv"),
            "--size", "20",
            "--seed", "Lotto 2026-11-21: 3 9 17 22 35 48",
            "--panel", str(panel),
            "--probabilities", str(probs),
            "--distribution", str(dist),
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0
    assert "Verfahren: LEXIMIN" in out
    rows = read_csv(probs)
    assert rows[0] == ["id", "probability"]
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 201)]  # row numbers
    assert np.max(np.abs(np.array([float(r[1]) for r in rows[1:]]) - 0.1)) < 1e-6
    selected = read_csv(panel)
    assert selected[0] == ["gender", "leaning"]
    assert len(selected) == 21
    counts = {}
    for gender, leaning in selected[1:]:
        counts[gender] = counts.get(gender, 0) + 1
        counts[leaning] = counts.get(leaning, 0) + 1
    assert all(9 <= counts.get(v, 0) <= 20 for v in ("female", "male", "liberal", "conservative"))
    # anyone can recompute the draw from the published distribution
    capsys.readouterr()
    assert (
        main(["draw", "--distribution", str(dist), "--seed", "Lotto 2026-11-21: 3 9 17 22 35 48"])
        == 0
    )
    redraw = capsys.readouterr().out
    chosen = redraw.split("Ausgewählt: ")[1].strip().split(", ")
    respondents = read_csv(folder / "respondents.csv")
    assert [respondents[int(i)] for i in chosen] == selected[1:]
    assert redraw.split("Gezogen: ")[1].split("\n")[0] == out.split("Gezogen: ")[1].split("\n")[0]


def test_infeasible_quotas_exit_2_with_relaxation(tmp_path, capsys):
    people = write(tmp_path / "p.csv", "id,Geschlecht\na,weiblich\nb,weiblich\nc,männlich\n")
    quotas = write(
        tmp_path / "q.csv",
        "feature,value,min,max\nGeschlecht,weiblich,0,1\nGeschlecht,männlich,2,3\n",
    )
    status = main(
        ["select", "--people", str(people), "--quotas", str(quotas), "--size", "3",
         "--id-column", "id", "--seed", "x"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2
    assert "nicht erfüllbar" in err
    assert "Geschlecht = männlich sind mindestens 2 Personen verlangt, es gibt aber nur 1" in err
    assert "q.csv, Zeile 3, Spalte min" in err
    assert "Lockerung" in err or "senken" in err


def test_bad_files_report_every_problem(tmp_path, capsys):
    people = write(
        tmp_path / "p.csv",
        "id,Geschlecht\na,weiblich\na,männlich\nc,\nd,Weiblich \ne,unbekannt\n",
    )
    quotas = write(tmp_path / "q.csv", QUOTAS)
    status = main(
        ["select", "--people", str(people), "--quotas", str(quotas), "--size", "2",
         "--id-column", "id"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2
    assert "Die Eingaben enthalten Fehler (3)" in err
    assert "p.csv, Zeile 3, Spalte id: Kennung 'a' ist doppelt (schon in Zeile 2)" in err
    assert "p.csv, Zeile 4, Spalte Geschlecht: Leere Zelle." in err
    assert "p.csv, Zeile 6, Spalte Geschlecht: Unbekannte Ausprägung 'unbekannt'" in err


def test_missing_file_exit_2(tmp_path, capsys):
    status = main(
        ["select", "--people", str(tmp_path / "nope.csv"), "--quotas",
         str(write(tmp_path / "q.csv", QUOTAS)), "--size", "2"]
    )  # fmt: skip
    assert status == 2
    assert "kann nicht gelesen werden" in capsys.readouterr().err


def test_household_with_two_volunteers(tmp_path, capsys):
    # Anna and Bert share an address; Bert is the only man and must sit, so Anna cannot
    people = write(
        tmp_path / "p.csv",
        "id,Geschlecht,Straße,Nr\n"
        "anna,weiblich,Hauptstraße,1\n"
        "bert,männlich,Hauptstraße ,1\n"
        "cleo,weiblich,Gartenweg,2\n"
        "dora,weiblich,Gartenweg,4\n",
    )
    quotas = write(tmp_path / "q.csv", QUOTAS)
    probs = tmp_path / "probs.csv"
    args = ["select", "--people", str(people), "--quotas", str(quotas), "--size", "2",
            "--id-column", "id", "--seed", "1", "--probabilities", str(probs)]  # fmt: skip
    assert main(args + ["--household-columns", "Straße,Nr"]) == 0
    out = capsys.readouterr().out
    got = {r[0]: float(r[1]) for r in read_csv(probs)[1:]}
    assert got == pytest.approx({"anna": 0.0, "bert": 1.0, "cleo": 0.5, "dora": 0.5}, abs=1e-9)
    assert "1 Personen passen in kein zulässiges Gremium" in out and "anna" in out
    # without the household rule Anna has the same chance as the other women
    assert main(args) == 0
    got = {r[0]: float(r[1]) for r in read_csv(probs)[1:]}
    assert got == pytest.approx({"anna": 1 / 3, "bert": 1.0, "cleo": 1 / 3, "dora": 1 / 3})


@pytest.mark.parametrize("algorithm", ["maximin", "nash", "legacy"])
def test_other_algorithms(algorithm, tmp_path, capsys):
    generated = german_pool(60, 6, features=3, seed=1, household_share=0.0)
    people, quotas = generated.write(tmp_path)
    probs = tmp_path / "probs.csv"
    status = main(
        ["select", "--people", str(people), "--quotas", str(quotas), "--size", "6",
         "--id-column", "id", "--algorithm", algorithm, "--seed", "s",
         "--probabilities", str(probs), "--quiet"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0, out
    values = np.array([float(r[1]) for r in read_csv(probs)[1:]])
    assert len(values) == 60
    if algorithm != "legacy":
        assert abs(values.sum() - 6) < 1e-6
    assert f"Verfahren: {algorithm.upper()}" in out


def test_lottery_panels(tmp_path, capsys):
    generated = german_pool(60, 6, features=3, seed=1, household_share=0.0)
    people, quotas = generated.write(tmp_path)
    dist = tmp_path / "lots.csv"
    status = main(
        ["select", "--people", str(people), "--quotas", str(quotas), "--size", "6",
         "--id-column", "id", "--seed", "s", "--lottery-panels", "10",
         "--distribution", str(dist), "--quiet"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0
    assert "Losliste: 10 gleich wahrscheinliche Gremien" in out and "eingehalten" in out
    rows = read_csv(dist)[1:]
    assert {r[0] for r in rows} == {str(j) for j in range(1, 11)}
    assert len(rows) == 60
    assert {r[1] for r in rows} == {"0.100000000000"}  # equal weights


def run_cli(args, hashseed):
    env = dict(os.environ, PYTHONHASHSEED=str(hashseed))
    code = (
        "import sys\n"
        "from gemeinsinn.commands.assembly import main\n"
        "status = main(sys.argv[1:])\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'\n"
        "sys.exit(status)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, cwd=REPO
    )


def test_same_panel_in_other_processes_and_no_django(tmp_path):
    generated = german_pool(120, 12, features=5, seed=7)
    people, quotas = generated.write(tmp_path)
    results = []
    for hashseed in (0, 1, 12345):
        panel, probs = tmp_path / f"panel{hashseed}.csv", tmp_path / f"probs{hashseed}.csv"
        run = run_cli(
            ["select", "--people", str(people), "--quotas", str(quotas), "--size", "12",
             "--id-column", "id", "--household-columns", "Straße,Hausnummer,PLZ",
             "--seed", "Ziehung am 1. Dezember", "--panel", str(panel),
             "--probabilities", str(probs), "--quiet"],
            hashseed,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        sha = run.stdout.split("SHA-256 der veröffentlichten Verteilung: ")[1].split()[0]
        values = np.array([float(r[1]) for r in read_csv(probs)[1:]])
        results.append((panel.read_bytes(), values, sha))
    for panel_bytes, values, sha in results[1:]:
        assert panel_bytes == results[0][0]
        assert np.max(np.abs(values - results[0][1])) < 1e-6
        assert sha == results[0][2]
    assert len(read_csv(tmp_path / "panel0.csv")) == 13
