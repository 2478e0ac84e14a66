"""The real Berlin MSS through the platform (`gemeinsinn berlin-mss`): boundaries, tables and
index runs reproduce the publisher's class of every Planungsraum, 2013–2019."""

import csv
from pathlib import Path

import pytest

from gemeinsinn.areas.models import Area
from gemeinsinn.formats.problems import InputError
from gemeinsinn.monitoring import berlin
from gemeinsinn.monitoring.models import IndexResult

PUBLISHED = Path(__file__).parents[1] / "analysis" / "data"


@pytest.fixture
def loaded(db, shared_data):
    lines = list(berlin.load(shared_data / "berlin-mss"))
    return lines


def published(year: int) -> dict[str, tuple[int, int]]:
    with (PUBLISHED / f"mss_published_{year}.csv").open(encoding="utf-8") as f:
        return {
            r["id"]: (int(r["status_class"]), int(r["dynamics_class"])) for r in csv.DictReader(f)
        }


@pytest.mark.shared_data
def test_every_published_class_is_reproduced_in_the_platform(loaded):
    assert Area.objects.filter(level__code="planungsraum").count() == 448
    assert Area.objects.get(key="01011101").parent.key == "010111"
    for year in berlin.EDITIONS:
        results = IndexResult.objects.filter(run__definition__slug=f"mss-{year}", included=True)
        ours = {
            r.area.key: (r.status_class, r.dynamics_class) for r in results.select_related("area")
        }
        expected = published(year)
        wrong = {k: (ours.get(k), v) for k, v in expected.items() if ours.get(k) != v}
        assert set(ours) == set(expected), year
        assert wrong == {}, f"{year}: {len(wrong)} areas differ"


@pytest.mark.shared_data
def test_population_is_summed_to_bezirke(loaded):
    mitte = Area.objects.get(level__code="bezirk", key="01")
    children = Area.objects.filter(parent__parent=mitte)
    assert mitte.population == sum(a.population for a in children)


@pytest.mark.django_db
def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InputError) as error:
        list(berlin.load(tmp_path))
    assert "berlin_bezirke.geojson fehlt" in str(error.value)
    assert not Area.objects.exists()
