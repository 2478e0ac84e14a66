"""Use cases of strategic planning. Views, the demo and the reports (``socialreport``) call
these functions; they return plain data."""

from gemeinsinn.planning.services.plan import (
    DEFAULT_STATUSES,
    GoalProgress,
    MoneyTable,
    Node,
    budget_by_field,
    check_parent,
    ensure_default_statuses,
    fields_of_action,
    flatten,
    funding_by_source,
    goal_progress,
    notify_status_change,
    own_progress,
    plan_tree,
    progress_of,
    record_created,
    record_edit,
    rolled_up,
    update_progress,
)
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
    "DEFAULT_STATUSES", "GoalProgress", "MoneyTable", "Node", "budget_by_field", "check_parent",
    "ensure_default_statuses", "fields_of_action", "flatten", "funding_by_source",
    "goal_progress", "notify_status_change", "own_progress", "plan_tree", "progress_of",
    "record_created", "record_edit", "rolled_up", "update_progress",
    "DYNAMICS", "IDEAS", "IDEAS_INDICATOR", "INDICATOR", "STATUS", "Choice", "NeedRanking",
    "PlanningError", "RankedRow", "Source", "active_target_areas", "default_choices",
    "free_target_areas", "ideas_per_1000", "index_run_for", "levels_query", "mark_target_area",
    "need_ranking", "save_ranking", "saved_choices", "sources", "target_level",
    "withdraw_target_area", "years",
]  # fmt: skip
