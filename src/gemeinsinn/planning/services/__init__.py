"""Use cases of strategic planning. Views, the demo and the reports (``socialreport``) call
these functions; they return plain data."""

from gemeinsinn.planning.services.ranking import (
    DYNAMICS,
    IDEAS,
    IDEAS_INDICATOR,
    INDICATOR,
    STATUS,
    Choice,
    NeedRanking,
    PlanningError,
    RankedRow,
    Source,
    default_choices,
    ideas_per_1000,
    index_run_for,
    levels_query,
    need_ranking,
    save_ranking,
    saved_choices,
    sources,
    years,
)
from gemeinsinn.planning.services.targets import (
    active_target_areas,
    free_target_areas,
    mark_target_area,
    target_level,
    withdraw_target_area,
)

__all__ = [
    "DYNAMICS", "IDEAS", "IDEAS_INDICATOR", "INDICATOR", "STATUS", "Choice", "NeedRanking",
    "PlanningError", "RankedRow", "Source", "active_target_areas", "default_choices",
    "free_target_areas", "ideas_per_1000", "index_run_for", "levels_query", "mark_target_area",
    "need_ranking", "save_ranking", "saved_choices", "sources", "target_level",
    "withdraw_target_area", "years",
]  # fmt: skip
