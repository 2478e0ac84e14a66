"""Target areas (Fördergebiete) chosen from a saved ranking: recorded with reasons, who, when
and on which data version; a new one gets the union of its members' outlines; bad choices are
refused in German and nothing is written."""

import pytest
import shapely

from gemeinsinn.areas.models import Area
from gemeinsinn.planning import services
from gemeinsinn.planning.models import TargetArea
from gemeinsinn.planning.services import STATUS, Choice


@pytest.fixture
def saved(index_run, planner):
    level = index_run.definition.level
    ranking = services.need_ranking(level, 2025, [Choice(STATUS, 1.0, True)])
    return services.save_ranking("Verdichtung 2025", ranking, planner)


def ranked(saved, *keys):
    """The ids of the areas with these keys (also of areas the ranking left out)."""
    return list(Area.objects.filter(level=saved.level, key__in=keys).values_list("pk", flat=True))


def test_new_target_area_with_reasons_and_data_version(saved, planner):
    decision = services.mark_target_area(
        saved, ranked(saved, "0201", "0101"), "Höchster Bedarf im Index", planner,
        name="Fördergebiet Bahnhof/Markt",
    )  # fmt: skip
    area = decision.area
    assert area.level.is_target_area and area.level.code == "foerdergebiet"
    assert area.key == "FG01" and area.name == "Fördergebiet Bahnhof/Markt"
    assert sorted(m.key for m in decision.members.all()) == ["0101", "0201"]
    assert decision.chosen_by == planner and decision.chosen_by_name == "Petra Plan"
    assert decision.index_run == saved.index_run and decision.input_checksum == saved.input_checksum
    # the outline is the union of the two squares 7.90–7.91 and 7.92–7.93 (51.20–51.22)
    outline = shapely.geometry.shape(area.current_boundary().geometry)
    assert outline.bounds == pytest.approx((7.90, 51.20, 7.93, 51.22))
    assert outline.area == pytest.approx(2 * 0.01 * 0.02)
    markt, bahnhof = (Area.objects.get(level=saved.level, key=k) for k in ("0101", "0201"))
    assert area.population == markt.population + bahnhof.population
    assert list(services.active_target_areas()) == [decision]


def test_existing_target_area_can_be_designated_once(saved, planner):
    level = services.target_level()
    existing = Area.objects.create(level=level, key="FG07", name="Soziale Stadt Nord")
    assert list(services.free_target_areas()) == [existing]
    services.mark_target_area(saved, ranked(saved, "0201"), "Bedarf", planner, existing=existing)
    assert list(services.free_target_areas()) == []
    with pytest.raises(services.PlanningError, match="bereits Fördergebiet"):
        services.mark_target_area(saved, ranked(saved, "0101"), "noch mal", planner,
                                  existing=existing)  # fmt: skip
    assert TargetArea.objects.count() == 1


@pytest.mark.parametrize(
    ("keys", "reason", "name", "message"),
    [
        ((), "Bedarf", "FG", "mindestens ein Gebiet"),
        (("0202",), "Bedarf", "FG", "Nur Gebiete mit einem Rang"),  # too small: no rank
        (("0201",), "  ", "FG", "Gründe der Auswahl"),
        (("0201",), "Bedarf", "", "Namen für das neue Fördergebiet"),
    ],
)
def test_bad_choices_are_refused_and_nothing_is_written(saved, planner, keys, reason, name,
                                                        message):  # fmt: skip
    with pytest.raises(services.PlanningError, match=message):
        services.mark_target_area(saved, ranked(saved, *keys), reason, planner, name=name)
    assert not TargetArea.objects.exists()
    assert not Area.objects.filter(level__is_target_area=True).exists()


def test_same_name_twice_is_refused(saved, planner):
    services.mark_target_area(saved, ranked(saved, "0201"), "Bedarf", planner, name="Nord")
    with pytest.raises(services.PlanningError, match="gibt es schon"):
        services.mark_target_area(saved, ranked(saved, "0101"), "Bedarf", planner, name="Nord")


def test_withdrawal_keeps_the_record_and_frees_the_area(saved, planner):
    decision = services.mark_target_area(
        saved, ranked(saved, "0201"), "Bedarf", planner, name="Nord"
    )
    with pytest.raises(services.PlanningError, match="Grund der Aufhebung"):
        services.withdraw_target_area(decision, "", planner)
    services.withdraw_target_area(decision, "Programm ausgelaufen", planner)
    decision.refresh_from_db()
    assert not decision.is_active and decision.withdrawal_reason == "Programm ausgelaufen"
    assert list(services.active_target_areas()) == []
    again = services.mark_target_area(
        saved, ranked(saved, "0201"), "wieder", planner, existing=decision.area
    )
    assert TargetArea.objects.count() == 2 and again.is_active


def test_pages_mark_and_withdraw(planner_client, saved):
    url = f"/verwaltung/planung/rangfolgen/{saved.pk}/"
    page = planner_client.get(url).content.decode()
    assert "Bahnhof als Fördergebiet auswählen" in page
    refused = planner_client.post(url, {"members": ranked(saved, "0201"), "name": "Nord"})
    assert refused.status_code == 400 and "Gründe der Auswahl" in refused.content.decode()
    assert "checked" in refused.content.decode()  # the choice is kept
    response = planner_client.post(
        url, {"members": ranked(saved, "0201", "0101"), "name": "Nord", "reason": "Index"}
    )
    assert response.status_code == 302
    listing = planner_client.get("/verwaltung/planung/foerdergebiete/").content.decode()
    assert "Nord (FG01)" in listing and "Bahnhof (0201)" in listing
    assert saved.input_checksum in listing and "Petra Plan" in listing
    decision = TargetArea.objects.get()
    planner_client.post(f"/verwaltung/planung/foerdergebiete/{decision.pk}/aufheben/", {})
    decision.refresh_from_db()
    assert decision.is_active  # no reason given: refused
    planner_client.post(
        f"/verwaltung/planung/foerdergebiete/{decision.pk}/aufheben/", {"reason": "erledigt"}
    )
    decision.refresh_from_db()
    assert not decision.is_active
