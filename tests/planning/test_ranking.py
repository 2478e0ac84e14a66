"""The need ranking from the stored data of the tiny city (2025).

Kinderarmut (sgb2_u15 / ew_u15 · 100) in 2025: Markt 0101 18/184 = 9,78 %, Mühlenweg 0102
10/122 = 8,20 %, Bahnhof 0201 140/306 = 45,75 %; mean 21,24 %, population sd 17,3418;
z = −0,661, −0,752, +1,413. Heide 0202 (255 residents) is below the minimum of 300.
"""

import datetime as dt

import pytest

from gemeinsinn.planning import services
from gemeinsinn.planning.services import IDEAS, INDICATOR, STATUS, Choice

KINDERARMUT = INDICATOR + "kinderarmut_u15"


def only(code, weight=1.0, worse=True):
    return [Choice(code, weight, worse)]


def test_ranking_by_one_indicator_by_hand(sozialraum):
    ranking = services.need_ranking(sozialraum, 2025, only(KINDERARMUT))
    ranked = [(row.area.key, row.rank) for row in ranking.rows]
    assert ranked == [("0201", 1), ("0101", 2), ("0102", 3)]
    scores = {row.area.key: row.score for row in ranking.rows}
    assert scores["0201"] == pytest.approx(1.413228, abs=1e-6)
    assert scores["0102"] == pytest.approx(-0.752338, abs=1e-6)
    assert [area.key for area, _reason in ranking.left_out] == ["0202"]
    first = ranking.rows[0]
    assert first.explanation == (
        "Rang 1: Kinderarmut (unter 15 Jahren) hoch (+1,4 σ; 45,8 % gegenüber 21,2 % im Mittel)"
    )
    assert first.cells == ["45,8 %"]
    assert len(ranking.input_checksum) == 64


def test_direction_turns_the_ranking_round(sozialraum):
    ranking = services.need_ranking(sozialraum, 2025, only(KINDERARMUT, worse=False))
    assert [row.area.key for row in ranking.rows] == ["0102", "0101", "0201"]
    assert ranking.rows[0].explanation.startswith(
        "Rang 1: Kinderarmut (unter 15 Jahren) niedrig (−0,8 σ; 8,2 %"
    )


def test_social_index_status_from_the_latest_run(index_run):
    level = index_run.definition.level
    available = [source.code for source in services.sources(level, 2025)]
    assert available[:2] == [STATUS, services.DYNAMICS]
    ranking = services.need_ranking(level, 2025, only(STATUS))
    stored = {r.area.key: r.status_index for r in index_run.results.select_related("area")}
    # The index has mean 0 and sd 1 over the same three areas: its z-value is the index itself.
    assert {row.area.key: row.score for row in ranking.rows} == pytest.approx(
        {key: value for key, value in stored.items() if value is not None}
    )
    assert ranking.rows[0].area.key == "0201" and ranking.index_run == index_run


def test_without_an_index_run_the_index_is_not_offered(sozialraum):
    codes = [source.code for source in services.sources(sozialraum, 2025)]
    assert STATUS not in codes and KINDERARMUT in codes and IDEAS in codes
    with pytest.raises(services.PlanningError, match="keine Werte zu: index:status"):
        services.need_ranking(sozialraum, 2025, only(STATUS))


def test_ideas_per_1000_residents_are_counted(sozialraum):
    from django.utils import timezone

    from gemeinsinn.areas.models import Area
    from gemeinsinn.ideas.models import Category, Idea, Process

    category = Category.objects.create(name="Wohnen und Wohnumgebung")
    when = dt.datetime(2025, 5, 1, 12, tzinfo=dt.UTC)
    process = Process.objects.create(
        title="Ideen", slug="ideen", collect_from=when, collect_until=when, comment_until=when
    )
    markt = Area.objects.get(level=sozialraum, key="0101")
    bahnhof = Area.objects.get(level=sozialraum, key="0201")
    for area, n in ((markt, 3), (bahnhof, 6)):
        for i in range(n):
            Idea.objects.create(
                process=process, title=f"Idee {i}", text="…", category=category, area=area,
                created_at=when,
            )  # fmt: skip
    Idea.objects.create(  # an earlier year does not count
        process=process, title="alt", text="…", category=category, area=markt,
        created_at=timezone.make_aware(dt.datetime(2024, 6, 1)),
    )  # fmt: skip
    Idea.objects.create(  # a later one does: statistics come a year late
        process=process, title="neu", text="…", category=category, area=bahnhof,
        created_at=timezone.make_aware(dt.datetime(2026, 2, 1)),
    )  # fmt: skip
    Idea.objects.create(  # hidden ideas do not count
        process=process, title="weg", text="…", category=category, area=markt, created_at=when,
        is_hidden=True,
    )  # fmt: skip
    ranking = services.need_ranking(sozialraum, 2025, only(IDEAS))
    cells = {row.area.key: row.cells[0] for row in ranking.rows}
    # 3 / 1 224 · 1 000 = 2,45; 7 / 1 530 · 1 000 = 4,58; 0 / 918 = 0
    assert cells == {"0101": "2,5", "0201": "4,6", "0102": "0,0"}
    assert [row.area.key for row in ranking.rows] == ["0201", "0101", "0102"]
    by_field = services.need_ranking(sozialraum, 2025, only(f"{IDEAS}:{category.pk}"))
    assert by_field.sources[0].label == "Ideen zu Wohnen und Wohnumgebung je 1 000 Einwohnende"
    other = Category.objects.create(name="Arbeitsmarkt")
    empty = services.need_ranking(sozialraum, 2025, only(f"{IDEAS}:{other.pk}"))
    assert "unterscheidet die Gebiete nicht" in empty.warnings[0]
    assert {row.rank for row in empty.rows} == {1}


def test_withheld_values_are_not_shown(sozialraum):
    from gemeinsinn.core.models import CityProfile

    CityProfile.objects.update(min_denominator=150)  # Mühlenweg has 122 children under 15
    ranking = services.need_ranking(sozialraum, 2025, only(KINDERARMUT, worse=False))
    muehlenweg = next(row for row in ranking.rows if row.area.key == "0102")
    assert muehlenweg.cells == ["."]
    # neither the value nor the mean (which would give it away with the other two values)
    assert muehlenweg.explanation == "Rang 1: Kinderarmut (unter 15 Jahren) niedrig (−0,8 σ)"
    markt = next(row for row in ranking.rows if row.area.key == "0101")
    assert markt.explanation == "Rang 2: Kinderarmut (unter 15 Jahren) niedrig (−0,7 σ; 9,8 %)"
    # two values withheld (Markt has 184 children): the mean gives neither away
    CityProfile.objects.update(min_denominator=190)
    ranking = services.need_ranking(sozialraum, 2025, only(KINDERARMUT))
    assert [row.cells for row in ranking.rows] == [["45,8 %"], ["."], ["."]]
    assert ranking.rows[0].explanation.endswith("(+1,4 σ; 45,8 % gegenüber 21,2 % im Mittel)")


def test_all_weights_zero_is_a_clear_error(sozialraum):
    with pytest.raises(services.PlanningError, match="mindestens einem Bestandteil"):
        services.need_ranking(sozialraum, 2025, only(KINDERARMUT, weight=0.0))


def test_saved_ranking_keeps_settings_version_and_result(index_run, planner):
    from gemeinsinn.core.models import AuditEvent

    level = index_run.definition.level
    choices = [Choice(STATUS, 2.0, True), Choice(KINDERARMUT, 1.0, True)]
    ranking = services.need_ranking(level, 2025, choices)
    saved = services.save_ranking("Verdichtung 2025", ranking, planner)
    assert saved.components == [
        {"code": STATUS, "weight": 2.0, "higher_is_worse": True, "label": "Sozialindex Status"},
        {"code": KINDERARMUT, "weight": 1.0, "higher_is_worse": True,
         "label": "Kinderarmut (unter 15 Jahren)"},
    ]  # fmt: skip
    assert saved.index_run == index_run and saved.input_checksum == ranking.input_checksum
    assert [(r.area.key, r.rank) for r in saved.areas.all()] == [
        (row.area.key, row.rank) for row in ranking.rows
    ]
    assert services.saved_choices(saved) == choices
    assert AuditEvent.objects.filter(action="planning.ranking", actor=planner).exists()
    again = services.need_ranking(level, 2025, services.saved_choices(saved))
    assert again.input_checksum == saved.input_checksum


def test_saving_without_name_is_refused(sozialraum):
    ranking = services.need_ranking(sozialraum, 2025, only(KINDERARMUT))
    with pytest.raises(services.PlanningError, match="Namen"):
        services.save_ranking("  ", ranking)


def test_ideas_indicator_of_the_monitoring_is_used_when_present(sozialraum):
    from gemeinsinn.areas.models import Area
    from gemeinsinn.monitoring.models import Indicator, Value

    indicator = Indicator.objects.create(
        code="ideen_je_1000", name="Ideen je 1 000", topic="wohnen", kind="rate"
    )
    for key, value in (("0101", 4.0), ("0102", 1.0), ("0201", 2.5)):
        Value.objects.create(
            indicator=indicator, area=Area.objects.get(level=sozialraum, key=key), year=2025,
            value=value,
        )  # fmt: skip
    codes = [source.code for source in services.sources(sozialraum, 2025)]
    assert INDICATOR + "ideen_je_1000" not in codes  # offered once, as the ideas component
    ranking = services.need_ranking(sozialraum, 2025, only(IDEAS))
    assert [(row.area.key, row.cells) for row in ranking.rows] == [
        ("0101", ["4,0"]), ("0201", ["2,5"]), ("0102", ["1,0"]),
    ]  # fmt: skip
