"""Public pages of the monitoring: city overview, indicators."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.monitoring import maps, publication, services
from gemeinsinn.monitoring.default_catalogue import TOPICS
from gemeinsinn.monitoring.models import IndexResult, Indicator


def _choose_level(request, default: SpatialLevel | None) -> SpatialLevel | None:
    code = request.GET.get("ebene")
    if code:
        level = SpatialLevel.objects.filter(code=code).first()
        if level is None:
            raise Http404(_("Diese Gebietsebene gibt es nicht."))
        return level
    return default


def level_and_year(request) -> tuple[SpatialLevel, list[int], int | None]:
    """The level (`?ebene=`, default the finest) and year (`?jahr=`, default the latest)."""
    level = _choose_level(request, area_services.finest_level())
    if level is None:
        raise Http404(_("Es sind noch keine Gebiete angelegt."))
    years = services.available_years(level)
    return level, years, _choose_year(request, years)


def _choose_year(request, years: list[int]) -> int | None:
    text = request.GET.get("jahr")
    if text and text.isdigit() and int(text) in years:
        return int(text)
    return years[-1] if years else None


def overview(request):
    definition = services.default_index()
    context = {"definition": definition, "topics": _topics()}
    if definition is not None:
        years = sorted(definition.runs.values_list("year", flat=True).distinct())
        year = _choose_year(request, years)
        run = services.latest_run(definition, year) if year else None
        context.update(years=years, year=year, run=run)
        if run is not None:
            results = list(
                IndexResult.objects.filter(run=run)
                .select_related("area", "area__level")
                .order_by("area__key")
            )
            context.update(_index_context(definition, run, results))
    return render(request, "monitoring/overview.html", context)


def _index_context(definition, run, results):
    view = "status"
    classes = {r.area_id: r.status_class for r in results if r.included}
    titles = {r.area_id: maps.index_title(r) for r in results}
    map_data = maps.class_map(
        [r.area for r in results],
        classes,
        maps.STATUS_LABELS,
        titles,
        palette="status",
        caption=_("Karte: Sozialer Status %(name)s %(year)s")
        % {"name": definition.level.plural, "year": run.year},
    )
    ranked = sorted((r for r in results if r.included), key=lambda r: (-r.status_index, r.area.key))
    excluded = [r for r in results if not r.included]
    return {
        "view": view,
        "map": map_data,
        "ranked": ranked,
        "excluded": excluded,
        "status_labels": maps.STATUS_LABELS,
        "dynamics_labels": maps.DYNAMICS_LABELS,
    }


def _topics():
    by_topic = {}
    for indicator in Indicator.objects.exclude(kind="count").order_by("name"):
        by_topic.setdefault(indicator.topic, []).append(indicator)
    return [(TOPICS[key], by_topic[key]) for key in TOPICS if key in by_topic]


def indicator_list(request):
    counts = Indicator.objects.filter(kind="count").order_by("topic", "name")
    return render(
        request, "monitoring/indicator_list.html", {"topics": _topics(), "counts": counts}
    )


def indicator_detail(request, code):
    indicator = get_object_or_404(Indicator, code=code)
    level, years, year = level_and_year(request)
    context = {
        "indicator": indicator,
        "level": level,
        "levels": area_services.hierarchy_levels(),
        "years": years,
        "year": year,
    }
    if year is not None:
        rows = publication.indicator_rows(indicator, year, level)
        classes, labels = maps.quantile_classes([r.cell.value for r in rows])
        unit = f" {indicator.unit}" if indicator.unit else ""
        titles = {r.area.pk: f"{r.cell.text}{unit}" for r in rows}
        palette = "sequential_good" if indicator.higher_is_worse is False else "sequential_bad"
        context.update(
            rows=rows,
            ordered=sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.area.key)),
            reference=publication.city_value(indicator, year, level),
            map=maps.class_map(
                [r.area for r in rows],
                {r.area.pk: c for r, c in zip(rows, classes, strict=True)},
                labels,
                titles,
                palette=palette,
                caption=_("Karte: %(name)s %(year)s nach %(level)s")
                % {"name": indicator.name, "year": year, "level": level.plural},
            ),
        )
    return render(request, "monitoring/indicator_detail.html", context)


def area_index_results(area: Area):
    return (
        IndexResult.objects.filter(area=area, run__definition__is_published=True)
        .select_related("run", "run__definition")
        .order_by("run__definition__name", "-run__year", "-run__created_at")
    )
