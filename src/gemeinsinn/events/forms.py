"""Forms of the event pages. They present fields and carry messages; the checks that matter
happen in services, so that the demo, the tests and the pages behave the same."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gemeinsinn.events import services
from gemeinsinn.events.models import SECTORS, Event
from gemeinsinn.ideas.forms import IdeaForm, area_filter_choices, district_choices


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=services.MAX_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("Dorthin schicken wir den Link zum Bestätigen und zum Absagen."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation oder Einrichtung"),
        required=False,
        max_length=services.MAX_ORGANISATION,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = forms.ChoiceField(label=_("Bereich, in dem Sie arbeiten"), required=False)
    needs = forms.CharField(
        label=_("Was brauchen Sie, um gut teilnehmen zu können?"),
        required=False,
        max_length=services.MAX_NEEDS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("z. B. Gebärdensprachdolmetschung, Platz für einen Rollstuhl, Kinderbetreuung"),
    )
    consent = forms.BooleanField(
        label=_(
            "Ich habe die Hinweise zum Datenschutz gelesen und bin mit der Speicherung meiner "
            "Angaben für diese Veranstaltung einverstanden."
        ),
        required=False,
    )
    website = forms.CharField(required=False, label=_("Bitte leer lassen"))  # honeypot

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        if event.has_sector():
            self.fields["sector"].choices = [("", _("– bitte wählen –")), *SECTORS]
            self.fields["sector"].required = True
        else:
            del self.fields["sector"]
        self.fields["website"].widget.attrs.update(
            {"tabindex": "-1", "autocomplete": "off", "class": "visually-hidden"}
        )


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title", "kind", "description", "starts_at", "ends_at", "place_name",
            "place_address", "lat", "long", "area", "capacity", "audience", "registration_opens",
            "registration_closes", "step_free", "sign_language", "induction_loop", "childcare",
            "languages", "accessibility_notes", "is_public",
        ]  # fmt: skip
        widgets = {
            "starts_at": _datetime_widget(),
            "ends_at": _datetime_widget(),
            "registration_opens": _datetime_widget(),
            "registration_closes": _datetime_widget(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].empty_label = _("– ganze Stadt –")
        for name in ("lat", "long"):
            self.fields[name].help_text = _("optional, für die Karte; z. B. 51.2105 und 7.9050")

    def clean(self):
        data = super().clean()
        event = Event(**{k: v for k, v in data.items() if k in self.Meta.fields})
        for field, message in services.event_problems(event):
            if field not in self.errors:
                self.add_error(field, message)
        return data


class ResultForm(IdeaForm):
    """A workshop result: the fields of an idea without image and honeypot; the district
    defaults to the event's."""

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("image", "website"):
            del self.fields[name]
        self.fields["area"].choices = [("", _("– Gebiet der Veranstaltung –"))] + (
            district_choices()
        )
        self.fields["area"].help_text = (
            _("leer lassen für %(area)s") % {"area": event.area.name}
            if event.area
            else _("Die Veranstaltung gilt der ganzen Stadt: bitte wählen Sie das Gebiet.")
        )


class FilterForm(forms.Form):
    gebiet = forms.ChoiceField(label=_("Gebiet"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gebiet"].choices = [("", _("alle Gebiete"))] + area_filter_choices()
