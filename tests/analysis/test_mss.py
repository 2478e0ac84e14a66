"""Reproduction of the published Berlin MSS index, editions 2013–2021, on the real data.

Published per-area classes quoted below come from the official MSS tables as converted by
the open-lifeworlds data product "berlin-lor-monitoring-social-urban-development"
(CC BY 4.0; Quelle: SenStadt Berlin, Monitoring Soziale Stadtentwicklung <Jahr>).
"""

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from gemeinsinn.analysis.index import compute_index
from gemeinsinn.analysis.mss import (
    MSS_EDITIONS,
    MSS_OUTLIERS,
    mss_indicator_codes,
    mss_settings,
)

INDICATORS = "berlin-mss/indicators"

# edition: (areas in the file, included, below 300 residents, status counts, dynamics counts)
REPRODUCED = {
    2013: (447, 434, 12, [80, 264, 52, 38], [54, 330, 50]),
    2015: (447, 435, 11, [78, 270, 49, 38], [48, 350, 37]),
    2017: (447, 436, 9, [75, 278, 41, 42], [49, 339, 48]),
    2019: (447, 436, 9, [67, 283, 47, 39], [46, 357, 33]),
    2021: (536, 536, 0, [75, 366, 46, 49], [48, 436, 52]),
}


def read_edition(shared_data: Path, edition: int):
    """(ids, population, values by MSS code) of mss_<edition>_index_indicators_plr.csv."""
    path = shared_data / INDICATORS / f"mss_{edition}_index_indicators_plr.csv"
    frame = pl.read_csv(path, schema_overrides={"id": pl.Utf8})
    values = {
        column.split("_")[0].upper(): frame[column].to_numpy().astype(float)
        for column in frame.columns
        if column[0] in "sd" and column[1].isdigit()
    }
    return frame["id"].to_list(), frame["inhabitants"].to_numpy().astype(float), values


def read_wfs_2021(shared_data: Path) -> pl.DataFrame:
    path = shared_data / INDICATORS / "mss_2021_index_indicators_wfs.csv"
    return pl.read_csv(path, schema_overrides={"PLR_ID": pl.Utf8, "BEZ_ID": pl.Utf8})


def mss_result(shared_data: Path, edition: int):
    ids, population, values = read_edition(shared_data, edition)
    return compute_index(ids, population, values, mss_settings(edition)), values


@pytest.fixture(scope="module", params=MSS_EDITIONS)
def edition_run(request, shared_data):
    result, values = mss_result(shared_data, request.param)
    return request.param, result, values


def test_areas_included_and_excluded(edition_run):
    edition, result, values = edition_run
    areas, included, small, _, _ = REPRODUCED[edition]
    assert len(result.area_ids) == areas
    assert int(result.included.sum()) == included
    assert result.exclusion_reason.count("population_below_minimum") == small
    below = [r == "population_below_minimum" for r in result.exclusion_reason]
    # The 2013–2019 files list small areas with zeros: only the population keeps them out.
    assert all((values[code][below] == 0).all() for code in values)
    present = MSS_OUTLIERS[edition] & set(result.area_ids)
    for area in present:
        assert result.exclusion_reason[result.area_ids.index(area)] == "excluded_outlier"
    assert result.exclusion_reason.count("excluded_outlier") == len(present)
    assert "missing_values" not in result.exclusion_reason


def test_reproduced_class_counts(edition_run):
    edition, result, _ = edition_run
    _, _, _, status_counts, dynamics_counts = REPRODUCED[edition]
    assert np.bincount(result.status_class, minlength=5)[1:].tolist() == status_counts
    assert np.bincount(result.dynamics_class, minlength=4)[1:].tolist() == dynamics_counts


def test_z_scores_use_the_population_sd(edition_run):
    edition, result, values = edition_run
    inside = result.included
    for code, z in result.z.items():
        assert z[inside].mean() == pytest.approx(0.0, abs=1e-12)
        assert z[inside].std(ddof=0) == pytest.approx(1.0, abs=1e-12)
        assert z[inside].std(ddof=1) > 1.0 + 1e-4
        assert result.indicator_standards[code].sd == pytest.approx(values[code][inside].std())
    for index in (result.status_index, result.dynamics_index):
        assert index[inside].mean() == pytest.approx(0.0, abs=1e-12)
        assert index[inside].std(ddof=0) == pytest.approx(1.0, abs=1e-12)
        assert np.isnan(index[~inside]).all()


def test_s2_belongs_to_2013_to_2017_only():
    assert mss_indicator_codes(2017) == (("S1", "S2", "S3", "S4"), ("D1", "D2", "D3", "D4"))
    assert mss_indicator_codes(2019) == (("S1", "S3", "S4"), ("D1", "D3", "D4"))
    settings = mss_settings(2021)
    assert settings.min_population == 300
    assert settings.exclude == frozenset({"10100205"})


def test_unknown_edition_is_refused_in_german():
    with pytest.raises(ValueError, match="Keine Voreinstellung für das MSS 2020.*2013, 2015"):
        mss_settings(2020)


def test_validity_flags_reproduce_the_wfs_file(shared_data):
    frame = read_wfs_2021(shared_data)
    values = {
        code: np.where(frame[code].to_numpy() == -9999, np.nan, frame[code].to_numpy())
        for code in ("S1", "S3", "S4", "D1", "D3", "D4")
    }
    population = frame["EW"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    result = compute_index(frame["PLR_ID"].to_list(), population, values, mss_settings(2021))
    published = frame["KOM"].to_list()
    assert len(published) == 542
    assert published.count("gültig") == int(result.included.sum()) == 536
    # One area has no population in the WFS file; the publisher files it under "EW unter 300",
    # we keep the more precise reason. Every other flag is reproduced word for word.
    unknown = result.area_ids.index("03400831")
    assert result.exclusion_reason[unknown] == "missing_population"
    assert published[unknown] == "ungültig (EW unter 300)"
    ours = [label for i, label in enumerate(result.exclusion_label) if i != unknown]
    theirs = [label for i, label in enumerate(published) if i != unknown]
    assert ours == theirs
    assert result.exclusion_label[result.area_ids.index("10100205")] == "ungültig (Ausreißer)"
    # The outlier's values are missing in the WFS file, but the outlier reason takes precedence.
    assert result.warnings == ()

    plr, _ = mss_result(shared_data, 2021)
    by_id = dict(zip(result.area_ids, result.status_index, strict=True))
    np.testing.assert_allclose([by_id[a] for a in plr.area_ids], plr.status_index, rtol=1e-12)


def test_the_2021_plr_file_lacks_the_outlier_and_we_say_so(shared_data):
    result, _ = mss_result(shared_data, 2021)
    assert len(result.warnings) == 1
    assert "10100205" in result.warnings[0]


def index_of(result, area: str) -> tuple[float, int]:
    row = result.area_ids.index(area)
    return float(result.status_index[row]), int(result.status_class[row])


def test_boundary_cases_are_classified_unrounded(shared_data):
    result, _ = mss_result(shared_data, 2021)
    value, status = index_of(result, "01100415")  # about -0.998: "mittel"
    assert value == pytest.approx(-0.99839, abs=5e-6) and status == 2
    value, status = index_of(result, "06300631")  # about -1.005: "hoch"
    assert value == pytest.approx(-1.00520, abs=5e-6) and status == 1
    value, status = index_of(result, "09501838")  # -1.00469 prints as -1,00 but is "hoch"
    assert value == pytest.approx(-1.00469, abs=5e-6) and status == 1
    assert round(value, 2) == -1.0


# area: (edition, published status index or None, published status class, dynamics class)
PUBLISHED = {
    "01011101": (2013, -0.49038, 2, 2),  # Stülerstraße
    "12301205": (2013, -1.00471, 1, 2),  # Waidmannslust
    "12214422": (2013, 1.50044, 4, 2),  # Klixstraße
    "07070707": (2015, None, 1, 3),  # Wittelsbacherstraße
    "09030901": (2019, None, 1, 2),  # Dorf Altglienicke
}


@pytest.mark.parametrize("area", sorted(PUBLISHED))
def test_published_values_and_classes(shared_data, area):
    edition, published_index, status_class, dynamics_class = PUBLISHED[area]
    result, _ = mss_result(shared_data, edition)
    row = result.area_ids.index(area)
    if published_index is not None:
        assert round(float(result.status_index[row]), 5) == published_index
    assert result.status_class[row] == status_class
    assert result.dynamics_class[row] == dynamics_class


def sample_sd_classes(result, values, codes, scheme):
    """The index as it would be with the sample sd (ddof=1): the mistake the MSS warns of."""
    inside = result.included
    z = [
        (values[c][inside] - values[c][inside].mean()) / values[c][inside].std(ddof=1)
        for c in codes
    ]
    total = np.sum(z, axis=0)
    return scheme.classify(total / total.std(ddof=1))


@pytest.mark.parametrize(
    ("edition", "area", "component", "published", "with_sample_sd"),
    [
        (2013, "12214422", "status", 4, 3),  # Klixstraße: 1.5004 vs 1.4987
        (2015, "07070707", "dynamics", 3, 2),  # Wittelsbacherstraße: 1.0004 vs 0.9993
        (2019, "09030901", "status", 1, 2),  # Dorf Altglienicke: -1.0008 vs -0.9997
    ],
)
def test_sample_sd_would_change_published_classes(
    shared_data, edition, area, component, published, with_sample_sd
):
    result, values = mss_result(shared_data, edition)
    settings = mss_settings(edition)
    status_codes, dynamics_codes = mss_indicator_codes(edition)
    if component == "status":
        codes, scheme, ours = status_codes, settings.status_classes, result.status_class
    else:
        codes, scheme, ours = dynamics_codes, settings.dynamics_classes, result.dynamics_class
    row = result.area_ids.index(area)
    wrong = sample_sd_classes(result, values, codes, scheme)
    assert ours[row] == published
    assert wrong[int(result.included[:row].sum())] == with_sample_sd
    changed = int((wrong != ours[result.included]).sum())
    assert changed == 1  # exactly this one area moves in this edition
