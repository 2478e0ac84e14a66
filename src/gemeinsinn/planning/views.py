"""Public pages of the action plan, after Decidim's accountability: fields of action with their
goals, the tree of public measures with rolled-up progress, and each measure with status,
milestones, history, budget, funding and the ideas that inspired it."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from gemeinsinn.planning import services
from gemeinsinn.planning.models import Goal, Measure


def plan(request):
    return render(
        request,
        "planning/plan.html",
        {
            "fields": services.fields_of_action(),
            "goals": Goal.objects.select_related("field", "indicator", "target_area__area"),
            "nodes": services.flatten(services.plan_tree(public_only=True)),
            "budget": services.budget_by_field(),
            "funding": services.funding_by_source(),
        },
    )


def measure(request, pk):
    item = get_object_or_404(Measure.objects.select_related("status", "field", "parent"), pk=pk)
    if not item.is_public:
        raise Http404(_("Diese Maßnahme ist nicht öffentlich."))
    return render(
        request,
        "planning/measure.html",
        {
            "measure": item,
            "progress": services.progress_of(item),
            "children": item.children.filter(is_public=True).select_related("status"),
            "ideas": item.ideas.filter(is_hidden=False).select_related("event"),
        },
    )
