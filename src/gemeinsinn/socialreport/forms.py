"""Forms of the report pages: what to build, and the planners' own text per chapter."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import SpatialLevel
from gemeinsinn.monitoring.services import available_years
from gemeinsinn.socialreport.models import KIND_CHOICES, ReportJob
from gemeinsinn.socialreport.services import chapter_texts
from gemeinsinn.socialreport.services.jobs import HALF_YEARS

WHOLE_YEAR = ""
PERIOD_CHOICES = [(WHOLE_YEAR, _("ganzes Jahr")), *HALF_YEARS.items()]
LANGUAGE_CHOICES = [
    ("de", _("Deutsch")),
    ("de-ls", _("Leichte Sprache (Kompass)")),
    ("en", _("Englisch")),
]


def report_years() -> list[int]:
    """Years with statistics, and the current year (the action plan and the Kompass report on
    what happens now, before its statistics arrive); newest first."""
    return sorted(set(available_years()) | {timezone.localdate().year}, reverse=True)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Bericht"), choices=KIND_CHOICES)
    year = forms.TypedChoiceField(label=_("Jahr"), coerce=int)
    level = forms.ModelChoiceField(
        label=_("Gebietsebene"),
        queryset=SpatialLevel.objects.all(),
        required=False,
        empty_label=_("wie im Bericht vorgesehen"),
    )
    period = forms.ChoiceField(
        label=_("Zeitraum (nur Kompass)"), choices=PERIOD_CHOICES, required=False
    )
    language = forms.ChoiceField(label=_("Sprache"), choices=LANGUAGE_CHOICES, initial="de")
    fmt = forms.ChoiceField(
        label=_("Format"), choices=ReportJob.FORMAT_CHOICES, initial="pdf", widget=forms.Select
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.data_years = available_years()
        self.fields["year"].choices = [(y, str(y)) for y in report_years()]
        if self.data_years:
            self.fields["year"].initial = self.data_years[-1]

    def clean(self):
        data = super().clean()
        kind, year = data.get("kind"), data.get("year")
        if kind == "sozialbericht" and year is not None and year not in self.data_years:
            self.add_error(
                "year",
                _(
                    "Für %(year)s gibt es noch keine Statistikdaten, der Sozialbericht braucht "
                    "sie. Wählen Sie eines der Jahre %(years)s oder laden Sie zuerst die "
                    "Statistik für %(year)s hoch."
                )
                % {"year": year, "years": ", ".join(map(str, self.data_years)) or "–"},
            )
        if kind != "kompass":
            data["period"] = WHOLE_YEAR
        if data.get("language") == "de-ls" and kind != "kompass":
            self.add_error(
                "language",
                _(
                    "Leichte Sprache gibt es nur für den Kompass. Wählen Sie für den "
                    "%(kind)s Deutsch oder Englisch."
                )
                % {"kind": dict(KIND_CHOICES).get(kind, kind)},
            )
        return data

    def request_period(self) -> str:
        """The period as the report expects it, e.g. "2025-H1"; "" for the whole year."""
        half = self.cleaned_data.get("period")
        return f"{self.cleaned_data['year']}-{half}" if half else ""


class ChapterTextsForm(forms.Form):
    """One text field per chapter of an edition; field names are the chapter slugs."""

    def __init__(self, *args, chapters, saved, **kwargs):
        super().__init__(*args, **kwargs)
        self.titles = dict(chapters)
        for slug, title in chapters:
            self.fields[slug] = forms.CharField(
                label=title,
                required=False,
                strip=False,
                initial=saved[slug].text if slug in saved else "",
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def clean(self):
        data = super().clean()
        for slug, text in list(data.items()):
            if len(text.strip()) > chapter_texts.MAX_LENGTH:
                self.add_error(
                    slug,
                    _(
                        "Der Text zum Kapitel „%(chapter)s“ hat %(length)s Zeichen, erlaubt "
                        "sind höchstens %(limit)s. Kürzen Sie ihn oder verteilen Sie ihn auf "
                        "mehrere Kapitel."
                    )
                    % {
                        "chapter": self.titles[slug],
                        "length": len(text.strip()),
                        "limit": chapter_texts.MAX_LENGTH,
                    },
                )
        return data
