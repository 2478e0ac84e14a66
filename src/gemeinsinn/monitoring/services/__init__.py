"""Use cases of the monitoring: importing statistics, deriving indicators, running the social
index. Views, commands, the demo and other apps call these functions."""

from gemeinsinn.monitoring.services.indexing import (
    IndexInputs,
    Verification,
    default_index,
    index_inputs,
    index_settings,
    latest_run,
    run_index,
    verify_run,
)
from gemeinsinn.monitoring.services.statistics import (
    DEFAULT_SENTINELS,
    StatisticsPreview,
    import_statistics,
    preview_statistics,
)
from gemeinsinn.monitoring.services.values import (
    VALUE_SCHEMA,
    aggregate_upwards,
    available_years,
    city_reference,
    ensure_default_catalogue,
    parse_formula,
    recompute_derived,
    update_population,
    upsert_values,
    value_frame,
    values_frame,
)

__all__ = [
    "DEFAULT_SENTINELS", "VALUE_SCHEMA", "IndexInputs", "StatisticsPreview", "Verification",
    "aggregate_upwards", "available_years", "city_reference", "default_index",
    "ensure_default_catalogue", "import_statistics", "index_inputs", "index_settings",
    "latest_run", "parse_formula", "preview_statistics", "recompute_derived", "run_index",
    "update_population", "upsert_values", "value_frame", "values_frame", "verify_run",
]  # fmt: skip
