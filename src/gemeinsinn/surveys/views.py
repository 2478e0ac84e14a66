"""Public survey pages: one page per group of the form, skip logic evaluated on the server,
back and next, saving unfinished answers, the district from the list or the invitation code's.
Works without JavaScript."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area
from gemeinsinn.formats.xlsform import Group, Question, interpolate, language_code, translate
from gemeinsinn.geo.palette import Palette
from gemeinsinn.geo.svg import MapArea, render_choropleth
from gemeinsinn.monitoring.maps import geometries
from gemeinsinn.servicerequests.views import client_address
from gemeinsinn.surveys import services
from gemeinsinn.surveys.models import INVITATION, Draft, Response, Survey

SESSION_KEY = "surveys"
DONE_KEY = "surveys_done"


# --- helpers ---------------------------------------------------------------------------------


def form_language(survey: Survey, page_language: str = "") -> str:
    """The form's language that matches the page language (default: the active one), else
    its default language."""
    current = (page_language or get_language() or "de").split("-")[0]
    for language in survey.languages:
        if language_code(language) == current:
            return language
    return survey.form.default_language


def _text(texts: dict, language: str, survey: Survey, answers=None) -> str:
    text = translate(texts, language, survey.form.default_language)
    return interpolate(text, answers or {}) if answers is not None and "${" in text else text


def _draft(request, survey: Survey) -> Draft | None:
    token = request.session.get(SESSION_KEY, {}).get(survey.slug)
    if not token:
        return None
    return Draft.objects.filter(survey=survey, token=token).select_related("area", "code").first()


def _remember(request, survey: Survey, draft: Draft) -> None:
    tokens = dict(request.session.get(SESSION_KEY, {}))
    tokens[survey.slug] = draft.token
    request.session[SESSION_KEY] = tokens


def _forget(request, survey: Survey) -> None:
    tokens = dict(request.session.get(SESSION_KEY, {}))
    tokens.pop(survey.slug, None)
    request.session[SESSION_KEY] = tokens


def _areas(survey: Survey) -> list[Area]:
    return list(
        Area.objects.filter(level=survey.area_level).select_related("parent").order_by("name")
    )


def _area_of(survey: Survey, area_id: int | None) -> Area | None:
    """The chosen area if it is one of the survey's level, with only what storing needs (in
    plain SQL: on every submission, compiling the ORM query cost five times the lookup)."""
    query = f"SELECT id, level_id FROM {Area._meta.db_table} WHERE id = %s AND level_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(query, [area_id, survey.area_level_id])
        row = cursor.fetchone()
    return Area.from_db(connection.alias, ["id", "level_id"], row) if row else None


def _area_map(survey: Survey, areas: list[Area], chosen: Area | None) -> str:
    """The areas as an SVG map; each is a link that chooses it in the list (keyboard: Tab)."""
    shapes = geometries(areas)
    drawn = [
        MapArea(a.key, a.name, shapes[a.pk], 2 if chosen and a.pk == chosen.pk else 1)
        for a in areas
        if a.pk in shapes
    ]
    if not drawn:
        return ""
    url = reverse("surveys:start", args=[survey.slug]) + "?gebiet={key}#id_area"
    return render_choropleth(
        drawn,
        Palette(("#dfe6f5", "#0b3d91"), (_("wählen"), _("gewählt"))),
        title=_("Karte der Gebiete: ein Gebiet anklicken, um es zu wählen"),
        description=_("Jedes Gebiet ist ein Link; er wählt das Gebiet in der Liste oben."),
        url_template=url,
        id_prefix="gebietskarte",
    )


def _visible_pages(survey: Survey, answers: dict) -> tuple[list[services.Page], set[str]]:
    shown = services.relevant_names(survey, answers)
    visible = []
    for page in services.pages(survey.form):
        if page.group is not None and page.group.name not in shown:
            continue
        if any(_item_name(item) in shown for item in page.items):
            visible.append(page)
    return visible, shown


def _item_name(item) -> str:
    return item.name


def _fields(survey: Survey, page, answers: dict, shown: set[str], errors: dict, language: str):
    """What the template shows of a page: notes, questions (with their value and errors)
    and sub-group headings, in the order of the form, skipping what is not asked."""
    values = dict(answers)
    result = []

    def visit(items):
        for item in items:
            if item.name not in shown:
                continue
            if isinstance(item, Group):
                if item.repeat:
                    result.append(_repeat_field(survey, item, values, errors, language))
                    continue
                result.append({"kind": "heading", "label": _text(item.labels, language, survey)})
                visit(item.children)
                continue
            field = _field(survey, item, values, errors.get(item.name, []), language)
            if field is not None:
                result.append(field)

    visit(page.items)
    return result


def _repeat_field(survey: Survey, group: Group, values: dict, errors: dict, language: str):
    """A repeat: its entries (as many as repeat_count asks for, else as given), each with
    the repeat's questions named ``repeat-entry-question``."""
    given = values.get(group.name) if isinstance(values.get(group.name), list) else []
    entries = []
    for number in range(1, services.repeat_size(survey, group, values) + 1):
        entry = given[number - 1] if number <= len(given) else {}
        scope = {**values, **entry}
        prefix = f"{group.name}-{number}-"
        fields = [
            _field(survey, q, scope, errors.get(prefix + q.name, []), language, prefix)
            for q in services.repeat_questions(group)
        ]
        entries.append({"number": number, "fields": [f for f in fields if f is not None]})
    return {
        "kind": "repeat",
        "name": group.name,
        "id": f"q-{group.name}",
        "label": _text(group.labels, language, survey, values),
        "errors": errors.get(group.name, []),
        "entries": entries,
        "fixed": group.repeat_count is not None,
    }


def _field(
    survey: Survey, q: Question, values: dict, errors: list[str], language: str, prefix: str = ""
):
    label = _text(q.labels, language, survey, values)
    hint = _text(q.hints, language, survey, values)
    if q.type == "note":
        return {"kind": "note", "label": label, "hint": hint}
    if not q.answered:
        return None
    value = values.get(q.name)
    name = prefix + q.name
    field = {
        "kind": q.type,
        "name": name,
        "id": f"q-{name}",
        "label": label,
        "hint": hint,
        "required": q.required,
        "errors": errors,
        "value": "" if value is None else value,
        "multiline": "multiline" in q.appearance,
    }
    if q.type in ("select_one", "select_multiple") and q.choices is not None:
        chosen = value if isinstance(value, list) else [value]
        field["options"] = [
            {
                "value": choice.name,
                "label": _text(choice.labels, language, survey),
                "checked": choice.name in chosen,
                "id": f"q-{name}-{index}",
            }
            for index, choice in enumerate(q.choices.choices, 1)
        ]
    if q.type == "rank" and q.choices is not None:
        order = value if isinstance(value, list) else []
        field["positions"] = [
            {"number": n, "value": order[n - 1] if n <= len(order) else "", "id": f"q-{name}-{n}"}
            for n in range(1, len(q.choices.choices) + 1)
        ]
        field["options"] = [
            {"value": c.name, "label": _text(c.labels, language, survey)} for c in q.choices.choices
        ]
    return field


def _posted(request, questions: list[Question], repeats=(), prefix: str = "") -> dict:
    answers = {}
    for q in questions:
        key = f"q-{prefix}{q.name}"
        if q.type == "select_multiple":
            answers[q.name] = request.POST.getlist(key)
        elif q.type == "rank":
            answers[q.name] = [v for v in request.POST.getlist(key) if v]
        elif q.type == "acknowledge":
            answers[q.name] = "OK" if request.POST.get(key) else ""
        else:
            answers[q.name] = request.POST.get(key, "")[:5000]
    for group in repeats:
        count = min(
            services.MAX_REPEAT_ENTRIES, _int(request.POST.get(f"q-{group.name}-count")) or 0
        )
        entries = [
            _posted(request, services.repeat_questions(group), (), f"{group.name}-{number}-")
            for number in range(1, count + 1)
        ]
        if group.repeat_count is None:  # entries left empty are not meant
            entries = [e for e in entries if any(v not in ("", []) for v in e.values())]
        answers[group.name] = entries
    return answers


def _error_links(fields: list[dict]) -> list[tuple[str, str, str]]:
    """(anchor, label, message) of every error on the page, also inside repeats."""
    links = []
    for field in fields:
        anchor = field.get("id", "")
        if field.get("options") and field["kind"] != "rank":
            anchor += "-1"
        links.extend((anchor, field["label"], error) for error in field.get("errors", []))
        for entry in field.get("entries", []):
            links.extend(_error_links(entry["fields"]))
    return links


# --- pages -----------------------------------------------------------------------------------


def survey_list(request):
    today = timezone.localdate()
    surveys = [s for s in Survey.objects.all() if s.is_open(today)]
    return render(request, "surveys/list.html", {"surveys": surveys})


def start(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    language = form_language(survey)
    is_open = survey.is_open(timezone.localdate())
    draft = _draft(request, survey)
    errors: list[str] = []
    status = 200
    if request.method == "POST" and is_open:
        try:
            if survey.access == INVITATION:
                code = services.redeem_code(
                    survey, request.POST.get("code", ""), client_address(request)
                )
                draft = services.start(survey, code=code, language=language)
            else:
                area = Area.objects.filter(
                    pk=_int(request.POST.get("area")), level=survey.area_level
                ).first()
                if area is None:
                    raise services.SurveyError(
                        [_("Bitte wählen Sie Ihr Wohngebiet aus der Liste.")]
                    )
                if draft is not None and draft.code_id is None:
                    services.save_draft(draft, {}, area=area, language=language)
                else:
                    draft = services.start(survey, area=area, language=language)
            _remember(request, survey, draft)
            return redirect("surveys:page", slug=survey.slug, number=1)
        except services.SurveyError as error:
            errors, status = error.messages, error.status
    areas = _areas(survey)
    chosen = next((a for a in areas if a.key == request.GET.get("gebiet")), None)
    if chosen is None and draft is not None:
        chosen = next((a for a in areas if a.pk == draft.area_id), None)
    context = {
        "survey": survey,
        "is_open": is_open,
        "draft": draft,
        "areas": areas,
        "chosen": chosen,
        "area_map": _area_map(survey, areas, chosen)
        if is_open and survey.access != INVITATION
        else "",
        "errors": errors,
        "level": survey.area_level,
        "code": request.POST.get("code", "") if request.method == "POST" else "",
        "page_count": len(services.pages(survey.form)),
    }
    return render(request, "surveys/start.html", context, status=status)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def resume(request, slug, token):
    survey = get_object_or_404(Survey, slug=slug)
    draft = Draft.objects.filter(survey=survey, token=token, code__isnull=True).first()
    if draft is None:
        messages.error(request, _("Diese gespeicherten Antworten gibt es nicht mehr."))
        return redirect("surveys:start", slug=survey.slug)
    _remember(request, survey, draft)
    return redirect("surveys:page", slug=survey.slug, number=1)


def page(request, slug, number):
    survey = get_object_or_404(Survey, slug=slug)
    draft = _draft(request, survey)
    if draft is None:
        return redirect("surveys:start", slug=survey.slug)
    language = form_language(survey)
    visible, shown = _visible_pages(survey, draft.answers)
    if not visible:
        raise Http404
    number = max(1, min(number, len(visible)))
    current = visible[number - 1]
    errors: dict[str, list[str]] = {}
    notice = ""
    status = 200
    if request.method == "POST":
        posted_names = set(request.POST.get("shown", "").split())
        asked = [q for q in current.questions() if q.name in posted_names]
        repeats = [g for g in current.repeats() if g.name in posted_names]
        services.save_draft(
            draft,
            _posted(request, asked, repeats),
            clear=[item.name for item in (*asked, *repeats)],
            language=language,
        )
        action = request.POST.get("action", "next")
        if action == "back":
            return redirect("surveys:page", slug=survey.slug, number=max(1, number - 1))
        visible, shown = _visible_pages(survey, draft.answers)
        if action == "save":
            notice = "saved"
        elif action.startswith("add:"):
            _add_entry(draft, repeats, action.removeprefix("add:"))
        else:
            new = [
                q.name
                for q in current.questions()
                if q.name in shown and q.answered and q.name not in posted_names
            ]
            problems = [
                p
                for p in services.page_problems(survey, current, draft.answers, language=language)
                if p.question in shown or p.instance is not None
            ]
            if new:
                notice = "new"
            elif problems:
                for problem in problems:
                    where = services.answer_key(problem, current.repeats())
                    errors.setdefault(where, []).append(problem.message)
                status = 400
            else:
                position = next(
                    (i for i, p in enumerate(visible, 1) if p.number == current.number), number
                )
                if position >= len(visible):
                    return redirect("surveys:submit", slug=survey.slug)
                return redirect("surveys:page", slug=survey.slug, number=position + 1)
        number = next((i for i, p in enumerate(visible, 1) if p.number == current.number), number)
    fields = _fields(survey, current, draft.answers, shown, errors, language)
    title = (
        _text(current.group.labels, language, survey) if current.group is not None else survey.title
    )
    context = {
        "survey": survey,
        "draft": draft,
        "number": number,
        "total": len(visible),
        "title": title,
        "fields": fields,
        "shown": " ".join(f["name"] for f in fields if f.get("name")),
        "errors": errors,
        "error_links": _error_links(fields),
        "notice": notice,
        "is_last": number == len(visible),
        "resume_url": request.build_absolute_uri(
            reverse("surveys:resume", args=[survey.slug, draft.token])
        )
        if draft.code_id is None
        else "",
    }
    return render(request, "surveys/page.html", context, status=status)


def _add_entry(draft: Draft, repeats, name: str) -> None:
    """One more (empty) entry for a repeat without a fixed number of entries."""
    group = next((g for g in repeats if g.name == name and g.repeat_count is None), None)
    entries = list(draft.answers.get(name) or []) if group is not None else []
    if group is not None and len(entries) < services.MAX_REPEAT_ENTRIES:
        services.save_draft(draft, {name: [*entries, {}]})


def submit(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    draft = _draft(request, survey)
    language = form_language(survey)
    if draft is None:
        key = request.POST.get("submission_key", "")
        if (
            request.method == "POST"
            and key
            and Response.objects.filter(survey=survey, submission_key=key).exists()
        ):
            return redirect("surveys:thanks", slug=survey.slug)  # the same form posted twice
        return redirect("surveys:start", slug=survey.slug)
    problems: dict[str, list[str]] = {}
    messages_: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            services.submit_draft(
                draft,
                submission_key=request.POST.get("submission_key", "")[:64],
                client=client_address(request),
            )
        except services.SurveyError as error:
            messages_, problems, status = error.messages, error.by_question(), error.status
        else:
            _forget(request, survey)
            request.session[DONE_KEY] = survey.slug
            return redirect("surveys:thanks", slug=survey.slug)
    visible, shown = _visible_pages(survey, draft.answers)
    summary = []
    for position, item in enumerate(visible, 1):
        for field in _fields(survey, item, draft.answers, shown, {}, language):
            if not field.get("name"):
                continue
            summary.append(
                {
                    "page": position,
                    "label": field["label"],
                    "answer": _answer_text(field),
                    "problems": problems.get(field["name"], []),
                }
            )
    context = {
        "survey": survey,
        "draft": draft,
        "summary": summary,
        "messages_": messages_,
        "problems": problems,
        "total": len(visible),
    }
    return render(request, "surveys/submit.html", context, status=status)


@dataclass
class OnePagePost:
    """What was sent with the one-page form, checked (nothing stored yet)."""

    key: str  # the form's key (a new one when none was sent)
    area_id: int | None
    area: Area | None  # the chosen area if it is one of the survey's level
    repeats: list[Group]
    answers: dict
    checked: tuple[dict, list]  # the result of services.check_answers
    new: list[str]  # questions the answers made relevant that were not shown yet

    @property
    def ready(self) -> bool:
        """Whether storing can succeed as far as the answers and the area tell."""
        return not self.new and self.area is not None and not self.checked[1]


def read_one_page(request, survey: Survey, language: str, today) -> OnePagePost:
    """Read and check the answers of the one-page form (also used by ``surveys.fastpath``)."""
    asked = set(request.POST.get("shown", "").split())
    form = survey.form
    questions = form.questions()
    repeats = [g for g in form.groups() if g.repeat and g.name in asked]
    answers = _posted(request, [q for q in questions if q.name in asked], repeats)
    checked = services.check_answers(survey, answers, language=language, today=today)
    shown = services.relevant_names(survey, answers, today, checked)
    area_id = _int(request.POST.get("area"))
    return OnePagePost(
        key=request.POST.get("submission_key", "")[:64] or secrets.token_urlsafe(24),
        area_id=area_id,
        area=_area_of(survey, area_id),
        repeats=repeats,
        answers=answers,
        checked=checked,
        new=[q.name for q in questions if q.answered and q.name in shown - asked],
    )


def store_one_page(request, survey: Survey, post: OnePagePost, language: str, today) -> None:
    """Store the checked answers of the one-page form; raises services.SurveyError."""
    services.submit_response(
        survey,
        post.answers,
        area=post.area,
        submission_key=post.key,
        client=client_address(request),
        language=language,
        today=today,
        checked=post.checked,
    )


def one_page(request, slug):
    """The whole questionnaire on one page, sent in one request: for short open surveys and
    for people who prefer one long page. The lean submission path: no draft, no session, one
    check of the answers and one INSERT (the form's key makes a double submit harmless).
    Under ``gemeinsinn serve`` a successful submission does not even reach this view (see
    ``surveys.fastpath``); everything else does."""
    try:
        survey = services.survey_for_form(slug)
    except Survey.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    if survey.access == INVITATION or not survey.is_open(today):
        return redirect("surveys:start", slug=survey.slug)
    language = form_language(survey)
    answers: dict = {}
    errors: dict[str, list[str]] = {}
    messages_: list[str] = []
    notice = ""
    status = 200
    key = secrets.token_urlsafe(24)
    area_id = area = None
    if request.method == "POST":
        post = read_one_page(request, survey, language, today)
        key, area_id, area, answers = post.key, post.area_id, post.area, post.answers
        if post.new:
            notice = "new"
        else:
            try:
                store_one_page(request, survey, post, language, today)
            except services.SurveyError as error:
                messages_, status = error.messages, error.status
                problems = error.problems
                if area is None and not problems:
                    # the area is checked first: show what is wrong with the answers, too
                    problems = post.checked[1]
                for problem in problems:
                    where = services.answer_key(problem, post.repeats)
                    errors.setdefault(where, []).append(problem.message)
            else:
                return redirect("surveys:thanks", slug=survey.slug)
    visible, shown = _visible_pages(survey, answers)
    sections = []
    for item in visible:
        heading = _text(item.group.labels, language, survey) if item.group is not None else ""
        sections.append((heading, _fields(survey, item, answers, shown, errors, language)))
    fields = [field for _heading, section in sections for field in section]
    context = {
        "survey": survey,
        "sections": sections,
        "fields": fields,
        "shown": " ".join(f["name"] for f in fields if f.get("name")),
        "errors": errors,
        "error_links": _error_links(fields),
        "messages_": messages_,
        "notice": notice,
        "areas": _areas(survey),
        "level": survey.area_level,
        "area_id": area_id,
        "area_error": bool(messages_) and area is None,
        "submission_key": key,
    }
    return render(request, "surveys/one_page.html", context, status=status)


def _answer_text(field) -> str:
    if field["kind"] == "repeat":
        return "; ".join(
            ", ".join(t for t in (_answer_text(f) for f in entry["fields"] if f.get("name")) if t)
            for entry in field["entries"]
        )
    if field.get("options") and field["kind"] in ("select_one", "select_multiple"):
        return ", ".join(o["label"] for o in field["options"] if o["checked"])
    value = field.get("value")
    if isinstance(value, list):
        return ", ".join(value)
    return str(value or "")


def thanks(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    return render(request, "surveys/thanks.html", {"survey": survey})
