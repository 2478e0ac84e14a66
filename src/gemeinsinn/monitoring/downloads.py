"""Open-data downloads: every public table as CSV (German Excel format: `;`, decimal
comma, UTF-8 with BOM) and XLSX, and the map layer as GeoJSON. Confidentiality applies:
the same protected cells as on the pages."""

import csv
import io

import openpyxl
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.geo.geojson import feature_collection, to_geojson_feature
from gemeinsinn.monitoring import maps, publication, services
from gemeinsinn.monitoring.models import IndexDefinition, IndexResult, Indicator
from gemeinsinn.monitoring.views import _choose_year, level_and_year

FORMATS = {"csv", "xlsx"}


def table_response(name: str, header: list[str], rows: list[list], fmt: str) -> HttpResponse:
    """A table as a download: German Excel CSV or XLSX (`fmt`); other apps reuse it."""
    if fmt not in FORMATS:
        raise Http404(_("Dieses Format gibt es nicht. Möglich sind CSV und XLSX."))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
    else:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Daten"
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        for column in sheet.columns:
            column[0].font = openpyxl.styles.Font(bold=True)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return str(value)


def _published(cell: publication.Cell):
    return cell.value if cell.value is not None else cell.text


def indicator_table(request, code, fmt):
    indicator = get_object_or_404(Indicator, code=code)
    level, _years, year = level_and_year(request)
    if year is None:
        raise Http404(_("Für diese Ebene liegen noch keine Daten vor."))
    unit = f" ({indicator.unit})" if indicator.unit else ""
    header = [_("Schlüssel"), _("Gebiet"), _("Ebene"), _("Jahr"), indicator.name + unit, _("Rang")]
    rows = [
        [row.area.key, row.area.name, level.name, year, _published(row.cell), row.rank]
        for row in publication.indicator_rows(indicator, year, level)
    ]
    reference = publication.city_value(indicator, year, level)
    rows.append(["", _("Stadt insgesamt"), "", year, _published(reference), None])
    return table_response(f"{indicator.code}_{level.code}_{year}", header, rows, fmt)


def area_table(request, level, key, fmt):
    """Every published indicator of one area over all years (the profile as a table)."""
    area = get_object_or_404(Area, level__code=level, key=key)
    years = services.available_years(area.level)
    header = [_("Indikator"), _("Kürzel"), _("Einheit"), *map(str, years)]
    rows = []
    for indicator in Indicator.objects.order_by("topic", "name"):
        series = publication.area_series(area, indicator, years)
        if all(value is None for _year, value in series):
            continue
        rows.append(
            [indicator.name, indicator.code, indicator.unit, *(value for _y, value in series)]
        )
    return table_response(f"{area.level.code}_{area.key}", header, rows, fmt)


def _index_run(request, slug):
    definition = get_object_or_404(IndexDefinition, slug=slug, is_published=True)
    years = sorted(definition.runs.values_list("year", flat=True).distinct())
    year = _choose_year(request, years)
    run = services.latest_run(definition, year) if year else None
    if run is None:
        raise Http404(_("Für diesen Index gibt es noch keine Berechnung."))
    return definition, run


def index_table(request, slug, fmt):
    definition, run = _index_run(request, slug)
    header = [
        _("Schlüssel"), _("Gebiet"), _("Einwohnende"), _("im Index"), _("Hinweis"),
        _("Statusindex"), _("Statusklasse"), _("Status"), _("Dynamikindex"), _("Dynamikklasse"),
        _("Dynamik"), _("Gesamtklasse"),
    ]  # fmt: skip
    population = publication.population_cells(definition.level)
    rows = []
    for r in IndexResult.objects.filter(run=run).select_related("area").order_by("area__key"):
        rows.append(
            [
                r.area.key,
                r.area.name,
                _published(population[r.area_id]),
                _("ja") if r.included else _("nein"),
                publication.exclusion_text(r.exclusion_reason, definition.min_population),
                r.status_index,
                r.status_class,
                maps.STATUS_LABELS.get(r.status_class, ""),
                r.dynamics_index,
                r.dynamics_class,
                maps.DYNAMICS_LABELS.get(r.dynamics_class, ""),
                r.combined_class,
            ]
        )
    return table_response(f"{definition.slug}_{run.year}", header, rows, fmt)


def map_layer(request, level):
    """GeoJSON of a level's areas with the published index classes and, on request, one
    indicator's published values (`?indikator=CODE&jahr=YEAR`)."""
    level = get_object_or_404(SpatialLevel, code=level)
    areas = list(Area.objects.filter(level=level).order_by("key"))
    shapes = maps.geometries(areas)
    properties = {a.pk: {"key": a.key, "name": a.name} for a in areas}
    population = publication.population_cells(level)
    for area in areas:
        properties[area.pk]["population"] = _published(population[area.pk])
    definition = services.default_index()
    if definition is not None and definition.level_id == level.pk:
        run = services.latest_run(definition)
        if run is not None:
            for r in IndexResult.objects.filter(run=run):
                properties[r.area_id].update(
                    index_year=run.year,
                    status_class=r.status_class,
                    dynamics_class=r.dynamics_class,
                    combined_class=r.combined_class or None,
                )
    code = request.GET.get("indikator")
    if code:
        indicator = get_object_or_404(Indicator, code=code)
        year = _choose_year(request, services.available_years(level))
        if year is not None:
            for row in publication.indicator_rows(indicator, year, level):
                properties[row.area.pk][indicator.code] = _published(row.cell)
                properties[row.area.pk]["year"] = year
    collection = feature_collection(
        [
            to_geojson_feature(shapes[a.pk], properties[a.pk], feature_id=a.key)
            for a in areas
            if a.pk in shapes
        ]
    )
    response = JsonResponse(collection, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{level.code}.geojson"'
    return response
