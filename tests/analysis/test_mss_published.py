"""The published MSS classes of every Planungsraum, editions 2013–2021, reproduced area by area.

The expected classes are the publisher's own (tests/analysis/data/mss_published_<year>.csv,
see the README there): status class 1–4, dynamics class 1 positiv / 2 stabil / 3 negativ and,
for 2013–2017, the published status index (5 decimals). The index is computed from the real
indicator files in ../shared/data with ``mss_settings(edition)``; tests that need those files
skip without them.
"""

import csv
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from gemeinsinn.analysis.classify import MSS_DYNAMICS_CLASSES, MSS_STATUS_CLASSES, combined_labels
from gemeinsinn.analysis.index import IndexResult, compute_index
from gemeinsinn.analysis.mss import MSS_EDITIONS, mss_settings

DATA = Path(__file__).parent / "data"
INDICATORS = "berlin-mss/indicators"

STATUS_INDEX_TOLERANCE = 1e-5
"""The publisher rounds the index to 5 decimals (±5e-6) and our inputs are the indicator
values rounded to 5 decimals; the largest difference observed is 8.5e-6 (2015)."""

EDITIONS_WITH_INDEX = (2013, 2015, 2017)
"""Editions whose converted table 3 still carries the status index (2019/2021: only the sum)."""

AREA_COUNTS = {2013: 434, 2015: 435, 2017: 436, 2019: 436, 2021: 536}
"""Planungsräume with a published index (status and dynamics class), per edition."""


def published(edition: int) -> dict[str, dict[str, object]]:
    """Published classes (and status index where available) by Planungsraum."""
    with open(DATA / f"mss_published_{edition}.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return {
        row["id"]: {
            "status": int(row["status_class"]),
            "dynamics": int(row["dynamics_class"]),
            "index": float(row["status_index"]) if row.get("status_index") else None,
        }
        for row in rows
    }


def computed_from_plr(shared_data: Path, edition: int) -> IndexResult:
    path = shared_data / INDICATORS / f"mss_{edition}_index_indicators_plr.csv"
    frame = pl.read_csv(path, schema_overrides={"id": pl.Utf8})
    values = {
        column.split("_")[0].upper(): frame[column].to_numpy().astype(float)
        for column in frame.columns
        if column[0] in "sd" and column[1].isdigit()
    }
    population = frame["inhabitants"].to_numpy().astype(float)
    return compute_index(frame["id"].to_list(), population, values, mss_settings(edition))


def computed_from_wfs_2021(shared_data: Path) -> IndexResult:
    """All 542 Planungsräume of 2021, including the six the publisher left without an index."""
    path = shared_data / INDICATORS / "mss_2021_index_indicators_wfs.csv"
    frame = pl.read_csv(path, schema_overrides={"PLR_ID": pl.Utf8, "BEZ_ID": pl.Utf8})
    values = {
        code: np.where(frame[code].to_numpy() == -9999, np.nan, frame[code].to_numpy())
        for code in ("S1", "S3", "S4", "D1", "D3", "D4")
    }
    population = frame["EW"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    return compute_index(frame["PLR_ID"].to_list(), population, values, mss_settings(2021))


def class_differences(result: IndexResult, expected: dict[str, dict[str, object]]) -> list[str]:
    """One line per disagreement: areas only on one side, then areas with other classes."""
    rows = {area: row for row, area in enumerate(result.area_ids) if result.included[row]}
    lines = [
        f"{area}: published (status {expected[area]['status']}, dynamics "
        f"{expected[area]['dynamics']}) but not in our index "
        f"({result.exclusion_reason[result.area_ids.index(area)]})"
        if area in result.area_ids
        else f"{area}: published but missing from the input file"
        for area in sorted(set(expected) - set(rows))
    ]
    lines += [
        f"{area}: in our index (status {result.status_class[rows[area]]}, dynamics "
        f"{result.dynamics_class[rows[area]]}) but not published"
        for area in sorted(set(rows) - set(expected))
    ]
    areas = sorted(set(rows) & set(expected))
    status = np.array([expected[area]["status"] for area in areas])
    dynamics = np.array([expected[area]["dynamics"] for area in areas])
    published_combined = combined_labels(status, dynamics, MSS_DYNAMICS_CLASSES)
    for area, their_status, their_dynamics, their_combined in zip(
        areas, status, dynamics, published_combined, strict=True
    ):
        row = rows[area]
        ours = (
            int(result.status_class[row]),
            int(result.dynamics_class[row]),
            result.combined_class[row],
        )
        if ours != (their_status, their_dynamics, their_combined):
            lines.append(
                f"{area}: published {their_combined} (status {their_status}, dynamics "
                f"{their_dynamics}), computed {ours[2]} (status {ours[0]}, dynamics {ours[1]}; "
                f"status index {result.status_index[row]:.5f}, dynamics index "
                f"{result.dynamics_index[row]:.5f})"
            )
    return lines


@pytest.mark.parametrize("edition", MSS_EDITIONS)
def test_fixture_is_complete_and_consistent(edition):
    expected = published(edition)
    assert len(expected) == AREA_COUNTS[edition]
    assert all(len(area) == 8 and area.isdigit() for area in expected)
    assert {row["status"] for row in expected.values()} == {1, 2, 3, 4}
    assert {row["dynamics"] for row in expected.values()} == {1, 2, 3}
    indexed = [(area, row) for area, row in expected.items() if row["index"] is not None]
    assert bool(indexed) == (edition in EDITIONS_WITH_INDEX)
    for area, row in indexed:  # the published index and the published class agree
        assert MSS_STATUS_CLASSES.classify(np.array([row["index"]]))[0] == row["status"], area


@pytest.mark.shared_data
@pytest.mark.parametrize("edition", MSS_EDITIONS)
def test_every_published_class_is_reproduced(shared_data, edition):
    expected = published(edition)
    result = computed_from_plr(shared_data, edition)
    differences = class_differences(result, expected)
    assert not differences, (
        f"MSS {edition}: {len(differences)} of {len(expected)} published areas differ:\n"
        + "\n".join(differences)
    )
    assert int(result.included.sum()) == len(expected)


@pytest.mark.shared_data
def test_every_published_class_is_reproduced_from_all_2021_areas(shared_data):
    """The 2021 PLR file lists valid areas only; the WFS file has all 542, excluded ones too."""
    expected = published(2021)
    result = computed_from_wfs_2021(shared_data)
    assert len(result.area_ids) == 542
    differences = class_differences(result, expected)
    assert not differences, "MSS 2021 (WFS):\n" + "\n".join(differences)
    left_out = sorted(set(result.area_ids) - set(expected))
    assert left_out == ["03300515", "03400831", "04400725", "05300838", "06200418", "10100205"]


@pytest.mark.shared_data
@pytest.mark.parametrize("edition", EDITIONS_WITH_INDEX)
def test_published_status_index_is_reproduced(shared_data, edition):
    expected = published(edition)
    result = computed_from_plr(shared_data, edition)
    ours = dict(zip(result.area_ids, result.status_index, strict=True))
    differences = {area: ours[area] - row["index"] for area, row in expected.items()}
    too_far = [
        f"{area}: published {expected[area]['index']:.5f}, computed {ours[area]:.7f}"
        for area, difference in sorted(differences.items())
        if not abs(difference) <= STATUS_INDEX_TOLERANCE
    ]
    assert not too_far, f"MSS {edition} status index off by more than 1e-5:\n" + "\n".join(too_far)
