"""The Berlin MSS tables (SenStadt Berlin, Monitoring Soziale Stadtentwicklung) read as is."""

import pytest

from gemeinsinn.formats.tables import parse_observations, read_table

pytestmark = pytest.mark.shared_data

MSS_2021 = {
    "EW": "population",
    **dict.fromkeys(["S1", "S3", "S4"], "share"),
    **dict.fromkeys(["D1", "D3", "D4"], "rate"),
}


@pytest.fixture(scope="module")
def planning_areas_2021(shared_data) -> set[str]:
    path = shared_data / "berlin-mss" / "lor_2021_hierarchy.csv"
    table = read_table(path.read_bytes(), path.name)
    assert table.info.encoding == "utf-8-sig"
    return set(table.frame["Planungsraum (Nummer)"].to_list())


def test_wfs_table_2021_wide_layout(shared_data, planning_areas_2021):
    path = shared_data / "berlin-mss" / "indicators" / "mss_2021_index_indicators_wfs.csv"
    data = path.read_bytes()
    not_indicators = ["ZEIT", "BEZ_ID", "S2", "D2", "KOM"]
    map_classes = [c for c in read_table(data, path.name).frame.columns if c.endswith("_GR")]
    parsed = parse_observations(
        data,
        path.name,
        known_area_keys=planning_areas_2021,
        indicators=MSS_2021,
        year=2021,
        ignore_columns=not_indicators + map_classes,
    )
    assert parsed.ok, parsed.problems[:5]
    assert parsed.layout == "wide"
    assert (parsed.info.separator, parsed.info.decimal_mark) == (",", ".")
    assert parsed.summary.areas == 542
    assert parsed.summary.rows == 542 * 7
    first = parsed.frame.filter(area_key="01100101").select("indicator", "value", "line")
    assert dict(first.select("indicator", "value").rows()) == {
        "EW": 3419.0,
        "S1": 4.22594,
        "S3": 8.04329,
        "S4": 19.39799,
        "D1": 1.46443,
        "D3": 0.38963,
        "D4": 3.96175,
    }
    assert first["line"].unique().to_list() == [2]
    # areas below 300 residents have no indicator values in the published table
    assert parsed.summary.missing == 37


@pytest.mark.parametrize("edition", [2013, 2015, 2017, 2019])
def test_plr_tables_with_long_column_names(shared_data, edition):
    path = shared_data / "berlin-mss" / "indicators" / f"mss_{edition}_index_indicators_plr.csv"
    data = path.read_bytes()
    columns = read_table(data, path.name).frame.columns
    indicators = {c: "share" if c.startswith("s") else "rate" for c in columns[3:]}
    indicators["inhabitants"] = "population"
    parsed = parse_observations(
        data, path.name, known_area_keys=None, indicators=indicators, year=edition
    )
    assert parsed.ok, parsed.problems[:5]
    assert parsed.summary.areas == 447
    assert all(len(key) == 8 for key in parsed.frame["area_key"].unique().to_list())
