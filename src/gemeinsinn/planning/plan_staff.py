"""The planners' pages of the action plan: the tree with progress, budget and funding, a
measure with its status, history and milestones, goal monitoring, import and export. Measures
and goals are edited in the admin (with budgets, funding and milestones inline)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gemeinsinn.formats.problems import InputError
from gemeinsinn.monitoring.downloads import table_response
from gemeinsinn.monitoring.services import available_years
from gemeinsinn.planning import services
from gemeinsinn.planning.forms import ImportForm, ProgressForm
from gemeinsinn.planning.models import Goal, Measure
from gemeinsinn.planning.services import exchange
from gemeinsinn.planning.staff import planner_required


def _plan_page(request, import_form, problems=(), status=200):
    return render(
        request,
        "planning/staff/plan.html",
        {
            "nodes": services.flatten(services.plan_tree()),
            "budget": services.budget_by_field(),
            "funding": services.funding_by_source(),
            "import_form": import_form,
            "problems": problems,
        },
        status=status,
    )


@planner_required
def plan(request):
    return _plan_page(request, ImportForm())


@planner_required
def measure(request, pk):
    item = get_object_or_404(Measure.objects.select_related("status", "field", "parent"), pk=pk)
    form = ProgressForm(
        request.POST or None, initial={"status": item.status, "progress": item.progress}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_progress(
                item,
                request.user,
                status=form.cleaned_data["status"],
                progress=form.cleaned_data["progress"],
                note=form.cleaned_data["note"],
                base_url=request.build_absolute_uri("/"),
            )
        except services.PlanningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Stand und Fortschritt sind gespeichert."))
            return redirect("planning:measure", pk=item.pk)
    return render(
        request,
        "planning/staff/measure.html",
        {"measure": item, "form": form, "progress": services.progress_of(item)},
        status=400 if form.errors else 200,
    )


@planner_required
def goals(request):
    years = available_years()
    return render(
        request,
        "planning/staff/goals.html",
        {
            "progress": [
                services.goal_progress(goal, years)
                for goal in Goal.objects.select_related("field", "indicator", "target_area__area")
            ]
        },
    )


@planner_required
def export(request, fmt):
    header, rows = exchange.export_table()
    return table_response("handlungskonzept_massnahmen", header, rows, fmt)


@planner_required
@require_POST
def import_measures(request):
    form = ImportForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created, updated = exchange.import_measures(upload.read(), upload.name, request.user)
        except InputError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                _("Import: %(created)s Einträge neu, %(updated)s geändert.")
                % {"created": created, "updated": updated},
            )
            return redirect("planning:plan")
    return _plan_page(request, form, problems, status=400)
