"""Public pages of areas: the list by level and the district profile ("Ortsteilsteckbrief")."""

from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.events.services import area_summary as event_summary
from gemeinsinn.ideas.services import area_summary as idea_summary
from gemeinsinn.monitoring import maps, publication, services
from gemeinsinn.monitoring.charts import sparkline
from gemeinsinn.monitoring.default_catalogue import TOPICS
from gemeinsinn.monitoring.models import Indicator
from gemeinsinn.monitoring.views import area_index_results
from gemeinsinn.surveys.services import area_summary as survey_summary


def area_list(request):
    levels = []
    for level in SpatialLevel.objects.order_by("is_target_area", "order"):
        areas = list(level.areas.select_related("parent").order_by("key"))
        if areas:
            levels.append((level, areas))
    return render(request, "areas/area_list.html", {"levels": levels})


def profile(request, level, key):
    area = get_object_or_404(
        Area.objects.select_related("level", "parent"), level__code=level, key=key
    )
    years = services.available_years(area.level)
    year = years[-1] if years else None
    rules = publication.CityProfile.current().confidentiality_rules()
    too_small = area.population is not None and area.population < rules.min_population
    sections = []
    if year is not None and not too_small:
        sections = _indicator_sections(area, year)
    index_results = list(area_index_results(area))
    latest_index = index_results[0] if index_results else None
    siblings_map = None
    if area.parent_id:
        siblings = list(area.parent.children.order_by("key"))
        siblings_map = maps.class_map(
            siblings,
            {s.pk: (1 if s.pk == area.pk else 2) for s in siblings},
            {1: area.name, 2: _("weitere Gebiete in %(parent)s") % {"parent": area.parent.name}},
            {},
            palette="highlight",
            id_prefix="lage",
            caption=_("Lage von %(name)s in %(parent)s")
            % {"name": area.name, "parent": area.parent.name},
        )
    context = {
        "area": area,
        "year": year,
        "too_small": too_small,
        "min_population": rules.min_population,
        "sections": sections,
        "latest_index": latest_index,
        "index_history": index_results,
        "children": area.children.order_by("key"),
        "siblings_map": siblings_map,
        "status_labels": maps.STATUS_LABELS,
        "dynamics_labels": maps.DYNAMICS_LABELS,
        "contributions": _contributions(latest_index),
        "ideas": idea_summary(area),
        "surveys": survey_summary(area),
        "events": event_summary(area),
    }
    return render(request, "areas/profile.html", context)


def _indicator_sections(area, year):
    """Every published indicator: value, city reference, rank among the level, trend."""
    years = services.available_years(area.level)
    sections = {}
    indicators = Indicator.objects.exclude(kind="count").order_by("name")
    for indicator in indicators:
        rows = publication.indicator_rows(indicator, year, area.level)
        row = next((r for r in rows if r.area.pk == area.pk), None)
        if row is None:
            continue
        ranked = sum(1 for r in rows if r.rank is not None)
        published_history = publication.area_series(area, indicator, years)
        sections.setdefault(indicator.topic, []).append(
            {
                "indicator": indicator,
                "cell": row.cell,
                "reference": publication.city_value(indicator, year, area.level),
                "rank": row.rank,
                "ranked": ranked,
                "trend": mark_safe(  # noqa: S308 - built from numbers and escaped text only
                    sparkline(
                        published_history,
                        _("Verlauf %(name)s %(first)s bis %(last)s")
                        % {"name": indicator.name, "first": years[0], "last": years[-1]},
                    )
                ),
                "history": published_history,
            }
        )
    return [(TOPICS[key], sections[key]) for key in TOPICS if key in sections]


def _contributions(result):
    if result is None or not result.included:
        return []
    names = dict(Indicator.objects.values_list("code", "name"))
    rows = []
    for code, value in sorted(result.contributions.items(), key=lambda kv: -abs(kv[1])):
        base, _sep, suffix = code.partition("__")
        name = names.get(base, base)
        if suffix == "change":
            name = _("Veränderung: %(name)s") % {"name": name}
        rows.append({"name": name, "value": value})
    return rows
