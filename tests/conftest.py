import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.browser.fixtures"]

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public data beside the repository; tests that need it skip without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"Real public data not found at {SHARED_DATA}: test skipped.")
    return SHARED_DATA


def pytest_collection_modifyitems(config, items):
    """GEMEINSINN_DB_TESTS_ONLY=1 (the PostgreSQL pass) keeps only tests that use the database."""
    if os.environ.get("GEMEINSINN_DB_TESTS_ONLY") != "1":
        return
    db_fixtures = {
        "db",
        "transactional_db",
        "django_db_setup",
        "live_server",
        "client",
        "admin_client",
    }
    keep, drop = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") or db_fixtures & set(item.fixturenames)
        (keep if uses_db else drop).append(item)
    config.hook.pytest_deselected(items=drop)
    items[:] = keep


@pytest.fixture
def city(db):
    """The tiny city with its levels and boundaries imported through the services."""
    import datetime as dt

    from gemeinsinn.areas import services
    from gemeinsinn.core.models import CityProfile
    from gemeinsinn.monitoring.services import ensure_default_catalogue
    from tests import citykit

    CityProfile.objects.create(name="Kleinstadt")
    levels = services.ensure_levels(
        [
            ("stadt", "Stadt", "Städte", 0, False),
            ("stadtteil", "Stadtteil", "Stadtteile", 1, False),
            ("sozialraum", "Sozialraum", "Sozialräume", 2, False),
        ]
    )
    for level, areas in zip(
        levels, [citykit.STADT, citykit.STADTTEILE, citykit.SOZIALRAEUME], strict=True
    ):
        services.import_boundaries(
            citykit.geojson(areas), f"{level.code}.geojson", level, valid_from=dt.date(2021, 1, 1)
        )
    ensure_default_catalogue()
    return {level.code: level for level in levels}


@pytest.fixture
def city_with_statistics(city):
    from gemeinsinn.monitoring.services import import_statistics
    from tests import citykit

    import_statistics(citykit.long_csv(), "statistik.csv", city["sozialraum"])
    return city


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The tests see the current translations (the installer compiles them too)."""
    from gemeinsinn.core.i18n import compile_catalogues

    compile_catalogues()


@pytest.fixture
def index_definition(city_with_statistics):
    """An MSS-like index of the tiny city: three status indicators, dynamics over two years."""
    from gemeinsinn.monitoring.models import IndexDefinition

    return IndexDefinition.objects.create(
        name="Sozialindex",
        slug="sozialindex",
        level=city_with_statistics["sozialraum"],
        status_indicators=[
            {"code": c, "weight": 1.0, "higher_is_worse": True}
            for c in ("arbeitslosenanteil", "transferbezug", "kinderarmut_u15")
        ],
        dynamics_mode="change",
        dynamics_span=2,
        min_population=300,
    )
