"""Forms of the Bürgerrat pages: registration with the response code (online and paper),
the register upload, the quotas, the draw and replacements."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gemeinsinn.assemblies.services import ALGORITHMS


class RegistrationForm(forms.Form):
    code = forms.CharField(
        label=_("Ihr Code aus dem Brief"),
        max_length=20,
        help_text=_("Acht Zeichen, zum Beispiel ABCD-EFGH. Groß- und Kleinschreibung ist egal."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, assembly, **kwargs):
        super().__init__(*args, **kwargs)
        for number, feature in enumerate(assembly.features):
            self.fields[f"feature_{number}"] = forms.ChoiceField(
                label=feature["name"],
                choices=[("", _("Bitte auswählen"))] + [(v, v) for v in feature["values"]],
            )
        self.fields["email"] = forms.EmailField(
            label=_("E-Mail-Adresse"),
            required=False,
            help_text=_("Damit wir Ihnen das Ergebnis der Auslosung schreiben können."),
        )
        self.fields["phone"] = forms.CharField(
            label=_("Telefonnummer"), required=False, max_length=40
        )
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "Ich bin einverstanden: Die Stadt speichert meine Angaben für die Auslosung des "
                "Bürgerrats und löscht sie nach dem Ende der Amtszeit."
            ),
            error_messages={
                "required": _("Ohne Ihr Einverständnis können wir Sie nicht aufnehmen.")
            },
        )
        self.assembly = assembly

    def features(self) -> dict[str, str]:
        return {
            feature["name"]: self.cleaned_data[f"feature_{number}"]
            for number, feature in enumerate(self.assembly.features)
        }


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Auszug aus dem Melderegister (CSV oder Excel)"),
        help_text=_(
            "Spalten: id, Vorname, Nachname, Straße, Hausnummer, PLZ, Ort, Geburtsjahr, "
            "Geschlecht, Gebiet (Schlüssel oder Name)."
        ),
    )
    directory = forms.FileField(
        label=_("Straßenverzeichnis (CSV oder Excel)"),
        required=False,
        help_text=_(
            "Nur wenn der Auszug keine Spalte Gebiet hat: Straße, Gebiet und wahlweise "
            "Hausnummer von / bis."
        ),
    )
    size = forms.IntegerField(label=_("Zahl der Einladungen"), min_value=1, max_value=100_000)
    seed = forms.CharField(
        label=_("Startwert der Stichprobe"),
        required=False,
        max_length=100,
        help_text=_("Ohne Angabe wird ein zufälliger Startwert erzeugt und gespeichert."),
    )


class SeedSourceForm(forms.Form):
    seed_source = forms.CharField(label=_("Angekündigte Quelle des Startwerts"), max_length=300)
    algorithm = forms.ChoiceField(
        label=_("Verfahren"), choices=list(ALGORITHMS.items()), initial="leximin"
    )


class SeedForm(forms.Form):
    seed = forms.CharField(
        label=_("Startwert aus der angekündigten Quelle"),
        max_length=300,
        help_text=_("Genau so eintragen, wie er veröffentlicht wird, z. B. 3 11 19 27 38 45."),
    )


class ReplacementForm(forms.Form):
    member = forms.ChoiceField(label=_("Ausgeschiedenes Mitglied"))
    seed_source = forms.CharField(
        label=_("Quelle des Startwerts"),
        max_length=300,
        help_text=_("Eine vorher angekündigte öffentliche Quelle, z. B. „Lottozahlen vom …“."),
    )
    seed = forms.CharField(label=_("Startwert der Nachrücker-Ziehung"), max_length=300)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m, m) for m in members]


class TermForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Kurzname"), max_length=80)
    term_start = forms.DateField(
        label=_("Amtszeit von"), widget=forms.DateInput(attrs={"type": "date"})
    )
    term_end = forms.DateField(
        label=_("Amtszeit bis"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("term_start")
            and data.get("term_end")
            and data["term_end"] < data["term_start"]
        ):
            self.add_error("term_end", _("Das Ende der Amtszeit liegt vor ihrem Beginn."))
        return data
