"""Values of indicators per area and year: writing them in bulk, deriving shares and
rates from counts, summing counts up the hierarchy, city-wide references."""

import re
from collections.abc import Callable

import numpy as np
import polars as pl
from django.db import connection
from django.db.models import Count, Sum

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.monitoring.default_catalogue import DEFAULT_CATALOGUE, POPULATION
from gemeinsinn.monitoring.models import (
    Indicator,
    Value,
)

Progress = Callable[[int], None]


def ensure_default_catalogue() -> int:
    """Add the default indicators that are missing; never overwrite a planner's edits."""
    existing = set(Indicator.objects.values_list("code", flat=True))
    new = [
        Indicator(
            code=d.code,
            name=d.name,
            topic=d.topic,
            kind=d.kind,
            unit=d.unit,
            numerator=d.numerator,
            denominator=d.denominator,
            factor=d.factor,
            previous_year_denominator=d.previous_year_denominator,
            direction={True: "worse", False: "better", None: "neutral"}[d.higher_is_worse]
            if d.kind != "count"
            else "neutral",
            description=d.description,
        )
        for d in DEFAULT_CATALOGUE
        if d.code not in existing
    ]
    Indicator.objects.bulk_create(new)
    return len(new)


VALUE_SCHEMA = {
    "indicator_id": pl.Int64,
    "area_id": pl.Int64,
    "year": pl.Int64,
    "value": pl.Float64,
    "flag": pl.Utf8,
    "dataset_id": pl.Int64,
}


def value_frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=VALUE_SCHEMA, orient="row")


_COLUMNS = "indicator_id, area_id, year, value, flag, dataset_id"
_ON_CONFLICT = (
    "ON CONFLICT (indicator_id, area_id, year) DO UPDATE SET "
    "value = excluded.value, flag = excluded.flag, dataset_id = excluded.dataset_id"
)
_UPSERT_ROWS = f"INSERT INTO monitoring_value ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s) " + (
    _ON_CONFLICT
)
# SQLite: a whole batch as one JSON array, unpacked by the database in one statement
_UPSERT_JSON = (
    f"INSERT INTO monitoring_value ({_COLUMNS}) SELECT "
    + ", ".join(f"json_extract(value, '$.{column}')" for column in VALUE_SCHEMA)
    + f" FROM json_each(%s) WHERE true {_ON_CONFLICT}"
)


def upsert_values(values: pl.DataFrame, progress: Progress | None = None) -> None:
    """Insert or replace value rows (columns of VALUE_SCHEMA) in the order of the unique
    index (indicator, area, year), so that the database appends instead of seeking."""
    values = values.select(list(VALUE_SCHEMA)).sort("indicator_id", "area_id", "year")
    batch = 100_000
    with connection.cursor() as cursor:
        sqlite = connection.vendor == "sqlite"
        if sqlite:  # a larger page cache for this connection's bulk write
            cursor.execute("PRAGMA cache_size = -262144")
        for start in range(0, values.height, batch):
            chunk = values.slice(start, batch)
            if sqlite:
                cursor.execute(_UPSERT_JSON, [chunk.write_json()])
            else:
                cursor.executemany(_UPSERT_ROWS, chunk.rows())
            if progress:
                progress(min(99, int(100 * (start + batch) / max(values.height, 1))))


# --- derived indicators ------------------------------------------------------------------

_TERM = re.compile(r"([+-]?)\s*([a-z0-9_]+)")


def parse_formula(text: str) -> list[tuple[int, str]]:
    """'zuzuege+fortzuege' → [(1, 'zuzuege'), (1, 'fortzuege')]."""
    return [(-1 if sign == "-" else 1, code) for sign, code in _TERM.findall(text.replace(" ", ""))]


def values_frame(level: SpatialLevel, codes: list[str], years: list[int] | None = None):
    """Values of the level's areas as a polars frame: code, area_id, year, value, flag."""
    query = Value.objects.filter(area__level=level, indicator__code__in=codes)
    if years is not None:
        query = query.filter(year__in=years)
    rows = list(query.values_list("indicator__code", "area_id", "year", "value", "flag"))
    return pl.DataFrame(
        rows,
        schema={
            "code": pl.Utf8,
            "area_id": pl.Int64,
            "year": pl.Int64,
            "value": pl.Float64,
            "flag": pl.Utf8,
        },
        orient="row",
    )


def recompute_derived(level: SpatialLevel, years: list[int]) -> int:
    """Compute every share and rate defined by numerator/denominator for the given years."""
    derived = [i for i in Indicator.objects.all() if i.is_computed]
    needed = sorted(
        {code for i in derived for _sign, code in parse_formula(i.numerator)}
        | {i.denominator for i in derived}
    )
    all_years = sorted(set(years) | {y - 1 for y in years})
    counts = values_frame(level, needed, all_years)
    if counts.is_empty():
        return 0
    wide = counts.pivot(on="code", index=["area_id", "year"], values="value")
    rows = []
    for indicator in derived:
        terms = parse_formula(indicator.numerator)
        if any(code not in wide.columns for _s, code in terms) or (
            indicator.denominator not in wide.columns
        ):
            continue
        numerator = sum(sign * pl.col(code) for sign, code in terms)
        denominator = pl.col(indicator.denominator)
        frame = wide.sort("area_id", "year")
        if indicator.previous_year_denominator:
            frame = frame.with_columns(
                pl.when(pl.col("year").shift(1).over("area_id") == pl.col("year") - 1)
                .then(denominator.shift(1).over("area_id"))
                .otherwise(None)
                .alias("__denominator")
            )
            denominator = pl.col("__denominator")
        share = (
            frame.filter(pl.col("year").is_in(years))
            .with_columns(
                pl.when(denominator > 0)
                .then(numerator / denominator * indicator.factor)
                .otherwise(None)
                .alias("__value")
            )
            .select("area_id", "year", "__value")
        )
        for area_id, year, value in share.rows():
            if value is None or np.isnan(value):
                rows.append((indicator.pk, area_id, year, None, "missing"))
            else:
                rows.append((indicator.pk, area_id, year, float(value), ""))
    upsert_values(value_frame([(*row, None) for row in rows]))
    return len(rows)


def aggregate_upwards(level: SpatialLevel, written: pl.DataFrame) -> None:
    """Sum the counts just written for a level's areas into their parent areas, level by
    level up to the city, and derive the shares there. A parent gets a count only when every
    one of its child areas has it (a suppressed or missing child leaves it missing).

    Sums come from the written rows where they hold all children of a parent; the other
    (partial) groups are summed in the database, which then holds the complete picture."""
    counts = set(Indicator.objects.filter(kind="count").values_list("id", flat=True))
    child_level, child_rows = level, written.filter(pl.col("indicator_id").is_in(list(counts)))
    while child_level.parent_id and child_rows.height:
        parent_level = child_level.parent
        links = pl.DataFrame(
            list(
                Area.objects.filter(level=child_level, parent__isnull=False).values_list(
                    "id", "parent_id"
                )
            ),
            schema={"area_id": pl.Int64, "parent_id": pl.Int64},
            orient="row",
        )
        children = links.group_by("parent_id").agg(pl.len().alias("children"))
        groups = (
            child_rows.join(links, on="area_id")
            .group_by("indicator_id", "parent_id", "year")
            .agg(
                pl.col("value").sum().alias("total"),
                pl.col("value").count().alias("present"),
                pl.len().alias("rows"),
            )
            .join(children, on="parent_id")
        )
        from_rows = groups.filter(pl.col("rows") == pl.col("children"))
        partial = groups.filter(pl.col("rows") != pl.col("children"))
        sums = pl.concat([from_rows, _sums_in_database(child_level, partial, children)])
        complete = pl.col("present") == pl.col("children")
        parent_rows = sums.select(
            "indicator_id",
            pl.col("parent_id").alias("area_id"),
            "year",
            pl.when(complete).then(pl.col("total")).otherwise(None).alias("value"),
            pl.when(complete).then(pl.lit("")).otherwise(pl.lit("missing")).alias("flag"),
            pl.lit(None, dtype=pl.Int64).alias("dataset_id"),
        )
        upsert_values(parent_rows)
        years = sorted(parent_rows["year"].unique().to_list())
        recompute_derived(parent_level, sorted(set(years) | {y + 1 for y in years}))
        update_population(parent_level)
        child_level, child_rows = parent_level, parent_rows


def _sums_in_database(child_level, partial: pl.DataFrame, children: pl.DataFrame):
    schema = {"indicator_id": pl.Int64, "parent_id": pl.Int64, "year": pl.Int64,
              "total": pl.Float64, "present": pl.UInt32, "rows": pl.UInt32}  # fmt: skip
    if partial.is_empty():
        return pl.DataFrame(schema=schema).join(children, on="parent_id")
    query = (
        Value.objects.filter(
            area__level=child_level,
            area__parent_id__in=partial["parent_id"].unique().to_list(),
            indicator_id__in=partial["indicator_id"].unique().to_list(),
            year__in=partial["year"].unique().to_list(),
        )
        .values_list("indicator_id", "area__parent_id", "year")
        .annotate(total=Sum("value"), present=Count("value"), rows=Count("id"))
        .order_by()
    )
    found = pl.DataFrame(list(query), schema=schema, orient="row")
    return found.join(
        partial.select("indicator_id", "parent_id", "year"),
        on=["indicator_id", "parent_id", "year"],
    ).join(children, on="parent_id")


def update_population(level: SpatialLevel) -> None:
    """Each area's population is its residents count of the latest year with data."""
    latest = {}
    for area_id, year, value in Value.objects.filter(
        area__level=level, indicator__code=POPULATION, value__isnull=False
    ).values_list("area_id", "year", "value"):
        if area_id not in latest or year > latest[area_id][0]:
            latest[area_id] = (year, value)
    for area in Area.objects.filter(level=level):
        if area.pk in latest:
            area.population = int(latest[area.pk][1])
            area.save(update_fields=["population"])


def available_years(level: SpatialLevel | None = None) -> list[int]:
    query = Value.objects.all()
    if level is not None:
        query = query.filter(area__level=level)
    return sorted(query.values_list("year", flat=True).distinct())


def city_reference(indicator: Indicator, year: int, level: SpatialLevel) -> float | None:
    """City-wide value: the sum of a count; for a computed share, the sum of its numerators
    over the sum of its denominators (not the mean of the areas' shares); for an imported
    share, the population-weighted mean."""
    if indicator.kind == "count":
        frame = values_frame(level, [indicator.code], [year])
        total = frame["value"].sum() if frame.height else None
        return float(total) if frame.height and frame["value"].null_count() < frame.height else None
    if indicator.is_computed:
        terms = parse_formula(indicator.numerator)
        denominator_year = year - 1 if indicator.previous_year_denominator else year
        numerator_frame = values_frame(level, [c for _s, c in terms], [year])
        denominator_frame = values_frame(level, [indicator.denominator], [denominator_year])
        if numerator_frame.is_empty() or denominator_frame.is_empty():
            return None
        joined = (
            numerator_frame.pivot(on="code", index="area_id", values="value")
            .join(denominator_frame.select("area_id", pl.col("value").alias("__d")), on="area_id")
            .drop_nulls()
        )
        if joined.is_empty() or any(c not in joined.columns for _s, c in terms):
            return None
        numerator = sum(sign * joined[code].sum() for sign, code in terms)
        denominator = joined["__d"].sum()
        return float(numerator / denominator * indicator.factor) if denominator else None
    frame = values_frame(level, [indicator.code, POPULATION], [year])
    wide = frame.pivot(on="code", index="area_id", values="value").drop_nulls()
    if wide.is_empty() or indicator.code not in wide.columns or POPULATION not in wide.columns:
        return None
    weights = wide[POPULATION]
    return float((wide[indicator.code] * weights).sum() / weights.sum())
