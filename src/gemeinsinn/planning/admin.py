"""Editing the action plan in the admin (goals, statuses, the tree of measures with budgets,
funding and milestones). Saving a measure goes through the services: a history entry, and the
supporters of linked ideas are told about a new status."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from gemeinsinn.planning import services
from gemeinsinn.planning.models import (
    Budget,
    Funding,
    Goal,
    Measure,
    MeasureStatus,
    Milestone,
    SavedRanking,
    TargetArea,
)


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "field", "indicator", "target_area", "target_value", "target_year"]
    list_filter = ["field"]


@admin.register(MeasureStatus)
class MeasureStatusAdmin(admin.ModelAdmin):
    list_display = ["name", "progress", "order"]
    list_editable = ["progress", "order"]


class BudgetInline(admin.TabularInline):
    model = Budget
    extra = 1


class FundingInline(admin.TabularInline):
    model = Funding
    fields = ["source", "programme", "year", "amount", "approval", "decided_on"]
    extra = 1


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 1


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "parent", "kind", "number", "title", "description", "field", "goals",
            "target_areas", "department", "partners", "start", "end", "status", "progress",
            "ideas", "is_public",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        problem = services.check_parent(data.get("kind"), data.get("parent"))
        if problem:
            self.add_error("parent", problem)
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Das Ende liegt vor dem Beginn."))
        return data


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    form = MeasureForm
    list_display = ["number", "title", "kind", "field", "status", "progress", "is_public"]
    list_filter = ["kind", "field", "status", "is_public"]
    search_fields = ["number", "title", "description", "department", "partners"]
    filter_horizontal = ["goals", "target_areas"]
    autocomplete_fields = ["ideas", "parent"]
    inlines = [BudgetInline, FundingInline, MilestoneInline]

    def save_model(self, request, obj, form, change):
        old_status = Measure.objects.get(pk=obj.pk).status.name if change else None
        super().save_model(request, obj, form, change)
        if not change:
            services.record_created(obj, request.user)
        elif form.changed_data:
            services.record_edit(
                obj, request.user, [str(form.fields[name].label) for name in form.changed_data]
            )
        if old_status is not None and old_status != obj.status.name:
            services.notify_status_change(obj, old_status, "", request.build_absolute_uri("/"))


admin.site.register(SavedRanking)
admin.site.register(TargetArea)
