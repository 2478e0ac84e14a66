"""The planners' report pages: request a build (it runs in the background, its progress is
shown), download, publish or delete earlier builds, and write the own text per chapter."""

from functools import wraps

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gemeinsinn.monitoring.services import available_years
from gemeinsinn.planning.staff import may_plan
from gemeinsinn.socialreport.forms import (
    LANGUAGE_CHOICES,
    ChapterTextsForm,
    ReportForm,
    report_years,
)
from gemeinsinn.socialreport.models import KIND_CHOICES, ReportJob
from gemeinsinn.socialreport.services import chapter_texts, jobs


def planner_required(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not may_plan(request.user):
            raise PermissionDenied(_("Nur die Sozialplanung kann Berichte erstellen."))
        return view(request, *args, **kwargs)

    return staff_member_required(checked, login_url="login")


def _job(pk) -> ReportJob:
    return get_object_or_404(ReportJob.objects.select_related("level", "requested_by"), pk=pk)


@planner_required
def index(request):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job, created = jobs.request_build(
            kind=data["kind"],
            year=data["year"],
            level=data["level"],
            period=form.request_period(),
            language=data["language"],
            fmt=data["fmt"],
            user=request.user,
        )
        if not created:
            messages.info(
                request,
                _(
                    "Dieser Bericht wird gerade schon erstellt; hier sehen Sie den laufenden "
                    "Auftrag."
                ),
            )
        return redirect("socialreport:job", pk=job.pk)
    jobs.expire_stale()
    earlier = [
        (job, jobs.title(job))
        for job in ReportJob.objects.select_related("level", "requested_by", "published_by")
    ]
    return render(
        request,
        "socialreport/staff/index.html",
        {"form": form, "jobs": earlier},
        status=400 if form.errors else 200,
    )


@planner_required
def job_detail(request, pk):
    jobs.expire_stale()
    job = _job(pk)
    template = "_job_status.html" if request.htmx else "job.html"
    language = dict(LANGUAGE_CHOICES).get(job.language, job.language)
    context = {"job": job, "title": jobs.title(job), "language": language}
    return render(request, f"socialreport/staff/{template}", context)


@planner_required
def download(request, pk):
    return file_response(_job(pk))


def file_response(job: ReportJob) -> FileResponse:
    path = jobs.file_path(job)
    if job.status != ReportJob.DONE or not path.exists():
        raise Http404(_("Diesen Bericht gibt es nicht (mehr) als Datei."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name)


@planner_required
@require_POST
def restart(request, pk):
    job, _created = jobs.restart(_job(pk), request.user)
    return redirect("socialreport:job", pk=job.pk)


@planner_required
@require_POST
def publish(request, pk):
    job = _job(pk)
    try:
        jobs.publish(job, request.user)
    except jobs.JobError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("„%(title)s“ ist veröffentlicht und steht auf der Seite „Berichte“.")
            % {"title": jobs.title(job)},
        )
    return redirect("socialreport:job", pk=job.pk)


@planner_required
@require_POST
def withdraw(request, pk):
    job = _job(pk)
    jobs.withdraw(job)
    messages.success(
        request,
        _("„%(title)s“ ist nicht mehr öffentlich.") % {"title": jobs.title(job)},
    )
    return redirect("socialreport:job", pk=job.pk)


@planner_required
@require_POST
def delete(request, pk):
    job = _job(pk)
    title = jobs.title(job)
    try:
        jobs.delete(job)
    except jobs.JobError as error:
        messages.error(request, str(error))
        return redirect("socialreport:job", pk=pk)
    messages.success(request, _("„%(title)s“ ist gelöscht.") % {"title": title})
    return redirect("socialreport:staff_index")


@planner_required
def texts_start(request):
    """The own texts of the Sozialbericht of the latest year with statistics."""
    with_data = available_years()
    year = with_data[-1] if with_data else report_years()[0]
    return redirect("socialreport:texts", kind="sozialbericht", year=year)


@planner_required
def texts(request, kind, year):
    chapters = chapter_texts.chapters(kind)
    years = report_years()
    if not chapters or year not in years:
        raise Http404(_("Für diesen Bericht und dieses Jahr gibt es keine eigenen Texte."))
    saved = chapter_texts.texts(kind, year)
    form = ChapterTextsForm(request.POST or None, chapters=chapters, saved=saved)
    if request.method == "POST" and form.is_valid():
        sent = {slug: text for slug, text in form.cleaned_data.items() if slug in request.POST}
        changed = chapter_texts.save_texts(kind, year, sent, request.user)
        messages.success(
            request,
            _("Gespeichert: %(n)s geänderte Kapitel.") % {"n": len(changed)}
            if changed
            else _("Es gab keine Änderungen."),
        )
        return redirect("socialreport:texts", kind=kind, year=year)
    kinds = dict(KIND_CHOICES)
    return render(
        request,
        "socialreport/staff/texts.html",
        {
            "form": form,
            "kind": kind,
            "kind_name": kinds[kind],
            "year": year,
            "years": years,
            "saved": saved,
            "editions": [(k, kinds[k]) for k in kinds if chapter_texts.chapters(k)],
            "limit": chapter_texts.MAX_LENGTH,
        },
        status=400 if form.errors else 200,
    )
