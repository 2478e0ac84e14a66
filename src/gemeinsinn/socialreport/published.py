"""The public page of the published reports: every build a planner published, to download."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from gemeinsinn.socialreport.services import jobs
from gemeinsinn.socialreport.staff import file_response


def report_list(request):
    reports = [(job, jobs.title(job)) for job in jobs.published()]
    return render(request, "socialreport/published.html", {"reports": reports})


def report_file(request, pk, name):
    job = get_object_or_404(jobs.published(), pk=pk)
    if name != job.file_name:
        raise Http404(_("Diesen Bericht gibt es nicht unter diesem Namen."))
    return file_response(job)
