"""The Sozialbericht: the complete social report for a year and a spatial level.

Title page and contents; "Das Wichtigste in Kürze"; one chapter per topic (maps, tables,
charts and written findings from the published indicator values); the social index; the
survey results; a profile page per area; methods and sources. Planners' own text per chapter
(``ChapterText``, kind "sozialbericht", slugs from :data:`CHAPTERS`) is printed before the
generated findings.

Values come from monitoring/publication.py, so the confidentiality rules of the web pages
apply; all values of an indicator and year are fetched at once, never per area.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.core.models import CityProfile
from gemeinsinn.ideas.services import clean_text
from gemeinsinn.monitoring.default_catalogue import (
    ARBEITSMARKT,
    ARMUT,
    BILDUNG,
    DEMOGRAPHIE,
    FAMILIE,
    JUGEND,
    MIGRATION,
    SENIOREN,
    WOHNEN,
)
from gemeinsinn.monitoring.models import Value
from gemeinsinn.monitoring.services import available_years
from gemeinsinn.socialreport.models import ChapterText
from gemeinsinn.socialreport.services import Document, Progress, ReportError, ReportRequest
from gemeinsinn.socialreport.services import sozialbericht_sources as sources
from gemeinsinn.socialreport.services.sozialbericht_index import index_chapter
from gemeinsinn.socialreport.services.sozialbericht_maps import PrintMaps
from gemeinsinn.socialreport.services.sozialbericht_profiles import ProfileBuilder
from gemeinsinn.socialreport.services.sozialbericht_surveys import (
    later_surveys,
    survey_sections,
)
from gemeinsinn.socialreport.services.sozialbericht_text import dative_plural
from gemeinsinn.socialreport.services.sozialbericht_topics import (
    SectionBuilder,
    TopicChapter,
    chapter_indicators,
    indicators_with_data,
)
from gemeinsinn.surveys.results import MIN_GROUP

KIND = "sozialbericht"
PROFILE_BLOCK = 25  # area profiles per progress step

# the topic chapters: slug, title, topics of the indicator catalogue
TOPIC_CHAPTERS = [
    ("demographie", gettext_lazy("Demographie"), (DEMOGRAPHIE,)),
    ("armut", gettext_lazy("Armut"), (ARMUT,)),
    ("migration", gettext_lazy("Migration und Zuwanderung"), (MIGRATION,)),
    ("bildung", gettext_lazy("Bildung"), (BILDUNG,)),
    ("arbeitsmarkt", gettext_lazy("Arbeitsmarkt"), (ARBEITSMARKT,)),
    ("wohnen", gettext_lazy("Wohnen"), (WOHNEN,)),
    ("jugend-familie", gettext_lazy("Jugend und Familie"), (JUGEND, FAMILIE)),
    ("senioren", gettext_lazy("Senioren"), (SENIOREN,)),
]

# every chapter in the order of the report: (slug, title). The slugs are stable: planners'
# texts (ChapterText.chapter) refer to them.
CHAPTERS = [
    ("zusammenfassung", gettext_lazy("Das Wichtigste in Kürze")),
    *[(slug, title) for slug, title, _topics in TOPIC_CHAPTERS],
    ("sozialindex", gettext_lazy("Sozialindex")),
    ("umfragen", gettext_lazy("Ergebnisse der Umfragen")),
    ("gebietsprofile", gettext_lazy("Gebietsprofile")),
    ("methoden", gettext_lazy("Methoden und Quellen")),
]


def levels_with_data(year: int) -> list[SpatialLevel]:
    ids = set(Value.objects.filter(year=year).values_list("area__level_id", flat=True).distinct())
    return [
        level
        for level in SpatialLevel.objects.order_by("is_target_area", "order")
        if level.pk in ids
    ]


def _level_list(levels: list[SpatialLevel]) -> str:
    return ", ".join(f"„{level.code}“ ({level.plural})" for level in levels)


def resolve(request: ReportRequest) -> SpatialLevel:
    """The report's level: the requested one, or the finest hierarchy level with data."""
    years = available_years()
    if request.year not in years:
        if not years:
            raise ReportError(
                _(
                    "Es gibt noch keine Statistikdaten. Importieren Sie zuerst eine "
                    "Statistiktabelle, dann kann der Sozialbericht erstellt werden."
                )
            )
        raise ReportError(
            _(
                "Für das Jahr %(year)s gibt es keine Statistikdaten. Daten gibt es für: "
                "%(years)s. Wählen Sie eines dieser Jahre."
            )
            % {"year": request.year, "years": ", ".join(str(y) for y in years)}
        )
    candidates = levels_with_data(request.year)
    if request.level is None:
        hierarchy = [level for level in candidates if not level.is_target_area]
        if not hierarchy:
            raise ReportError(
                _("Für %(year)s gibt es Daten nur für Zielgebiete: %(levels)s. Geben Sie eine "
                  "dieser Ebenen an.") % {"year": request.year, "levels": _level_list(candidates)}
            )  # fmt: skip
        return hierarchy[-1]
    level = next((c for c in candidates if c.code == request.level), None)
    if level is None:
        exists = SpatialLevel.objects.filter(code=request.level).exists()
        message = (
            _("Für die Gebietsebene „%(level)s“ gibt es %(year)s keine Daten.")
            if exists
            else _("Die Gebietsebene „%(level)s“ gibt es nicht.")
        )
        raise ReportError(
            (message % {"level": request.level, "year": request.year})
            + " "
            + _("Daten für %(year)s gibt es für die Ebenen: %(levels)s.")
            % {"year": request.year, "levels": _level_list(candidates)}
        )
    return level


def planner_texts(year: int) -> dict[str, list[str]]:
    """Planners' text per chapter slug, as plain paragraphs."""
    texts = {}
    for chapter, text in ChapterText.objects.filter(kind=KIND, year=year).values_list(
        "chapter", "text"
    ):
        paragraphs = [p.strip() for p in clean_text(text).split("\n\n") if p.strip()]
        if paragraphs:
            texts[chapter] = paragraphs
    return texts


def compose(request: ReportRequest, progress: Progress) -> Document:
    level = resolve(request)
    year = request.year
    city = CityProfile.current()
    with_data = available_years(level)
    years = [y for y in with_data if y <= year]
    areas = list(Area.objects.filter(level=level).select_related("level", "parent").order_by("key"))
    blocks = -(-len(areas) // PROFILE_BLOCK)
    # progress: the topic chapters, index, surveys, the blocks of profiles, the appendix
    total = len(TOPIC_CHAPTERS) + 2 + blocks + 1
    done = 0

    def step(text: str) -> None:
        nonlocal done
        progress(done, total, text)
        done += 1

    texts = planner_texts(year)
    print_maps = PrintMaps(areas)
    builder = SectionBuilder(level, year, years, print_maps)
    indicators = indicators_with_data(level, year)
    chapters = []
    for slug, title, topics in TOPIC_CHAPTERS:
        step(str(title))
        chapter = TopicChapter(slug, str(title), topics, planner=texts.get(slug, []))
        chapter.sections = [builder.section(i) for i in chapter_indicators(indicators, topics)]
        chapters.append(chapter)
    step(_("Sozialindex"))
    index = index_chapter(level, year, print_maps)
    step(_("Umfragen"))
    latest_edition = year == max(with_data, default=year)
    surveys = survey_sections(year, request.language, with_running=latest_edition)
    sections = [s for chapter in chapters for s in chapter.sections]
    profile = ProfileBuilder(level, sections, index, print_maps)
    area_profiles = []
    for start in range(0, len(areas), PROFILE_BLOCK):
        step(_("Gebietsprofile"))
        area_profiles.extend(profile(area) for area in areas[start : start + PROFILE_BLOCK])
    step(_("Methoden und Quellen"))
    generated = timezone.localtime()
    datasets = sources.datasets()
    context = {
        "city": city,
        "year": year,
        "level": level,
        "level_dative": dative_plural(level.plural),
        "years": years,
        "generated": generated,
        "data_status": _data_status(datasets, index),
        "chapters": chapters,
        "chapter_titles": {slug: str(title) for slug, title in CHAPTERS},
        "planner": texts,
        "summary": [(c, c.lead) for c in chapters if c.lead is not None and c.lead.summary],
        "index": index,
        "surveys": surveys,
        "later_surveys": [] if surveys else later_surveys(year),
        "profiles": area_profiles,
        "definitions": sources.definitions(sections),
        "datasets": datasets,
        "rules": sources.confidentiality_rules(),
        "checksum": sources.published_checksum(sections),
        "toc": _toc(chapters),
        "mark": city.confidentiality_rules().mark,
        "min_group": MIN_GROUP,
    }
    title = _("Sozialbericht %(year)s – %(city)s") % {"year": year, "city": city.name}
    progress(total, total, _("Bericht wird gesetzt"))
    return Document(
        template="socialreport/sozialbericht.html",
        context=context,
        title=title,
        language=request.language,
        author=city.name,
    )


def _data_status(datasets, index) -> str:
    statistics = [d for d in datasets if d.kind == "statistics" and d.imported_at]
    parts = []
    if statistics:
        latest = max(d.imported_at for d in statistics)
        parts.append(
            _("letzte Statistiklieferung importiert am %(date)s")
            % {"date": timezone.localtime(latest).strftime("%d.%m.%Y")}
        )
    if index.run is not None:
        parts.append(
            _("Sozialindex berechnet am %(date)s")
            % {"date": timezone.localtime(index.run.created_at).strftime("%d.%m.%Y")}
        )
    return "; ".join(parts)


def _toc(chapters: list[TopicChapter]) -> list[dict]:
    by_slug = {c.slug: c for c in chapters}
    toc = []
    for slug, title in CHAPTERS:
        toc.append({"anchor": f"kapitel-{slug}", "title": str(title), "depth": 1})
        if slug in by_slug:
            toc.extend(
                {"anchor": s.anchor, "title": s.indicator.name, "depth": 2}
                for s in by_slug[slug].sections
            )
    return toc
