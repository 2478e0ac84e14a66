"""Public pages of ideas and proposals: the list with filters, one idea with support,
comments, the official answer and its history, the submission form and the statistics of
answered ideas per district. Everything works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area
from gemeinsinn.core.clients import client_address
from gemeinsinn.ideas import services
from gemeinsinn.ideas.forms import CommentForm, FilterForm, IdeaForm, ReportForm
from gemeinsinn.ideas.models import COLLECT, Category, Comment, Follow, Idea, Support

PAGE_SIZE = 30


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def idea_list(request):
    form = FilterForm(request.GET or None)
    ideas = services.public_ideas()
    chosen = {}
    if form.is_valid():
        data = form.cleaned_data
        area = Area.objects.filter(pk=data["gebiet"]).first() if data["gebiet"] else None
        category = (
            Category.objects.filter(pk=data["handlungsfeld"]).first()
            if data["handlungsfeld"]
            else None
        )
        ideas = services.filter_ideas(
            area=area, category=category, status=data["stand"], query=ideas
        )
        chosen = {"area": area, "category": category}
    page = Paginator(ideas.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    params = request.GET.copy()
    params.pop("seite", None)
    process = services.current_process()
    return render(
        request,
        "ideas/list.html",
        {
            "form": form,
            "page": page,
            "query_string": params.urlencode(),
            "chosen": chosen,
            "process": process,
            "collecting": process is not None and process.phase() == COLLECT,
        },
    )


def detail(request, pk, comment_form=None, status=200):
    idea = get_object_or_404(
        Idea.objects.select_related("category", "area", "process", "event"), pk=pk
    )
    user = request.user
    comments = list(
        idea.comments.filter(parent__isnull=True)
        .prefetch_related("replies")
        .order_by("created_at", "id")
    )
    reply_to = None
    if request.GET.get("antwort", "").isdigit():
        reply_to = next((c for c in comments if c.pk == int(request.GET["antwort"])), None)
    if comment_form is None:
        comment_form = CommentForm(initial={"parent": reply_to.pk if reply_to else None})
    context = {
        "idea": idea,
        "comments": comments,
        "history": list(idea.history.all()),
        "comment_form": comment_form,
        "reply_to": reply_to,
        "phase": idea.process.phase(),
        "participation_problem": services.participation_problem(user),
        "supported": user.is_authenticated
        and Support.objects.filter(idea=idea, user=user).exists(),
        "following": user.is_authenticated and Follow.objects.filter(idea=idea, user=user).exists(),
        "may_answer": services.may_answer(user),
        "may_moderate": services.may_moderate(user),
    }
    return render(request, "ideas/detail.html", context, status=status)


@login_required
def submit(request):
    process = services.current_process()
    form = IdeaForm(request.POST or None, request.FILES or None)
    problem = services.participation_problem(request.user)
    closed_message = services.submission_problem(process)
    status = 200
    if request.method == "POST":
        if request.POST.get("website"):
            form.is_valid()
            form.add_error(None, _("Die Idee konnte nicht angenommen werden."))
            status = 400
        elif process is None:
            form.is_valid()
            form.add_error(None, closed_message)
            status = 400
        else:
            form.is_valid()
            given = services.IdeaInput(
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
                category=request.POST.get("category", ""),
                area=request.POST.get("area", ""),
                lat=request.POST.get("lat", ""),
                long=request.POST.get("long", ""),
                image=request.FILES.get("image"),
            )
            try:
                idea = services.submit_idea(
                    request.user,
                    process,
                    given,
                    client=client_address(request),
                    base_url=_base_url(request),
                )
            except services.IdeaError as error:
                if error.existing is not None:
                    messages.info(request, error.message)
                    return redirect("ideas:detail", pk=error.existing.pk)
                form.errors.clear()
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Danke! Ihre Idee ist eingegangen. Sie folgen ihr und bekommen eine "
                        "E-Mail, wenn die Verwaltung antwortet."
                    ),
                )
                return redirect("ideas:detail", pk=idea.pk)
    return render(
        request,
        "ideas/form.html",
        {
            "form": form,
            "process": process,
            "closed_message": closed_message,
            "problem": problem,
            "level": area_services.finest_level(),
        },
        status=status,
    )


@require_POST
def support(request, pk):
    idea = get_object_or_404(Idea.objects.select_related("process"), pk=pk)
    try:
        services.support(idea, request.user)
    except services.IdeaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Danke! Sie unterstützen diese Idee."))
    return redirect("ideas:detail", pk=pk)


@require_POST
def comment(request, pk):
    idea = get_object_or_404(Idea.objects.select_related("process"), pk=pk)
    form = CommentForm(request.POST)
    parent = None
    parent_id = request.POST.get("parent", "")
    if parent_id.isdigit():
        parent = Comment.objects.filter(pk=int(parent_id), idea=idea).first()
    try:
        created = services.comment(
            idea,
            request.user,
            request.POST.get("text", ""),
            parent=parent,
            client=client_address(request),
            base_url=_base_url(request),
        )
    except services.IdeaError as error:
        form.is_valid()
        form.errors.clear()
        form.add_error("text", error.message)
        return detail(request, pk, comment_form=form, status=400)
    messages.success(request, _("Danke für Ihren Kommentar."))
    return redirect(reverse("ideas:detail", args=[pk]) + f"#kommentar-{created.pk}")


@require_POST
def follow(request, pk):
    idea = get_object_or_404(Idea, pk=pk)
    try:
        following = services.follow(idea, request.user, on=request.POST.get("an") == "1")
    except services.IdeaError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Sie folgen dieser Idee und bekommen E-Mails bei Neuigkeiten.")
            if following
            else _("Sie folgen dieser Idee nicht mehr."),
        )
    return redirect("ideas:detail", pk=pk)


@login_required
def report(request, pk):
    idea = get_object_or_404(Idea, pk=pk)
    target_comment = None
    comment_id = request.GET.get("kommentar", "") or request.POST.get("kommentar", "")
    if comment_id.isdigit():
        target_comment = get_object_or_404(Comment, pk=int(comment_id), idea=idea)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            services.report_abuse(
                request.user, idea, request.POST.get("reason", ""), comment=target_comment
            )
        except services.IdeaError as error:
            form.is_valid()
            form.errors.clear()
            form.add_error("reason", error.message)
            status = 400
        else:
            messages.success(
                request, _("Danke für Ihren Hinweis. Die Moderation prüft den Beitrag.")
            )
            return redirect("ideas:detail", pk=pk)
    return render(
        request,
        "ideas/report.html",
        {"idea": idea, "comment": target_comment, "form": form},
        status=status,
    )


def image(request, pk):
    idea = get_object_or_404(Idea, pk=pk, is_hidden=False)
    if not idea.image:
        raise Http404
    try:
        handle = idea.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def statistics(request):
    rows = services.district_statistics()
    total = sum(r.ideas for r in rows)
    answered = sum(r.answered for r in rows)
    return render(
        request,
        "ideas/statistics.html",
        {
            "rows": rows,
            "total": total,
            "answered": answered,
            "unanswered": total - answered,
            "level": area_services.finest_level(),
        },
    )
