"""Forms of the idea pages. They present fields and carry messages; the checks that matter
happen in services, so that the demo, the tests and the pages behave the same."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import Area
from gemeinsinn.areas.services import finest_level
from gemeinsinn.ideas import services
from gemeinsinn.ideas.models import STATUSES, Category


def district_choices():
    level = finest_level()
    if level is None:
        return []
    return [(str(a.pk), a.name) for a in Area.objects.filter(level=level).order_by("name")]


def _category_choices():
    return [(str(c.pk), c.name) for c in Category.objects.filter(is_active=True)]


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=services.MAX_TITLE,
        help_text=_("Ihre Idee in einem Satz, z. B. „Bänke am Marktplatz“."),
    )
    text = forms.CharField(
        label=_("Beschreibung"),
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Was schlagen Sie vor, und warum? Nur Text, höchstens 5 000 Zeichen."),
    )
    category = forms.ChoiceField(label=_("Handlungsfeld"))
    area = forms.ChoiceField(
        label=_("Gebiet"),
        required=False,
        help_text=_("Wählen Sie das Gebiet – oder setzen Sie unten einen Punkt auf der Karte."),
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
    image = forms.FileField(
        label=_("Bild"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG oder WebP, höchstens 10 MB. Standortdaten im Bild entfernen wir."),
    )
    website = forms.CharField(required=False, label=_("Bitte leer lassen"))  # honeypot

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("– bitte wählen –"))] + _category_choices()
        self.fields["area"].choices = [("", _("– über die Karte bestimmen –"))] + (
            district_choices()
        )
        self.fields["website"].widget.attrs.update(
            {"tabindex": "-1", "autocomplete": "off", "class": "visually-hidden"}
        )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Ihr Kommentar"),
        max_length=services.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nur Text, höchstens 2 000 Zeichen. Bitte bleiben Sie freundlich."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Was ist an dem Beitrag nicht in Ordnung?"),
        max_length=services.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("z. B. beleidigend, Werbung, persönliche Daten anderer"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Öffentlicher Grund"),
        max_length=services.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Erscheint anstelle des Beitrags, z. B. „Beleidigung entfernt“."),
    )


class BlockForm(forms.Form):
    block_reason = forms.CharField(
        label=_("Grund der Sperre"),
        max_length=services.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wird im Protokoll vermerkt."),
    )


def area_filter_choices():
    """The districts grouped under the areas above them; a group's first entry stands for
    all of its districts."""
    level = finest_level()
    if level is None:
        return []
    districts = Area.objects.filter(level=level).select_related("parent").order_by("key")
    groups: dict = {}
    for district in districts:
        groups.setdefault(district.parent, []).append(district)
    choices = []
    for parent, children in groups.items():
        options = [(str(a.pk), a.name) for a in children]
        if parent is None:
            choices.extend(options)
            continue
        everything = _("%(name)s (alle Gebiete)") % {"name": parent.name}
        choices.append((parent.name, [(str(parent.pk), everything), *options]))
    return choices


class FilterForm(forms.Form):
    gebiet = forms.ChoiceField(label=_("Gebiet"), required=False)
    handlungsfeld = forms.ChoiceField(label=_("Handlungsfeld"), required=False)
    stand = forms.ChoiceField(label=_("Stand"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gebiet"].choices = [("", _("alle Gebiete"))] + area_filter_choices()
        self.fields["handlungsfeld"].choices = [("", _("alle Handlungsfelder"))] + [
            (str(c.pk), c.name) for c in Category.objects.all()
        ]
        self.fields["stand"].choices = [("", _("alle"))] + list(STATUSES)


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Stand"), choices=STATUSES)
    answer = forms.CharField(
        label=_("Öffentliche Antwort der Verwaltung"),
        required=False,
        max_length=services.MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Erscheint mit Ihrem Namen und dem Datum auf der Seite der Idee; wer der Idee "
            "folgt, bekommt eine E-Mail. Leer lassen, um nur den Stand zu ändern."
        ),
    )
