"""Forms of the Mängelmelder pages. They only present fields and carry messages; every check
of a report happens in services.submit_request, the same as for the Open311 API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gemeinsinn.servicerequests.models import STATUSES, Attribute, Category

PERIODS = [
    ("", _("jederzeit")),
    ("7", _("letzte 7 Tage")),
    ("30", _("letzte 30 Tage")),
    ("90", _("letzte 90 Tage")),
    ("365", _("letztes Jahr")),
]


class PlaceForm(forms.Form):
    """Step 1: what and where."""

    kategorie = forms.ChoiceField(label=_("Was möchten Sie melden?"), choices=[])
    adresse = forms.CharField(
        label=_("Adresse oder Ortsbeschreibung"),
        required=False,
        max_length=300,
        help_text=_("z. B. Marktstraße 5 oder „Spielplatz hinter der Schule“"),
    )
    lat = forms.CharField(
        label=_("Breitengrad"),
        required=False,
        max_length=30,
        help_text=_("wird ausgefüllt, wenn Sie in die Karte tippen; z. B. 51.2105"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    long = forms.CharField(
        label=_("Längengrad"),
        required=False,
        max_length=30,
        help_text=_("z. B. 7.9050"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(Category.objects.filter(is_active=True))
        self.fields["kategorie"].choices = [(c.code, c.display_name) for c in self.categories]


def attribute_field(attribute: Attribute) -> forms.Field:
    label = attribute.display_description
    common = {
        "label": label,
        "required": attribute.required,  # shown to the reader; checked by the service
        "help_text": attribute.datatype_description,
    }
    if attribute.datatype == "singlevaluelist":
        choices = [("", _("– bitte wählen –"))] + [
            (v.key, v.display_name) for v in attribute.values.all()
        ]
        return forms.ChoiceField(choices=choices, **common)
    if attribute.datatype == "multivaluelist":
        return forms.MultipleChoiceField(
            choices=[(v.key, v.display_name) for v in attribute.values.all()],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if attribute.datatype == "text":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if attribute.datatype == "number":
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if attribute.datatype == "datetime":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(max_length=300, **common)


class DetailsForm(forms.Form):
    """Step 2: the category's questions, description, photos and an optional e-mail."""

    beschreibung = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 4000}),
        help_text=_("Was ist das Problem? Nur Text, höchstens 4 000 Zeichen."),
    )
    foto1 = forms.FileField(
        label=_("Foto 1"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG oder WebP, höchstens 10 MB. Standortdaten im Foto entfernen wir."),
    )
    foto2 = forms.FileField(
        label=_("Foto 2"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    foto3 = forms.FileField(
        label=_("Foto 3"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    email = forms.CharField(
        label=_("E-Mail für Rückmeldungen"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Wir schreiben Ihnen, wenn sich der Stand ändert. Sie wird nie veröffentlicht."
        ),
    )
    # a field people never see: bots that fill in every field give themselves away
    website = forms.CharField(required=False, label=_("Bitte leer lassen"))

    def __init__(self, *args, category: Category, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.questions = []
        for attribute in category.attributes.all():
            if not attribute.variable:
                continue
            name = f"frage_{attribute.code}"
            self.fields[name] = attribute_field(attribute)
            self.questions.append((attribute, name))

    def question_fields(self):
        return [self[name] for _attribute, name in self.questions]

    def field_for(self, problem_field: str) -> str | None:
        """The form field that shows a service problem (None: shown above the form)."""
        if problem_field.startswith("attribute[") and problem_field.endswith("]"):
            name = f"frage_{problem_field[10:-1]}"
            return name if name in self.fields else None
        return {"description": "beschreibung", "media": "foto1", "email": "email"}.get(
            problem_field
        )


class ListFilterForm(forms.Form):
    gebiet = forms.ChoiceField(label=_("Gebiet"), required=False)
    kategorie = forms.ChoiceField(label=_("Kategorie"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    zeitraum = forms.ChoiceField(label=_("Zeitraum"), required=False, choices=PERIODS)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gebiet"].choices = [("", _("alle Gebiete"))] + areas
        self.fields["kategorie"].choices = [("", _("alle Kategorien"))] + [
            (c.code, c.display_name) for c in Category.objects.all()
        ]
        self.fields["status"].choices = [
            ("", _("alle")),
            ("open", _("offen")),
            ("closed", _("abgeschlossen")),
        ] + [(code, label) for code, label in STATUSES]


class StatusForm(forms.Form):
    """Staff: change the status, answer publicly, note internally."""

    status = forms.ChoiceField(
        label=_("Neuer Status"),
        choices=[(c, label) for c, label in STATUSES if c != "duplicate"],
    )
    public_note = forms.CharField(
        label=_("Öffentliche Antwort"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Erscheint auf der Seite der Meldung und in der E-Mail an die meldende Person. "
            "Zum Abschließen nötig."
        ),
    )
    internal_note = forms.CharField(
        label=_("Interne Notiz"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur für die Verwaltung sichtbar."),
    )


class MergeForm(forms.Form):
    original = forms.IntegerField(
        label=_("Nummer der ursprünglichen Meldung"),
        min_value=1,
        help_text=_("Diese Meldung wird als Duplikat jener Meldung abgeschlossen."),
    )
    public_note = forms.CharField(
        label=_("Öffentliche Antwort zum Duplikat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ohne Angabe: ein Hinweis auf die ursprüngliche Meldung."),
    )


class QueueFilterForm(forms.Form):
    fachamt = forms.ChoiceField(label=_("Fachamt"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kategorie = forms.ChoiceField(label=_("Kategorie"), required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fachamt"].choices = [("", _("alle meine Fachämter"))] + [
            (str(d.pk), d.display_name) for d in departments
        ]
        self.fields["status"].choices = [
            ("", _("offen (eingegangen, in Prüfung, in Bearbeitung)")),
            ("all", _("alle")),
        ] + [(code, label) for code, label in STATUSES]
        self.fields["kategorie"].choices = [("", _("alle Kategorien"))] + [
            (c.code, c.display_name) for c in Category.objects.all()
        ]


class AlertForm(forms.Form):
    """Order an e-mail alert for new reports in an area."""

    gebiet = forms.ChoiceField(label=_("Gebiet"))
    email = forms.CharField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Sie erhalten zuerst eine E-Mail mit einem Link zum Bestätigen. Die Adresse wird "
            "nie veröffentlicht; jede Benachrichtigung enthält einen Link zum Abbestellen."
        ),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gebiet"].choices = [("", _("– bitte wählen –"))] + areas
