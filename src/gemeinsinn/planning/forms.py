"""The ranking form: level, year and one weight and direction per available component. Its
fields depend on the level and year, so it is built from the sources the service offers.

The form is always bound: the defaults (or a saved ranking's settings) are overlaid with what
the request sends, so a component that appears after the level changed starts with its
default and a cleared weight field means 0."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import Area
from gemeinsinn.planning import services
from gemeinsinn.planning.models import MeasureStatus

MAX_WEIGHT = 100
WORSE, BETTER = "mehr", "weniger"
DIRECTIONS = [
    (WORSE, _("hoher Wert bedeutet mehr Bedarf")),
    (BETTER, _("hoher Wert bedeutet weniger Bedarf")),
]


def field_key(code: str) -> str:
    return code.replace(":", "-")


class RankingForm(forms.Form):
    level = forms.ModelChoiceField(queryset=None, label=_("Gebietsebene"), empty_label=None)
    year = forms.TypedChoiceField(label=_("Jahr"), coerce=int)

    def __init__(self, data, *, level, year, year_choices, sources, choices):
        self.sources = sources
        defaults = {"level": str(level.pk), "year": str(year)}
        given = {c.code: c for c in choices}
        for source in sources:
            key = field_key(source.code)
            choice = given.get(source.code)
            weight = choice.weight if choice else source.default_weight
            worse = choice.higher_is_worse if choice else source.higher_is_worse
            defaults[f"w-{key}"] = f"{weight:g}"
            defaults[f"d-{key}"] = WORSE if worse else BETTER
        defaults.update({k: data.get(k) for k in defaults if data is not None and k in data})
        super().__init__(defaults)
        self.fields["level"].queryset = services.levels_query()
        self.fields["year"].choices = [(y, str(y)) for y in reversed(year_choices)]
        for name in ("level", "year"):  # a new scope brings other components: swap the form
            self.fields[name].widget.attrs.update(
                {
                    "data-scope": "",
                    "hx-get": reverse("planning:ranking"),
                    "hx-include": "closest form",
                    "hx-target": "#ranking",
                    "hx-select": "#ranking",
                    "hx-swap": "outerHTML",
                    "hx-push-url": "true",
                }
            )
        for source in sources:
            key = field_key(source.code)
            self.fields[f"w-{key}"] = forms.FloatField(
                label=_("Gewicht: %(label)s") % {"label": source.label},
                min_value=0,
                max_value=MAX_WEIGHT,
                required=False,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": "4"}),
            )
            self.fields[f"d-{key}"] = forms.ChoiceField(
                label=_("Richtung: %(label)s") % {"label": source.label}, choices=DIRECTIONS
            )

    def rows(self):
        """(source, weight field, direction field) for the template."""
        for source in self.sources:
            key = field_key(source.code)
            yield source, self[f"w-{key}"], self[f"d-{key}"]

    def choices(self) -> list[services.Choice]:
        data = self.cleaned_data
        return [
            services.Choice(
                s.code,
                data.get(f"w-{field_key(s.code)}") or 0.0,
                data.get(f"d-{field_key(s.code)}") == WORSE,
            )
            for s in self.sources
        ]


class SaveRankingForm(forms.Form):
    name = forms.CharField(label=_("Name der Rangfolge"), max_length=200)


class TargetAreaForm(forms.Form):
    """Marking target areas in a saved ranking; the service checks the choice and says what is
    missing, so the fields are optional here."""

    members = forms.ModelMultipleChoiceField(queryset=None, required=False)
    existing = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("vorhandenes Fördergebiet"),
        empty_label=_("– neues Fördergebiet anlegen –"),
    )
    name = forms.CharField(label=_("Name des neuen Fördergebiets"), required=False, max_length=200)
    reason = forms.CharField(
        label=_("Begründung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Warum diese Gebiete? Die Begründung wird mit Datum und Datenstand gespeichert."
        ),
    )

    def __init__(self, *args, ranking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Area.objects.filter(
            pk__in=ranking.areas.filter(rank__isnull=False).values("area_id")
        )
        self.fields["existing"].queryset = services.free_target_areas()


class ProgressForm(forms.Form):
    status = forms.ModelChoiceField(queryset=None, label=_("Stand"), empty_label=None)
    progress = forms.IntegerField(
        label=_("Fortschritt in %"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("leer: der Wert des Stands"),
    )
    note = forms.CharField(
        label=_("Notiz für die Chronik"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = MeasureStatus.objects.all()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (CSV oder XLSX)"),
        help_text=_("Spalten wie im Export; eine Zeile je Programm, Maßnahme oder Schritt."),
    )
