from django import forms
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import SpatialLevel
from gemeinsinn.core.models import CityProfile
from gemeinsinn.monitoring.models import IndexDefinition, Indicator

MAX_UPLOAD = 200 * 1024 * 1024


class UploadForm(forms.Form):
    level = forms.ModelChoiceField(
        SpatialLevel.objects.all(), label=_("Gebietsebene"), empty_label=None
    )
    file = forms.FileField(label=_("Datei"))
    source = forms.CharField(label=_("Quelle"), required=False, max_length=300)

    allowed_suffixes: tuple[str, ...] = ()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(self.allowed_suffixes):
            raise forms.ValidationError(
                _("Die Datei „%(name)s“ hat nicht das erwartete Format. Erlaubt sind: %(allowed)s.")
                % {"name": upload.name, "allowed": ", ".join(self.allowed_suffixes)}
            )
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Die Datei ist größer als 200 MB."))
        return upload


class BoundaryUploadForm(UploadForm):
    allowed_suffixes = (".geojson", ".json")
    valid_from = forms.DateField(
        label=_("gültig ab"), widget=forms.DateInput(attrs={"type": "date"})
    )
    key_property = forms.CharField(
        label=_("Eigenschaft mit dem Schlüssel"),
        required=False,
        help_text=_("leer lassen: wird erkannt (z. B. key, id, PLR_ID)"),
    )
    name_property = forms.CharField(label=_("Eigenschaft mit dem Namen"), required=False)
    parent_property = forms.CharField(
        label=_("Eigenschaft mit dem Schlüssel des übergeordneten Gebiets"), required=False
    )


class StatisticsUploadForm(UploadForm):
    allowed_suffixes = (".csv", ".txt", ".xlsx")
    year = forms.IntegerField(
        label=_("Jahr"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("nur für breite Tabellen ohne Jahresspalte"),
    )
    sentinels = forms.CharField(
        label=_("Zahlen, die „fehlt“ bedeuten"),
        required=False,
        initial="-9999",
        help_text=_("z. B. -9999 oder -1, mehrere durch Komma; leer: keine"),
    )

    def clean_sentinels(self):
        parts = [p.strip() for p in self.cleaned_data["sentinels"].split(",") if p.strip()]
        for part in parts:
            try:
                float(part.replace(",", "."))
            except ValueError:
                raise forms.ValidationError(
                    _("„%(part)s“ ist keine Zahl. Geben Sie Zahlen wie -9999 an.") % {"part": part}
                ) from None
        return tuple(parts)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code", "name", "topic", "kind", "unit", "numerator", "denominator", "factor",
            "previous_year_denominator", "direction", "description", "source", "licence",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        numerator, denominator = data.get("numerator"), data.get("denominator")
        if bool(numerator) != bool(denominator):
            raise forms.ValidationError(
                _("Zähler und Nenner gehören zusammen: füllen Sie beide aus oder keinen.")
            )
        if denominator and not Indicator.objects.filter(code=denominator).exists():
            self.add_error(
                "denominator",
                _("Den Indikator „%(code)s“ gibt es nicht.") % {"code": denominator},
            )
        return data


class IndexDefinitionForm(forms.ModelForm):
    status_codes = forms.CharField(
        label=_("Statusindikatoren"),
        help_text=_("Kürzel durch Komma; Gewicht mit Doppelpunkt, z. B. kinderarmut_u15:2"),
    )
    dynamics_codes = forms.CharField(
        label=_("Dynamikindikatoren"),
        required=False,
        help_text=_("nur bei „eigene Dynamikindikatoren“"),
    )

    class Meta:
        model = IndexDefinition
        fields = [
            "name", "slug", "description", "level", "dynamics_mode", "dynamics_span",
            "min_population", "excluded_keys", "reference_keys", "class_scheme",
            "quantile_classes", "is_published",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["status_codes"].initial = _codes_text(self.instance.status_indicators)
            self.fields["dynamics_codes"].initial = _codes_text(self.instance.dynamics_indicators)

    def _parse(self, field):
        entries, unknown = [], []
        known = dict(Indicator.objects.values_list("code", "direction"))
        for part in (p.strip() for p in self.cleaned_data.get(field, "").split(",")):
            if not part:
                continue
            code, _sep, weight = part.partition(":")
            code = code.strip()
            if code not in known:
                unknown.append(code)
                continue
            try:
                weight_value = float(weight.replace(",", ".")) if weight else 1.0
            except ValueError:
                raise forms.ValidationError(
                    _("Das Gewicht „%(weight)s“ bei %(code)s ist keine Zahl.")
                    % {"weight": weight, "code": code}
                ) from None
            entries.append(
                {"code": code, "weight": weight_value, "higher_is_worse": known[code] != "better"}
            )
        if unknown:
            raise forms.ValidationError(
                _("Unbekannte Indikatoren: %(codes)s. Legen Sie sie zuerst im Katalog an.")
                % {"codes": ", ".join(unknown)}
            )
        return entries

    def clean_status_codes(self):
        entries = self._parse("status_codes")
        if not entries:
            raise forms.ValidationError(_("Wählen Sie mindestens einen Statusindikator."))
        return entries

    def clean_dynamics_codes(self):
        return self._parse("dynamics_codes")

    def save(self, commit=True):
        self.instance.status_indicators = self.cleaned_data["status_codes"]
        self.instance.dynamics_indicators = self.cleaned_data["dynamics_codes"]
        return super().save(commit)


def _codes_text(entries) -> str:
    return ", ".join(
        e["code"] if float(e.get("weight", 1)) == 1 else f"{e['code']}:{e['weight']}"
        for e in entries
    )


class RunForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Jahr"), coerce=int)

    def __init__(self, years, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in reversed(years)]


class CityProfileForm(forms.ModelForm):
    class Meta:
        model = CityProfile
        fields = [
            "name", "ags", "min_population", "min_count", "secondary_suppression",
            "rounding_base", "min_denominator", "suppression_mark", "contact_office",
            "contact_address", "contact_phone", "contact_email", "contact_hours",
        ]  # fmt: skip
        widgets = {"contact_address": forms.Textarea(attrs={"rows": 3})}
