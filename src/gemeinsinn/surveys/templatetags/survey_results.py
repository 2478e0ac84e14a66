"""The big breakdown tables of the results page (up to 100 areas × 40 questions) written in
Python: rendering their thousands of cells with template loops took most of the page's time."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gemeinsinn.surveys.results import MIN_GROUP, QuestionResult, german_number

register = template.Library()


@register.filter
def group_table_rows(result: QuestionResult) -> SafeString:
    """The <tr> of a choice question's table by group: n (for a question in a repeat the
    respondents and the entries) and the share of every choice."""
    per_entry = result.repeat is not None
    hidden = (
        f'<td class="kern-table__cell num suppressed">&lt; {MIN_GROUP}</td>'
        f'<td class="kern-table__cell suppressed" colspan="{len(result.options) + per_entry}">'
        f"{escape(_('zu wenige Befragte, nicht gezeigt'))}</td>"
    )
    rows = []
    for group, shares in result.group_rows():
        label = escape(group.label)
        head = f'<tr class="kern-table__row"><th class="kern-table__cell" scope="row">{label}</th>'
        if shares is None:
            rows.append(f"{head}{hidden}</tr>")
            continue
        counts = [group.respondents, *([group.entries] if per_entry else [])]
        cells = "".join(f'<td class="kern-table__cell num">{v}</td>' for v in [*counts, *shares])
        rows.append(f"{head}{cells}</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 - labels escaped, numbers formatted here


@register.filter
def group_mean_items(result: QuestionResult) -> SafeString:
    """The <li> of a number question by group: the mean and n (for a question in a repeat
    the entries and the respondents), or "." when suppressed."""
    mean = escape(_("Mittelwert"))
    items = []
    for group in result.groups:
        if group.suppressed:
            items.append(f"<li>{escape(group.label)}: .</li>")
            continue
        n = f"n = {group.respondents}"
        if result.repeat is not None:
            n = escape(
                _("%(entries)d Einträge von %(respondents)d Befragten")
                % {"entries": group.entries, "respondents": group.respondents}
            )
        value = f"{mean} {german_number(group.mean, 1)} ({n})"
        items.append(f"<li>{escape(group.label)}: {value}</li>")
    return mark_safe("\n".join(items))  # noqa: S308 - labels escaped, numbers formatted here


@register.filter
def typed_value(value) -> str:
    """A typed paper answer as the check shows it: choices joined, "–" for none (0 stays)."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
