from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gemeinsinn.accounts import services
from gemeinsinn.areas.models import Area
from gemeinsinn.areas.services import finest_level


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refused after too many failures for the account or the client."""

    def clean(self):
        username = self.cleaned_data.get("username", "")
        if self.request is not None and services.login_blocked(username, self.request):
            raise forms.ValidationError(
                _(
                    "Zu viele fehlgeschlagene Anmeldungen. Aus Sicherheitsgründen ist die "
                    "Anmeldung für 15 Minuten gesperrt. Haben Sie Ihr Passwort vergessen? "
                    "Wenden Sie sich an die Verwaltung."
                ),
                code="throttled",
            )
        return super().clean()


class RegistrationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    password = forms.CharField(
        label=_("Passwort"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("mindestens 12 Zeichen, nicht nur Ziffern"),
    )
    display_name = forms.CharField(
        label=_("Anzeigename"),
        required=False,
        max_length=100,
        help_text=_("So erscheinen Ihre Beiträge; leer lassen für „anonym“."),
    )
    home_area = forms.ModelChoiceField(
        Area.objects.none(),
        label=_("Ihr Wohngebiet"),
        required=False,
        help_text=_("Damit Ihre Beiträge dem richtigen Gebiet zugeordnet werden."),
    )
    privacy = forms.BooleanField(
        label=_("Ich habe die Datenschutzhinweise gelesen."),
        error_messages={"required": _("Bitte bestätigen Sie die Datenschutzhinweise.")},
    )
    website = forms.CharField(required=False, label=_("Bitte leer lassen"))  # honeypot

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        level = finest_level()
        if level is not None:
            self.fields["home_area"].queryset = Area.objects.filter(level=level).order_by("name")
        self.fields["website"].widget.attrs.update(
            {"tabindex": "-1", "autocomplete": "off", "class": "visually-hidden"}
        )

    def clean(self):
        if self.cleaned_data.get("website"):  # only programs fill the hidden field
            raise forms.ValidationError(
                _(
                    "Die Eingabe sieht automatisiert aus und wurde nicht gespeichert. Bitte "
                    "laden Sie die Seite neu und füllen Sie nur die sichtbaren Felder aus."
                )
            )
        return super().clean()

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Ihr Passwort zur Bestätigung"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
