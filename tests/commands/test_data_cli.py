"""The scripted data commands: same services and German messages as the staff area."""

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.cli import main
from gemeinsinn.monitoring.models import Value
from tests import citykit


def test_levels_boundaries_and_statistics_from_the_command_line(db, tmp_path, capsys):
    assert main(["level", "add", "stadt", "Stadt", "--plural", "Städte"]) == 0
    assert main(["level", "add", "stadtteil", "Stadtteil", "--parent", "stadt"]) == 0
    assert SpatialLevel.objects.get(code="stadtteil").parent.code == "stadt"
    stadt = tmp_path / "stadt.geojson"
    stadt.write_bytes(citykit.geojson(citykit.STADT))
    teile = tmp_path / "teile.geojson"
    teile.write_bytes(citykit.geojson(citykit.STADTTEILE))
    for path, level in ((stadt, "stadt"), (teile, "stadtteil")):
        code = main(
            ["import", "boundaries", str(path), "--level", level, "--valid-from", "2024-01-01"]
        )
        assert code == 0
    assert Area.objects.get(key="02").parent.key == "05999000"
    table = tmp_path / "ew.csv"
    table.write_text("Gebiet;ew\n01;2100\n02;1750\n", encoding="cp1252")
    assert main(["import", "statistics", str(table), "--level", "stadtteil", "--year", "2024"]) == 0
    assert Value.objects.get(area__key="05999000", indicator__code="ew").value == 3850
    assert "2 Werte importiert" in capsys.readouterr().out


def test_bad_input_exits_2_with_german_messages(city, tmp_path, capsys):
    bad = tmp_path / "falsch.csv"
    bad.write_text("Gebiet;Jahr;Merkmal;Wert\n0101;2024;ew;zwölf\n", encoding="utf-8")
    assert main(["import", "statistics", str(bad), "--level", "sozialraum"]) == 2
    err = capsys.readouterr().err
    assert "falsch.csv, Zeile 2" in err and "zwölf" in err
    assert not Value.objects.exists()
    assert main(["import", "statistics", str(bad), "--level", "gibtsnicht"]) == 2
    assert "Die Gebietsebene „gibtsnicht“ gibt es nicht" in capsys.readouterr().err
    missing = tmp_path / "fehlt.geojson"
    assert main(["import", "boundaries", str(missing), "--level", "sozialraum",
                 "--valid-from", "2024-01-01"]) == 2  # fmt: skip
    assert "kann nicht gelesen werden" in capsys.readouterr().err
    assert main(["import", "boundaries", str(bad), "--level", "sozialraum",
                 "--valid-from", "1.1.2024"]) == 2  # fmt: skip
    assert "JJJJ-MM-TT" in capsys.readouterr().err
