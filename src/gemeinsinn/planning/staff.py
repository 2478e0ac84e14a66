"""The planners' pages: the need ranking with weights that re-rank at once (htmx, and a plain
form submission without JavaScript), saving a ranking, the saved rankings."""

from functools import wraps

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gemeinsinn.accounts import roles
from gemeinsinn.planning import services
from gemeinsinn.planning.forms import RankingForm, SaveRankingForm, TargetAreaForm
from gemeinsinn.planning.models import SavedRanking, TargetArea


def may_plan(user) -> bool:
    return user.is_superuser or any(
        roles.has_role(user, role) for role in (roles.PLANNING, roles.ADMINISTRATION)
    )


def planner_required(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not may_plan(request.user):
            raise PermissionDenied(_("Nur die Sozialplanung kann Rangfolgen bearbeiten."))
        return view(request, *args, **kwargs)

    return staff_member_required(checked, login_url="login")


def _ranking_form(data, saved: SavedRanking | None = None) -> RankingForm | None:
    """The form for the requested level and year (falling back to the first level with data and
    its latest year); None when no level has population data yet."""
    candidates = list(services.levels_query())
    level = saved.level if saved else None
    requested = (data or {}).get("level")
    level = next((lv for lv in candidates if str(lv.pk) == requested), level)
    if level is None:
        level = next((lv for lv in reversed(candidates) if services.years(lv)), None)
    if level is None or not services.years(level):
        return None
    year_choices = services.years(level)
    year = saved.year if saved and saved.level == level else year_choices[-1]
    requested_year = (data or {}).get("year")
    if requested_year and requested_year.isdigit() and int(requested_year) in year_choices:
        year = int(requested_year)
    sources = services.sources(level, year)
    choices = services.saved_choices(saved) if saved else services.default_choices(sources)
    return RankingForm(
        data, level=level, year=year, year_choices=year_choices, sources=sources, choices=choices
    )


def _compute(form: RankingForm):
    """The ranking for a valid form, or None with the problem added to the form."""
    if not form.is_valid():
        return None
    try:
        return services.need_ranking(
            form.cleaned_data["level"], form.cleaned_data["year"], form.choices()
        )
    except services.PlanningError as error:
        form.add_error(None, str(error))
        return None


@planner_required
def ranking(request, pk=None):
    saved = get_object_or_404(SavedRanking, pk=pk) if pk else None
    form = _ranking_form(request.GET or None, saved)
    result = _compute(form) if form else None
    template = "planning/staff/_ranking.html" if request.htmx else "planning/staff/ranking.html"
    return render(
        request,
        template,
        {"form": form, "ranking": result, "save_form": SaveRankingForm(), "saved": saved},
    )


@planner_required
@require_POST
def save_ranking(request):
    form = _ranking_form(request.POST)
    save_form = SaveRankingForm(request.POST)
    result = _compute(form) if form else None
    if result is not None and save_form.is_valid():
        try:
            saved = services.save_ranking(save_form.cleaned_data["name"], result, request.user)
        except services.PlanningError as error:
            save_form.add_error("name", str(error))
        else:
            messages.success(request, _("Die Rangfolge ist gespeichert."))
            return redirect("planning:saved", pk=saved.pk)
    return render(
        request,
        "planning/staff/ranking.html",
        {"form": form, "ranking": result, "save_form": save_form, "saved": None},
        status=400,
    )


@planner_required
def saved_list(request):
    return render(
        request,
        "planning/staff/saved_list.html",
        {"rankings": SavedRanking.objects.select_related("level", "created_by")},
    )


@planner_required
def saved_detail(request, pk):
    saved = get_object_or_404(
        SavedRanking.objects.select_related("level", "index_run", "created_by"), pk=pk
    )
    form = TargetAreaForm(request.POST or None, ranking=saved)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.mark_target_area(
                saved,
                [area.pk for area in data["members"]],
                data["reason"],
                request.user,
                name=data["name"],
                existing=data["existing"],
            )
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("„%(name)s“ ist als Fördergebiet festgelegt.") % {"name": decision.area}
            )
            return redirect("planning:target_areas")
    chosen = {str(pk) for pk in form["members"].value() or []}
    return render(
        request,
        "planning/staff/saved.html",
        {
            "saved": saved,
            "areas": saved.areas.select_related("area"),
            "form": form,
            "chosen": chosen,
            "decisions": saved.target_areas.select_related("area").prefetch_related("members"),
        },
        status=400 if form.errors else 200,
    )


@planner_required
def target_areas(request):
    decisions = TargetArea.objects.select_related("area", "ranking", "index_run")
    return render(
        request,
        "planning/staff/target_areas.html",
        {"decisions": decisions.prefetch_related("members")},
    )


@planner_required
@require_POST
def withdraw_target_area(request, pk):
    decision = get_object_or_404(TargetArea, pk=pk)
    try:
        services.withdraw_target_area(decision, request.POST.get("reason", ""), request.user)
    except services.PlanningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Die Entscheidung ist aufgehoben; sie bleibt im Protokoll."))
    return redirect("planning:target_areas")
