"""Preset for the Berlin "Monitoring Soziale Stadtentwicklung" (MSS), editions 2013–2021.

Indicator codes: S1 unemployment, S2 long-term unemployment (2013–2017 only), S3 transfer
receipt, S4 child poverty; D1..D4 their change over two years in percentage points.
All have equal weight and "higher is worse". Source: SenStadt Berlin, Monitoring Soziale
Stadtentwicklung <Jahr>.
"""

from gemeinsinn.analysis.index import IndexSettings, IndicatorWeight

MSS_MIN_POPULATION = 300

MSS_OUTLIERS: dict[int, frozenset[str]] = {
    2013: frozenset({"10010203"}),
    2015: frozenset({"10010203"}),
    2017: frozenset({"04020314", "10010203"}),
    2019: frozenset({"04041239", "10010203"}),
    2021: frozenset({"10100205"}),
}
"""Planungsräume the publisher left out as outliers, per edition."""

MSS_EDITIONS = tuple(sorted(MSS_OUTLIERS))

LAST_EDITION_WITH_S2 = 2017


def mss_indicator_codes(edition: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(status codes, dynamics codes) of an MSS edition."""
    _check_edition(edition)
    numbers = (1, 2, 3, 4) if edition <= LAST_EDITION_WITH_S2 else (1, 3, 4)
    return tuple(f"S{n}" for n in numbers), tuple(f"D{n}" for n in numbers)


def mss_settings(edition: int) -> IndexSettings:
    """Index settings that reproduce the published MSS index of ``edition``."""
    status, dynamics = mss_indicator_codes(edition)
    return IndexSettings(
        status=tuple(IndicatorWeight(code) for code in status),
        dynamics=tuple(IndicatorWeight(code) for code in dynamics),
        min_population=MSS_MIN_POPULATION,
        exclude=MSS_OUTLIERS[edition],
    )


def _check_edition(edition: int) -> None:
    if edition not in MSS_OUTLIERS:
        known = ", ".join(str(year) for year in MSS_EDITIONS)
        raise ValueError(
            f"Keine Voreinstellung für das MSS {edition}: vorhanden sind die Ausgaben {known}. "
            "Für andere Jahre bitte die Indikatoren und Ausreißer selbst festlegen."
        )
