"""The staff area: uploads with a validation report before confirming, the indicator
catalogue, index settings, index runs and their history."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gemeinsinn.core.models import AuditEvent, CityProfile
from gemeinsinn.formats.problems import InputError
from gemeinsinn.monitoring import imports, services
from gemeinsinn.monitoring.forms import (
    BoundaryUploadForm,
    CityProfileForm,
    IndexDefinitionForm,
    IndicatorForm,
    RunForm,
    StatisticsUploadForm,
)
from gemeinsinn.monitoring.models import Dataset, IndexDefinition, IndexRun, Indicator


def staff_required(view):
    return staff_member_required(view, login_url="login")


@staff_required
def home(request):
    return render(
        request,
        "monitoring/staff/home.html",
        {
            "datasets": Dataset.objects.select_related("level")[:10],
            "definitions": IndexDefinition.objects.select_related("level"),
            "runs": IndexRun.objects.select_related("definition")[:10],
            "events": AuditEvent.objects.select_related("actor")[:15],
            "indicator_count": Indicator.objects.count(),
        },
    )


def _upload(request, form_class, kind, template):
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        options = {
            key: form.cleaned_data.get(key)
            for key in (
                "key_property",
                "name_property",
                "parent_property",
                "year",
                "valid_from",
                "sentinels",
            )
            if form.cleaned_data.get(key) not in (None, "")
        }
        dataset = imports.stage_upload(
            kind,
            form.cleaned_data["file"],
            form.cleaned_data["level"],
            source=form.cleaned_data.get("source", ""),
            user=request.user,
            options=options,
        )
        return redirect("staff:dataset", pk=dataset.pk)
    return render(request, template, {"form": form})


@staff_required
def upload_boundaries(request):
    return _upload(
        request, BoundaryUploadForm, "boundaries", "monitoring/staff/upload_boundaries.html"
    )


@staff_required
def upload_statistics(request):
    return _upload(
        request, StatisticsUploadForm, "statistics", "monitoring/staff/upload_statistics.html"
    )


@staff_required
def dataset_detail(request, pk):
    dataset = get_object_or_404(Dataset.objects.select_related("level"), pk=pk)
    dataset.progress = imports.current_progress(dataset)
    return render(request, "monitoring/staff/dataset.html", {"dataset": dataset})


@staff_required
def dataset_progress(request, pk):
    dataset = get_object_or_404(Dataset, pk=pk)
    dataset.progress = imports.current_progress(dataset)
    return render(request, "monitoring/staff/_progress.html", {"dataset": dataset})


@staff_required
@require_POST
def confirm_dataset(request, pk):
    dataset = get_object_or_404(Dataset, pk=pk)
    if dataset.status != "validated":
        messages.error(request, _("Diese Datenlieferung kann nicht (mehr) importiert werden."))
    else:
        imports.start_import(dataset, request.user)
        messages.info(request, _("Der Import läuft. Der Fortschritt wird hier angezeigt."))
    return redirect("staff:dataset", pk=dataset.pk)


@staff_required
def indicator_list(request):
    return render(
        request,
        "monitoring/staff/indicators.html",
        {"indicators": Indicator.objects.order_by("topic", "code")},
    )


@staff_required
def indicator_edit(request, pk=None):
    instance = get_object_or_404(Indicator, pk=pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        indicator = form.save()
        messages.success(request, _("Indikator „%(name)s“ gespeichert.") % {"name": indicator})
        return redirect("staff:indicators")
    return render(request, "monitoring/staff/form.html", {"form": form, "title": _("Indikator")})


@staff_required
def index_list(request):
    definitions = IndexDefinition.objects.select_related("level").prefetch_related("runs")
    return render(request, "monitoring/staff/indexes.html", {"definitions": definitions})


@staff_required
def index_edit(request, pk=None):
    instance = get_object_or_404(IndexDefinition, pk=pk) if pk else None
    form = IndexDefinitionForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        definition = form.save()
        messages.success(request, _("Index „%(name)s“ gespeichert.") % {"name": definition})
        return redirect("staff:index_run", pk=definition.pk)
    return render(
        request, "monitoring/staff/form.html", {"form": form, "title": _("Indexdefinition")}
    )


@staff_required
def index_run(request, pk):
    definition = get_object_or_404(IndexDefinition, pk=pk)
    years = services.available_years(definition.level)
    form = RunForm(years, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_index(definition, form.cleaned_data["year"], request.user)
        except (InputError, ValueError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Der Index wurde berechnet."))
            return redirect("staff:run", pk=run.pk)
    return render(
        request,
        "monitoring/staff/index_run.html",
        {"definition": definition, "form": form, "runs": definition.runs.all()[:20]},
    )


@staff_required
def run_detail(request, pk):
    run = get_object_or_404(IndexRun.objects.select_related("definition", "created_by"), pk=pk)
    results = run.results.select_related("area").order_by("-status_index", "area__key")
    return render(request, "monitoring/staff/run.html", {"run": run, "results": results})


@staff_required
@require_POST
def run_verify(request, pk):
    run = get_object_or_404(IndexRun, pk=pk)
    check = services.verify_run(run)
    if check.same_inputs and check.same_results:
        messages.success(request, _("Nachgerechnet: gleiche Eingaben, gleiche Ergebnisse."))
    elif not check.same_inputs:
        messages.warning(
            request,
            _("Die Daten haben sich seit dieser Berechnung geändert; die Ergebnisse weichen ab."),
        )
    else:
        messages.error(request, _("Gleiche Eingaben, aber abweichende Ergebnisse."))
    return redirect("staff:run", pk=run.pk)


@staff_required
def city_settings(request):
    profile = CityProfile.current()
    form = CityProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Einstellungen gespeichert."))
        return redirect("staff:city")
    return render(
        request, "monitoring/staff/form.html", {"form": form, "title": _("Stadt und Datenschutz")}
    )
