"""The real Berlin "Monitoring Soziale Stadtentwicklung" (MSS) loaded through the platform's
own services: the LOR boundaries valid for the editions 2013–2019, the index indicators of
those editions, and one index definition per edition with the publisher's settings.

Quelle: SenStadt Berlin, Monitoring Soziale Stadtentwicklung <Jahr>."""

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from gemeinsinn.analysis.mss import MSS_MIN_POPULATION, MSS_OUTLIERS, mss_indicator_codes
from gemeinsinn.areas import services as area_services
from gemeinsinn.core.models import CityProfile
from gemeinsinn.formats.problems import InputError, Problem
from gemeinsinn.monitoring import services
from gemeinsinn.monitoring.default_catalogue import ARBEITSMARKT, ARMUT
from gemeinsinn.monitoring.models import IndexDefinition, Indicator

EDITIONS = (2013, 2015, 2017, 2019)  # the 2021 edition uses new LOR keys without polygons
LEVELS = [
    ("bezirk", "Bezirk", "Bezirke", 0, False),
    ("bezirksregion", "Bezirksregion", "Bezirksregionen", 1, False),
    ("planungsraum", "Planungsraum", "Planungsräume", 2, False),
]
BOUNDARIES = [  # level, file, length of the parent's key prefix
    ("bezirk", "berlin_bezirke.geojson", None),
    ("bezirksregion", "lor_bezirksregionen_pre2021.geojson", 2),
    ("planungsraum", "lor_planungsraeume_pre2021.geojson", 6),
]
INDICATORS = {  # file column prefix → (code, German name, topic)
    "s1": ("mss_s1", "Arbeitslosigkeit (MSS S1)", ARBEITSMARKT),
    "s2": ("mss_s2", "Langzeitarbeitslosigkeit (MSS S2)", ARBEITSMARKT),
    "s3": ("mss_s3", "Transferbezug (MSS S3)", ARMUT),
    "s4": ("mss_s4", "Kinderarmut (MSS S4)", ARMUT),
    "d1": ("mss_d1", "Veränderung Arbeitslosigkeit (MSS D1)", ARBEITSMARKT),
    "d2": ("mss_d2", "Veränderung Langzeitarbeitslosigkeit (MSS D2)", ARBEITSMARKT),
    "d3": ("mss_d3", "Veränderung Transferbezug (MSS D3)", ARMUT),
    "d4": ("mss_d4", "Veränderung Kinderarmut (MSS D4)", ARMUT),
}
SOURCE = "SenStadt Berlin, Monitoring Soziale Stadtentwicklung {year}"


def load(data_dir: Path, user=None) -> Iterator[str]:
    """Load everything; yields German progress lines. Raises InputError on bad files."""
    missing = [
        str(path)
        for path in [data_dir / "geometry" / name for _level, name, _n in BOUNDARIES]
        + [_indicator_file(data_dir, year) for year in EDITIONS]
        if not path.is_file()
    ]
    if missing:
        raise InputError(
            [
                Problem(
                    f"Die Datei {path} fehlt.",
                    hint="Geben Sie den Ordner berlin-mss mit den Unterordnern geometry und "
                    "indicators an.",
                )
                for path in missing
            ]
        )
    if not CityProfile.objects.exists():
        CityProfile.objects.create(name="Berlin", ags="11000000")
    levels = {level.code: level for level in area_services.ensure_levels(LEVELS)}
    for code, name, prefix in BOUNDARIES:
        path = data_dir / "geometry" / name
        preview = area_services.import_boundaries(
            path.read_bytes(),
            name,
            levels[code],
            valid_from=dt.date(2013, 1, 1),
            user=user,
            source="Geoportal Berlin, LOR (Stand vor 2021)",
            parent_key_length=prefix,
        )
        yield f"{len(preview.features)} {levels[code].plural} aus {name}"
    services.ensure_default_catalogue()
    _ensure_indicators()
    for year in EDITIONS:
        dataset = services.import_statistics(
            _as_catalogue_table(_indicator_file(data_dir, year)),
            _indicator_file(data_dir, year).name,
            levels["planungsraum"],
            year=year,
            user=user,
            source=SOURCE.format(year=year),
        )
        yield f"MSS {year}: {dataset.report['rows']} Werte"
    for year in EDITIONS:
        run = services.run_index(_definition(year, levels["planungsraum"]), year, user)
        included = run.results.filter(included=True).count()
        yield f"MSS {year}: Index für {included} Planungsräume berechnet"


def _indicator_file(data_dir: Path, year: int) -> Path:
    return data_dir / "indicators" / f"mss_{year}_index_indicators_plr.csv"


def _ensure_indicators() -> None:
    for code, name, topic in INDICATORS.values():
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "topic": topic,
                # S: shares in percent; D: their change over two years in percentage points
                "kind": "share" if code[4] == "s" else "rate",
                "unit": "%" if code[4] == "s" else "Prozentpunkte",
                "direction": "worse",
                "source": "SenStadt Berlin, Monitoring Soziale Stadtentwicklung",
                "licence": "Datenlizenz Deutschland – Namensnennung",
            },
        )


def _as_catalogue_table(path: Path) -> bytes:
    """The publisher's columns renamed to catalogue codes (id → Gebiet, inhabitants → ew,
    s1_percentage_unemployed → mss_s1, …); all values as text, exactly as in the file."""
    frame = pl.read_csv(path, infer_schema=False)
    names = {"id": "Gebiet", "inhabitants": "ew"}
    for column in frame.columns:
        prefix = column.split("_", 1)[0]
        if prefix in INDICATORS:
            names[column] = INDICATORS[prefix][0]
    frame = frame.select(list(names)).rename(names)
    buffer = io.BytesIO()
    frame.write_csv(buffer)
    return buffer.getvalue()


def _definition(year: int, level) -> IndexDefinition:
    status, dynamics = mss_indicator_codes(year)

    def entries(codes):
        return [
            {"code": INDICATORS[c.lower()][0], "weight": 1.0, "higher_is_worse": True}
            for c in codes
        ]

    definition, _created = IndexDefinition.objects.update_or_create(
        slug=f"mss-{year}",
        defaults={
            "name": f"Monitoring Soziale Stadtentwicklung {year}",
            "description": (
                f"Sozialindex des Berliner Monitorings Soziale Stadtentwicklung {year} "
                "(Status und Dynamik der Planungsräume). Quelle: " + SOURCE.format(year=year) + "."
            ),
            "level": level,
            "status_indicators": entries(status),
            "dynamics_mode": "indicators",
            "dynamics_indicators": entries(dynamics),
            "min_population": MSS_MIN_POPULATION,
            "excluded_keys": ",".join(sorted(MSS_OUTLIERS[year])),
        },
    )
    return definition
