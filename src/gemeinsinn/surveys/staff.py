"""Staff pages of surveys: upload of an XLSForm, list, invitation codes and letters, paper
entry with double entry and the check of disagreements, results with charts, exports and
turning a question into an indicator."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area
from gemeinsinn.formats.problems import InputError
from gemeinsinn.formats.xlsform import Group, Question
from gemeinsinn.surveys import exports, services
from gemeinsinn.surveys.models import INVITATION, OPEN, PaperBatch, Survey
from gemeinsinn.surveys.results import AREA, choice_text


def staff_required(view):
    return staff_member_required(view, login_url="login")


def _date(text: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InputError([services.Problem(_("Datum bitte als TT.MM.JJJJ angeben."))])


@staff_required
def survey_list(request):
    problems = []
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("form")
        if upload is None:
            problems = [services.Problem(_("Bitte eine XLSForm-Datei (.xlsx oder .xls) wählen."))]
        else:
            try:
                survey = services.import_survey(
                    upload.read(services.MAX_FORM_BYTES + 1),
                    upload.name,
                    access=INVITATION if request.POST.get("access") == INVITATION else OPEN,
                    opens_on=_date(request.POST.get("opens_on", "")),
                    closes_on=_date(request.POST.get("closes_on", "")),
                    user=request.user,
                )
            except InputError as error:
                problems = error.problems
            else:
                messages.success(
                    request, _("Die Umfrage „%(title)s“ ist angelegt.") % {"title": survey.title}
                )
                return redirect("surveys:staff_detail", slug=survey.slug)
        status = 400
    surveys = Survey.objects.select_related("area_level").order_by("-created_at")
    counts = {
        s.pk: (s.responses.count(), s.codes.count(), s.codes.filter(used=True).count())
        for s in surveys
    }
    rows = [(s, *counts[s.pk]) for s in surveys]
    return render(
        request, "surveys/staff/list.html", {"rows": rows, "problems": problems}, status=status
    )


@staff_required
def detail(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    form = survey.form
    context = {
        "survey": survey,
        "form": form,
        "counts": form.counts_by_type(),
        "responses": survey.responses.count(),
        "online": survey.responses.filter(channel="online").count(),
        "paper": survey.responses.filter(channel="paper").count(),
        "codes": survey.codes.count(),
        "used": survey.codes.filter(used=True).count(),
        "pages": services.pages(form),
        "has_repeats": bool(services.repeat_groups(form)),
    }
    return render(request, "surveys/staff/detail.html", context)


@staff_required
def edit(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    problems: list = []
    status = 200
    values = {
        "title": survey.title,
        "access": survey.access,
        "opens_on": survey.opens_on.strftime("%d.%m.%Y") if survey.opens_on else "",
        "closes_on": survey.closes_on.strftime("%d.%m.%Y") if survey.closes_on else "",
    }
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in values}
        upload = request.FILES.get("form")
        try:
            services.update_survey(
                survey,
                title=values["title"],
                access=INVITATION if values["access"] == INVITATION else OPEN,
                opens_on=_date(values["opens_on"]),
                closes_on=_date(values["closes_on"]),
                data=upload.read(services.MAX_FORM_BYTES + 1) if upload else None,
                filename=upload.name if upload else "",
                user=request.user,
            )
        except InputError as error:
            problems, status = error.problems, 400
            survey.refresh_from_db()
        else:
            messages.success(request, _("Die Änderungen sind gespeichert."))
            return redirect("surveys:staff_detail", slug=survey.slug)
    context = {
        "survey": survey,
        "values": values,
        "file_problems": [p for p in problems if p.file],
        "errors": [p.message for p in problems if not p.file],
        "responses": survey.responses.count(),
    }
    return render(request, "surveys/staff/edit.html", context, status=status)


@staff_required
def codes(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    errors = []
    if request.method == "POST":
        try:
            total = int(request.POST.get("count", "0"))
        except ValueError:
            total = 0
        weights = None
        if request.POST.get("distribution") == "equal":
            weights = {
                pk: 1.0
                for pk in Area.objects.filter(level=survey.area_level).values_list("id", flat=True)
            }
        try:
            created = services.generate_codes(survey, total, weights, user=request.user)
        except services.SurveyError as error:
            errors = error.messages
        else:
            messages.success(request, _("%(count)d Codes erzeugt.") % {"count": len(created)})
            return redirect("surveys:staff_codes", slug=survey.slug)
    per_area = {}
    for area_name, used in survey.codes.values_list("area__name", "used"):
        total_used = per_area.setdefault(area_name, [0, 0])
        total_used[0] += 1
        total_used[1] += int(used)
    return render(
        request,
        "surveys/staff/codes.html",
        {"survey": survey, "per_area": sorted(per_area.items()), "errors": errors},
    )


@staff_required
def letters(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    codes = survey.codes.filter(used=False).select_related("area").order_by("area__key", "code")
    letters = [(c, services.format_code(c.code)) for c in codes]
    start_url = request.build_absolute_uri(f"/umfragen/{survey.slug}/")
    return render(
        request,
        "surveys/staff/letters.html",
        {"survey": survey, "letters": letters, "start_url": start_url},
    )


@staff_required
def batches(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    errors = []
    if request.method == "POST":
        try:
            batch = services.create_batch(survey, request.POST.get("name", ""), request.user)
        except services.SurveyError as error:
            errors = error.messages
        else:
            return redirect("surveys:staff_paper", slug=survey.slug, pk=batch.pk)
    rows = [
        (b, b.entries.filter(entry_pass=1).count(), b.entries.filter(entry_pass=2).count(),
         b.responses.count())
        for b in survey.paper_batches.all()
    ]  # fmt: skip
    return render(
        request, "surveys/staff/batches.html", {"survey": survey, "rows": rows, "errors": errors}
    )


PAPER_ENTRY_ROWS = 3  # rows shown for a repeat before more are asked for


def _options(question, form) -> list[tuple[int, str, str]]:
    if question.choices is None:
        return []
    return [(i, c.name, choice_text(c, form)) for i, c in enumerate(question.choices.choices, 1)]


def _paper_field(question, form, key: str, values: dict, errors: dict) -> dict:
    return {
        "name": key,
        "id": f"p-{key}",
        "label": question.label(),
        "type": question.type,
        "options": _options(question, form),
        "value": values.get(key, ""),
        "errors": errors.get(key, []),
    }


def _paper_repeat(group, form, values: dict, errors: dict, rows: int) -> dict:
    """A repeat as a table: the number of entries, then one row of fields per entry."""
    questions = services.entry_questions(group)
    count = f"{group.name}-count"
    return {
        "repeat": True,
        "name": group.name,
        "label": services.repeat_label(group, form),
        "count": {
            "name": count,
            "id": f"p-{count}",
            "label": _("Anzahl der Einträge"),
            "value": values.get(count, ""),
            "errors": errors.get(count, []),
        },
        "rows": rows,
        "columns": [
            {"name": q.name, "label": q.label(), "options": _options(q, form)} for q in questions
        ],
        "entries": [
            (
                n,
                [
                    _paper_field(q, form, f"{group.name}-{n}-{q.name}", values, errors)
                    | {"hint": f"h-{group.name}-{q.name}"}
                    for q in questions
                ],
            )
            for n in range(1, rows + 1)
        ],
    }


def _paper_fields(survey: Survey, values: dict, errors: dict, rows: dict[str, int]) -> list:
    """Every answered question as one compact text field (choices by number or name), in
    the order of the form; a repeat as a table of its entries (see _paper_repeat)."""
    form = survey.form
    inside = services.question_repeats(form)
    fields = []
    for item in form.walk():
        if isinstance(item, Group) and item.repeat:
            if not services.entry_questions(item):
                continue  # notes only: nothing to type
            size = rows.get(item.name, PAPER_ENTRY_ROWS)
            fields.append(_paper_repeat(item, form, values, errors, size))
        elif isinstance(item, Question) and item.answered and item.name not in inside:
            fields.append(_paper_field(item, form, item.name, values, errors))
    return fields


def _typed_repeat(group, post, values: dict) -> tuple[list[dict], int, list[str]]:
    """The entries of a repeat as typed: (entries, rows to show, problems). A blank number
    of entries means as many as rows are filled; rows below the number stay entries even
    when blank (they are checked like every answer), rows filled beyond it are a problem."""
    questions = services.entry_questions(group)
    limit = services.MAX_REPEAT_ENTRIES
    shown = min(limit, _number(post.get(f"p-{group.name}-rows", ""), PAPER_ENTRY_ROWS))
    count_text = post.get(f"p-{group.name}-count", "").strip()
    values[f"{group.name}-count"] = count_text
    typed: dict[int, dict] = {}
    for n in range(1, shown + 1):
        for q in questions:
            raw = post.get(f"p-{group.name}-{n}-{q.name}", "")
            values[f"{group.name}-{n}-{q.name}"] = raw
            if raw.strip():
                typed.setdefault(n, {})[q.name] = _typed_answer(q, raw)
    last = max(typed, default=0)
    if not count_text:
        count = last
    elif not count_text.isdigit() or int(count_text) > limit:
        message = _("Die Anzahl der Einträge bitte als ganze Zahl von 0 bis %(limit)d angeben.")
        return [], shown, [message % {"limit": limit}]
    else:
        count = int(count_text)
    if last > count:
        message = _(
            "Eintrag %(last)d ist ausgefüllt, die Anzahl der Einträge ist aber %(count)d. "
            "Bitte die Anzahl oder die Einträge berichtigen."
        )
        return [], shown, [message % {"last": last, "count": count}]
    if count > shown:
        message = _(
            "%(count)d Einträge: die Felder bis Eintrag %(count)d sind jetzt da; bitte "
            "ausfüllen und erneut speichern."
        )
        return [], count, [message % {"count": count}]
    return [typed.get(n, {}) for n in range(1, count + 1)], max(shown, count), []


def _number(text: str, default: int) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() else default


def _typed_answer(question, text: str):
    """What the typist wrote: choice numbers ("2", "1 4") or names; other answers as typed."""
    text = (text or "").strip()
    if question.choices is None or not text:
        return text
    choices = question.choices.choices
    parts = text.replace(",", " ").split()

    def name(part: str) -> str:
        if part.isdigit() and 1 <= int(part) <= len(choices):
            return choices[int(part) - 1].name
        return part

    if question.type == "select_one":
        return name(text)
    return [name(part) for part in parts]


@staff_required
def paper_entry(request, slug, pk):
    survey = get_object_or_404(Survey, slug=slug)
    batch = get_object_or_404(PaperBatch, pk=pk, survey=survey)
    areas = list(Area.objects.filter(level=survey.area_level).order_by("key"))
    values: dict = {}
    errors: dict = {}
    general: list[str] = []
    status = 200
    number = request.GET.get("bogen", "")
    entry_pass = request.GET.get("erfassung", "1")
    area_key = ""
    rows: dict[str, int] = {}
    if request.method == "POST":
        number = request.POST.get("number", "")
        entry_pass = request.POST.get("entry_pass", "1")
        area_key = request.POST.get("area", "").strip()
        area = next((a for a in areas if a.key == area_key), None)
        answers = {}
        for q in services.result_questions(survey.form):
            raw = request.POST.get(f"p-{q.name}", "")
            values[q.name] = raw
            answers[q.name] = _typed_answer(q, raw)
        repeats = services.repeat_groups(survey.form)
        for group in [g for g in repeats if services.entry_questions(g)]:
            answers[group.name], rows[group.name], problems = _typed_repeat(
                group, request.POST, values
            )
            if problems:
                errors[f"{group.name}-count"] = problems
        try:
            if errors:
                raise services.SurveyError()
            services.enter_paper(
                batch,
                int(number) if number.isdigit() else 0,
                int(entry_pass) if entry_pass in ("1", "2") else 0,
                area,
                answers,
                request.user,
            )
        except services.SurveyError as error:
            general, status = error.messages, 400
            for problem in error.problems:
                key = services.answer_key(problem, repeats)
                errors.setdefault(key, []).append(problem.message)
        else:
            messages.success(
                request,
                _("Bogen %(number)s (Erfassung %(entry_pass)s) gespeichert.")
                % {"number": number, "entry_pass": entry_pass},
            )
            next_number = int(number) + 1
            return redirect(f"{request.path}?bogen={next_number}&erfassung={entry_pass}")
    fields = _paper_fields(survey, values, errors, rows)
    context = {
        "survey": survey,
        "batch": batch,
        "areas": areas,
        "fields": fields,
        "error_links": _error_links(fields),
        "has_repeats": any(field.get("repeat") for field in fields),
        "general": general,
        "has_errors": bool(general or errors),
        "number": number,
        "entry_pass": entry_pass,
        "area_key": area_key,
    }
    return render(request, "surveys/staff/paper_entry.html", context, status=status)


def _error_links(fields: list[dict]) -> list[tuple[str, str, str]]:
    """(field id, where, message) of every problem, in the order of the fields."""
    links = []
    for field in fields:
        if not field.get("repeat"):
            links += [(field["id"], field["label"], e) for e in field["errors"]]
            continue
        count = field["count"]
        where = f"{field['label']}, {count['label']}"
        links += [(count["id"], where, e) for e in count["errors"]]
        for n, cells in field["entries"]:
            for cell in cells:
                where = _("%(repeat)s, Eintrag %(entry)d: %(question)s") % {
                    "repeat": field["label"],
                    "entry": n,
                    "question": cell["label"],
                }
                links += [(cell["id"], where, e) for e in cell["errors"]]
    return links


@staff_required
def paper_check(request, slug, pk):
    survey = get_object_or_404(Survey, slug=slug)
    batch = get_object_or_404(PaperBatch, pk=pk, survey=survey)
    if request.method == "POST":
        created = services.accept_batch(batch, request.user)
        messages.success(
            request, _("%(count)d Bögen als Antworten übernommen.") % {"count": created}
        )
        return redirect("surveys:staff_paper_check", slug=survey.slug, pk=batch.pk)
    check = services.check_batch(batch)
    return render(
        request,
        "surveys/staff/paper_check.html",
        {"survey": survey, "batch": batch, "check": check},
    )


@staff_required
def results(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    form = survey.form
    groupable = [q for q in services.result_questions(form) if q.type == "select_one"]
    by = request.GET.get("nach") or None
    if by not in {None, AREA, *(q.name for q in groupable)}:
        by = None
    weighted = request.GET.get("gewichtet") == "1"
    indicator_problems = []
    if request.method == "POST":
        try:
            indicator = services.question_to_indicator(
                survey,
                request.POST.get("question", ""),
                request.POST.getlist("values"),
                code=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
                user=request.user,
            )
        except InputError as error:
            indicator_problems = error.problems
        else:
            messages.success(
                request,
                _("Der Indikator „%(name)s“ ist geschrieben und erscheint auf den Gebietsseiten.")
                % {"name": indicator.name},
            )
            return redirect("surveys:staff_results", slug=survey.slug)
    all_results = services.results_all(survey, by=by, weighted=weighted)
    choice_questions = [
        (q, [(c.name, choice_text(c, form)) for c in q.choices.choices])
        for q in services.result_questions(form)
        if q.choices is not None and q.type in ("select_one", "select_multiple")
    ]
    context = {
        "survey": survey,
        "results": all_results,
        "by": by or "",
        "weighted": weighted,
        "groupable": groupable,
        "choice_questions": choice_questions,
        "indicator_problems": indicator_problems,
        "min_group": services.MIN_GROUP,
        "responses": survey.responses.count(),
        "repeats": [services.repeat_label(g, form) for g in services.repeat_groups(form)],
    }
    return render(request, "surveys/staff/results.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
def export_csv(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    if exports.has_repeats(survey):  # one file per table: the responses and each repeat
        return _download(exports.responses_csv_zip(survey), "application/zip", f"{slug}-csv.zip")
    return _download(exports.responses_csv(survey), "text/csv; charset=utf-8", f"{slug}.csv")


@staff_required
def export_xlsx(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    return _download(
        exports.responses_xlsx(survey),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{slug}.xlsx",
    )


@staff_required
def codebook_csv(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    return _download(
        exports.codebook_csv(survey), "text/csv; charset=utf-8", f"{slug}-codebuch.csv"
    )
