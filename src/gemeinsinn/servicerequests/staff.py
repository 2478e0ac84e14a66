"""The staff queue: reports per department, status changes with public answers and internal
notes, merging of duplicates. Staff see the departments they belong to; superusers and staff
without a department see all."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gemeinsinn.formats.problems import InputError
from gemeinsinn.servicerequests import services
from gemeinsinn.servicerequests.forms import MergeForm, QueueFilterForm, StatusForm
from gemeinsinn.servicerequests.models import OPEN_STATUSES, Department, ServiceRequest
from gemeinsinn.servicerequests.views import _answers


def staff_required(view):
    return staff_member_required(view, login_url="login")


def visible_departments(user) -> list[Department]:
    mine = list(user.departments.all()) if not user.is_superuser else []
    return mine or list(Department.objects.all())


def _visible(user):
    query = ServiceRequest.objects.select_related("category__department", "area")
    if user.is_superuser or not user.departments.exists():
        return query
    return query.filter(category__department__in=user.departments.all())


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@staff_required
def queue(request):
    departments = visible_departments(request.user)
    form = QueueFilterForm(request.GET or None, departments=departments)
    query = _visible(request.user)
    status = ""
    if form.is_valid():
        data = form.cleaned_data
        if data["fachamt"]:
            query = query.filter(category__department_id=data["fachamt"])
        if data["kategorie"]:
            query = query.filter(category__code=data["kategorie"])
        status = data["status"]
    if status == "all":
        pass
    elif status:
        query = query.filter(status=status)
    else:
        query = query.filter(status__in=OPEN_STATUSES)
    # the oldest open reports first: they have waited longest
    query = query.order_by("requested_at", "id")
    page = Paginator(query, 50).get_page(request.GET.get("seite"))
    counts = (
        _visible(request.user)
        .filter(status__in=OPEN_STATUSES)
        .values("category__department__name")
        .annotate(
            total=Count("id"),
            unanswered=Count("id", filter=Q(first_answer_at__isnull=True)),
        )
        .order_by("category__department__name")
    )
    params = request.GET.copy()
    params.pop("seite", None)
    return render(
        request,
        "servicerequests/staff/queue.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "query_string": params.urlencode(),
            "now": timezone.now(),
        },
    )


@staff_required
def detail(request, pk):
    report = get_object_or_404(_visible(request.user), pk=pk)
    status_form = StatusForm(initial={"status": report.status})
    merge_form = MergeForm(prefix="merge")
    if request.method == "POST":
        if "merge" in request.POST:
            merge_form = MergeForm(request.POST, prefix="merge")
            if merge_form.is_valid():
                original = ServiceRequest.objects.filter(
                    pk=merge_form.cleaned_data["original"]
                ).first()
                if original is None:
                    merge_form.add_error("original", _("Diese Meldung gibt es nicht."))
                else:
                    try:
                        original = services.merge_duplicates(
                            report,
                            original,
                            public_note=merge_form.cleaned_data["public_note"],
                            user=request.user,
                            base_url=_base_url(request),
                        )
                    except services.WorkflowError as error:
                        merge_form.add_error(None, str(error))
                    else:
                        messages.success(
                            request,
                            _("Meldung %(dup)s ist jetzt ein Duplikat von %(orig)s.")
                            % {"dup": report.pk, "orig": original.pk},
                        )
                        return redirect("servicerequests:staff_detail", pk=original.pk)
        else:
            status_form = StatusForm(request.POST)
            if status_form.is_valid():
                data = status_form.cleaned_data
                old_status = report.status
                try:
                    services.change_status(
                        report,
                        data["status"],
                        public_note=data["public_note"],
                        internal_note=data["internal_note"],
                        user=request.user,
                        base_url=_base_url(request),
                    )
                except services.WorkflowError as error:
                    status_form.add_error(None, str(error))
                else:
                    messages.success(request, _("Gespeichert."))
                    if report.email and data["status"] != old_status:
                        messages.info(
                            request, _("Die meldende Person erhält eine E-Mail zum neuen Stand.")
                        )
                    return redirect("servicerequests:staff_detail", pk=report.pk)
    nearby = []
    if report.has_location:
        nearby = services.nearby_open_requests(
            report.category, report.lat, report.long, radius_m=250, exclude_id=report.pk
        )
    return render(
        request,
        "servicerequests/staff/detail.html",
        {
            "report": report,
            "history": list(report.history.select_related("author")),
            "answers": _answers(report),
            "photos": list(report.photos.all()),
            "status_form": status_form,
            "merge_form": merge_form,
            "nearby": nearby,
        },
        status=200 if not (status_form.errors or merge_form.errors) else 400,
    )


@staff_required
@require_POST
def update_indicators(request):
    try:
        year = int(request.POST.get("jahr", ""))
        written = services.update_indicators(year, user=request.user)
    except ValueError:
        messages.error(request, _("Bitte ein Jahr angeben."))
    except InputError as error:
        messages.error(request, " ".join(str(p) for p in error.problems))
    else:
        messages.success(
            request,
            _("%(count)d Werte für %(year)d in die Indikatoren geschrieben.")
            % {"count": written, "year": year},
        )
    return redirect("servicerequests:statistics")
