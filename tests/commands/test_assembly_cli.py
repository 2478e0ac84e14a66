"""`gemeinsinn assembly select|check|draw` from the command line."""

import csv
import os
import re
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


def test_a_wrong_value_in_every_row_lists_fifty_problems_and_counts_the_rest(tmp_path, capsys):
    rows = "".join(f"p{i},unbekannt\n" for i in range(2000))
    people = write(tmp_path / "p.csv", "id,Geschlecht\n" + rows)
    status = main(
        ["select", "--people", str(people), "--quotas", str(write(tmp_path / "q.csv", QUOTAS)),
         "--size", "2", "--id-column", "id"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2
    assert "Die Eingaben enthalten Fehler (2 000):" in err
    assert err.count("Unbekannte Ausprägung 'unbekannt'") == 50
    assert "… und 1 950 weitere." in err


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
    assert "Losliste: 10 gleich wahrscheinliche Gremien" in out
    assert "(Schranke 1/M eingehalten (" in out  # and how: heuristic or integer program
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
        out = tmp_path / str(hashseed)
        out.mkdir()
        run = run_cli(
            ["select", "--people", str(people), "--quotas", str(quotas), "--size", "12",
             "--id-column", "id", "--household-columns", "Straße,Hausnummer,PLZ",
             "--seed", "Ziehung am 1. Dezember", "--panel", str(out / "panel.csv"),
             "--probabilities", str(out / "probs.csv"),
             "--distribution", str(out / "dist.csv"), "--quiet"],
            hashseed,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        sha = run.stdout.split("SHA-256 der veröffentlichten Verteilung: ")[1].split()[0]
        values = np.array([float(r[1]) for r in read_csv(out / "probs.csv")[1:]])
        results.append(((out / "panel.csv").read_bytes(), values, sha, out / "dist.csv"))
    for panel_bytes, values, sha, dist in results[1:]:
        assert panel_bytes == results[0][0]
        assert np.max(np.abs(values - results[0][1])) < 1e-6
        assert sha == results[0][2]
        assert dist.read_bytes() == results[0][3].read_bytes()
    assert len(read_csv(tmp_path / "0" / "panel.csv")) == 13
    # anyone can redo the draw from the published file in yet another process
    redo = run_cli(
        ["draw", "--distribution", str(results[0][3]), "--seed", "Ziehung am 1. Dezember"], 99
    )
    assert redo.returncode == 0, redo.stderr
    chosen = redo.stdout.split("Ausgewählt: ")[1].strip().split(", ")
    assert [row[0] for row in read_csv(tmp_path / "0" / "panel.csv")[1:]] == chosen


def select_args(people, quotas, size, *extra):
    return ["select", "--people", str(people), "--quotas", str(quotas), "--size", str(size),
            "--seed", "Ziehung", "--quiet", *extra]  # fmt: skip


# the young are all women: at most one woman and at least two young cannot go together
YOUNG_WOMEN = (
    "Geschlecht,Alter\nweiblich,jung\nweiblich,jung\nmännlich,alt\nmännlich,alt\nmännlich,alt\n"
)


def test_impossible_combination_gets_relaxation_and_nothing_is_written(tmp_path, capsys):
    # each quota alone is fine, together they are impossible
    people = write(tmp_path / "p.csv", YOUNG_WOMEN)
    quotas = write(
        tmp_path / "q.csv",
        "feature,value,min,max\nGeschlecht,weiblich,0,1\nGeschlecht,männlich,0,3\n"
        "Alter,jung,2,3\nAlter,alt,0,3\n",
    )
    probs, panel = tmp_path / "probs.csv", tmp_path / "panel.csv"
    status = main(
        select_args(people, quotas, 3, "--probabilities", str(probs), "--panel", str(panel))
    )
    err = capsys.readouterr().err
    assert status == 2
    assert "Die Quoten sind nicht erfüllbar (1):" in err
    assert "kein Gremium aus den Freiwilligen hält alle Mindest- und Höchstwerte ein" in err
    assert re.search(
        r"Kleinste Lockerung, die ein Gremium möglich macht: ("
        r"Höchstwert für Geschlecht = weiblich von 1 auf 2 erhöhen \(um 1\) \[Zeile 2\]|"
        r"Mindestwert für Alter = jung von 2 auf 1 senken \(um 1\) \[Zeile 4\])\.",
        err,
    )
    assert not probs.exists() and not panel.exists()
    # `check` says the same without selecting
    assert main(["check", "--people", str(people), "--quotas", str(quotas), "--size", "3"]) == 2
    assert "Kleinste Lockerung" in capsys.readouterr().err


def test_flex_columns_bound_the_relaxation(tmp_path, capsys):
    people = write(tmp_path / "p.csv", YOUNG_WOMEN)
    # the women's maximum may not be raised (max_flex = max): the minimum of "jung" must go
    quotas = write(
        tmp_path / "q.csv",
        "feature,value,min,max,min_flex,max_flex\nGeschlecht,weiblich,0,1,0,1\n"
        "Geschlecht,männlich,0,3,,\nAlter,jung,2,3,1,\nAlter,alt,0,3,,\n",
    )
    assert main(select_args(people, quotas, 3)) == 2
    err = capsys.readouterr().err
    assert "Mindestwert für Alter = jung von 2 auf 1 senken (um 1) [Zeile 4]" in err
    assert "Höchstwert für" not in err
    # no relaxation within the flex limits: the suggestion says so
    quotas = write(
        tmp_path / "q.csv",
        "feature,value,min,max,min_flex,max_flex\nGeschlecht,weiblich,0,1,0,1\n"
        "Geschlecht,männlich,0,3,,\nAlter,jung,2,3,2,\nAlter,alt,0,3,,\n",
    )
    assert main(select_args(people, quotas, 3)) == 2
    assert "dafür reichen die Spielräume min_flex/max_flex nicht" in capsys.readouterr().err


def test_category_header_row_numbers_and_result_files(tmp_path, capsys):
    # the header of the published research data; no id column: people are row numbers
    people = write(
        tmp_path / "p.csv",
        "Geschlecht;Bezirk;Name\n"
        "weiblich;Nord;Ada\n"
        "männlich;Nord;Bo\n"
        "\n"
        "weiblich;Süd;Cem\n"
        "männlich;Süd;Dana\n"
        "männlich;Süd;Eli\n",
    )
    quotas = write(
        tmp_path / "q.csv",
        "category,feature,min,max\nGeschlecht,weiblich,1,1\nGeschlecht,männlich,1,1\n"
        "Bezirk,Nord,1,1\nBezirk,Süd,1,1\n",
    )
    probs, panel = tmp_path / "probs.csv", tmp_path / "panel.csv"
    assert main(select_args(people, quotas, 2, "--probabilities", str(probs),
                            "--panel", str(panel))) == 0  # fmt: skip
    out = capsys.readouterr().out
    # the panels are {Ada, Dana}, {Ada, Eli} and {Bo, Cem}; with weight a on Ada's two
    # panels, Ada gets a, Dana and Eli a/2, Bo and Cem 1 − a: LEXIMIN takes a = 2/3
    assert probs.read_text(encoding="utf-8") == (
        "id,probability\n"
        "1,0.6666666667\n"
        "2,0.3333333333\n"
        "3,0.3333333333\n"
        "4,0.3333333333\n"
        "5,0.3333333333\n"
    )
    chosen = out.split("Ausgewählt: ")[1].split("\n")[0].split(", ")
    source = people.read_text(encoding="utf-8").replace("\n\n", "\n").splitlines()
    # PANEL.csv: the header and the selected rows as in PEOPLE.csv, same separator
    assert panel.read_text(encoding="utf-8").splitlines() == [source[0]] + [
        source[int(i)] for i in chosen
    ]
    assert len(chosen) == 2 and chosen == sorted(chosen, key=int)


def test_probabilities_use_the_id_column_in_input_order(tmp_path):
    people = write(
        tmp_path / "p.csv",
        "Nr,Geschlecht\nz-9,männlich\na-1,weiblich\nm-5,weiblich\n",
    )
    probs = tmp_path / "probs.csv"
    status = main(select_args(people, write(tmp_path / "q.csv", QUOTAS), 2, "--id-column", "Nr",
                              "--probabilities", str(probs)))  # fmt: skip
    assert status == 0
    assert probs.read_text(encoding="utf-8") == (
        "id,probability\nz-9,1.0000000000\na-1,0.5000000000\nm-5,0.5000000000\n"
    )


def test_quota_value_nobody_has(tmp_path, capsys):
    people = write(tmp_path / "p.csv", "Geschlecht\nweiblich\nmännlich\nmännlich\n")
    quotas = QUOTAS + "Geschlecht,divers,0,1\n"
    assert main(select_args(people, write(tmp_path / "q.csv", quotas), 2)) == 0
    err = capsys.readouterr().err
    assert (
        "Hinweis: q.csv, Zeile 4: Für Geschlecht = divers gibt es keine Freiwilligen; "
        "die Quote bleibt ohne Wirkung." in err
    )
    # with a minimum the quota cannot be met: an error, exit status 2
    quotas = QUOTAS + "Geschlecht,divers,1,1\n"
    assert main(select_args(people, write(tmp_path / "q.csv", quotas), 3)) == 2
    err = capsys.readouterr().err
    assert (
        "q.csv, Zeile 4, Spalte min: Für Geschlecht = divers ist mindestens 1 Person "
        "verlangt, es gibt aber nur 0 Freiwillige mit diesem Wert." in err
    )


def test_progress_is_reported_unless_quiet(tmp_path, capsys):
    generated = german_pool(60, 6, features=3, seed=2, household_share=0.0)
    people, quotas = generated.write(tmp_path)
    args = ["select", "--people", str(people), "--quotas", str(quotas), "--size", "6",
            "--seed", "s"]  # fmt: skip
    assert main(args) == 0
    err = capsys.readouterr().err
    assert re.search(r"\[\s+\d+\.\d s\] Quoten prüfen – festgelegt 0/60", err)
    assert re.search(r"\[\s+\d+\.\d s\] Verteilung berechnet – festgelegt 60/60 – \d+ Gremien", err)
    assert main([*args, "--quiet"]) == 0
    assert "Quoten prüfen" not in capsys.readouterr().err
