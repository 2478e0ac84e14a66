"""Staff pages of ideas: the moderation queue (reported and new content, hide with a public
reason, block accounts) for the moderation, and the official answer and status for
departments and the planning office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gemeinsinn.ideas import services
from gemeinsinn.ideas.forms import AnswerForm, BlockForm, ReasonForm
from gemeinsinn.ideas.models import AbuseReport, BlockedUser, Comment, Idea


def _require(check, user) -> None:
    if not check(user):
        raise PermissionDenied(_("Diese Seite ist der Moderation vorbehalten."))


@login_required
def moderation(request):
    _require(services.may_moderate, request.user)
    return render(request, "ideas/staff/moderation.html", services.moderation_queue())


def _moderate(request, target, idea):
    reason_form = ReasonForm(request.POST if request.POST.get("action") == "hide" else None)
    block_form = BlockForm(request.POST if request.POST.get("action") == "block" else None)
    status = 200
    action = request.POST.get("action")
    author = target.author
    try:
        if action == "hide":
            services.hide(target, request.user, request.POST.get("reason", ""))
            messages.success(request, _("Der Beitrag ist ausgeblendet."))
            return redirect("ideas:moderation")
        if action == "block":
            services.block_user(author, request.user, request.POST.get("block_reason", ""))
            messages.success(request, _("Das Konto ist für Beiträge gesperrt."))
            return redirect("ideas:moderation")
        if action == "dismiss":
            reports = AbuseReport.objects.filter(resolved_at__isnull=True, idea=idea)
            reports = (
                reports.filter(comment=target)
                if isinstance(target, Comment)
                else reports.filter(comment__isnull=True)
            )
            services.dismiss_reports(request.user, list(reports))
            messages.success(request, _("Die Meldungen sind erledigt; der Beitrag bleibt."))
            return redirect("ideas:moderation")
    except services.IdeaError as error:
        form = block_form if action == "block" else reason_form
        form.is_valid()
        form.errors.clear()
        form.add_error("block_reason" if action == "block" else "reason", error.message)
        status = 400
    reports = AbuseReport.objects.filter(idea=idea, resolved_at__isnull=True)
    reports = (
        reports.filter(comment=target)
        if isinstance(target, Comment)
        else reports.filter(comment__isnull=True)
    )
    return render(
        request,
        "ideas/staff/moderate.html",
        {
            "target": target,
            "idea": idea,
            "is_comment": isinstance(target, Comment),
            "reports": list(reports.select_related("reporter")),
            "reason_form": reason_form,
            "block_form": block_form,
            "author_blocked": author is not None
            and BlockedUser.objects.filter(user=author).exists(),
        },
        status=status,
    )


@login_required
def moderate_idea(request, pk):
    _require(services.may_moderate, request.user)
    idea = get_object_or_404(Idea.objects.select_related("author"), pk=pk)
    return _moderate(request, idea, idea)


@login_required
def moderate_comment(request, pk):
    _require(services.may_moderate, request.user)
    comment = get_object_or_404(Comment.objects.select_related("author", "idea"), pk=pk)
    return _moderate(request, comment, comment.idea)


@login_required
def answer(request, pk):
    if not services.may_answer(request.user):
        raise PermissionDenied(_("Diese Seite ist Fachämtern und der Sozialplanung vorbehalten."))
    idea = get_object_or_404(Idea.objects.select_related("category", "area"), pk=pk)
    form = AnswerForm(request.POST or None, initial={"status": idea.status, "answer": idea.answer})
    status = 200
    if request.method == "POST":
        new_status = request.POST.get("status", idea.status)
        text = request.POST.get("answer", "")
        base_url = request.build_absolute_uri("/")
        try:
            if services.clean_text(text) and services.clean_text(text) != idea.answer:
                services.answer_idea(
                    idea, request.user, text, new_status=new_status, base_url=base_url
                )
            else:
                services.change_status(idea, request.user, new_status, base_url=base_url)
        except services.IdeaError as error:
            form.is_valid()
            form.errors.clear()
            form.add_error("status" if error.field != "answer" else "answer", error.message)
            status = 400
        else:
            messages.success(request, _("Gespeichert. Wer der Idee folgt, wird benachrichtigt."))
            return redirect("ideas:detail", pk=idea.pk)
    return render(
        request,
        "ideas/staff/answer.html",
        {"idea": idea, "form": form, "history": list(idea.history.all())},
        status=status,
    )
