"""Surveys: definitions read from XLSForm, invitation codes, unfinished answers (drafts),
responses (online and paper) and the double entry of paper questionnaires.

Privacy by design: a submitted ``Response`` has no link to an account or an invitation code.
A code only remembers that it was used (no time, no response), and the draft that held the
answers while they were given is deleted when the response is submitted."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.formats.xlsform import SurveyDefinition

OPEN = "open"
INVITATION = "invitation"
ONLINE = "online"
PAPER = "paper"

# parsed forms by (survey id, checksum of the file): parsing the stored definition (with its
# expressions) costs more than checking a whole response, and a stored form never changes
# without a new checksum
_FORMS: dict[tuple[int, str], SurveyDefinition] = {}
_FORMS_KEPT = 32


class Survey(models.Model):
    ACCESS = [(OPEN, _("offen für alle")), (INVITATION, _("nur mit Einladungscode"))]

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    definition = models.JSONField(_("Fragebogen"))
    file_name = models.CharField(_("Datei"), max_length=300)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    languages = models.JSONField(_("Sprachen"), default=list)
    opens_on = models.DateField(_("offen ab"), null=True, blank=True)
    closes_on = models.DateField(_("offen bis"), null=True, blank=True)
    access = models.CharField(_("Zugang"), max_length=20, choices=ACCESS, default=OPEN)
    area_level = models.ForeignKey(
        SpatialLevel, on_delete=models.PROTECT, verbose_name=_("Gebietsebene der Antworten")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "title"]
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")

    def __str__(self) -> str:
        return self.title

    @property
    def form(self) -> SurveyDefinition:
        key = (self.pk, self.checksum)
        form = _FORMS.get(key)
        if form is None:
            form = SurveyDefinition.from_dict(self.definition)
            if self.pk:
                if len(_FORMS) >= _FORMS_KEPT:
                    _FORMS.pop(next(iter(_FORMS)))
                _FORMS[key] = form
        return form

    def is_open(self, today) -> bool:
        if self.opens_on and today < self.opens_on:
            return False
        return not (self.closes_on and today > self.closes_on)


class InvitationCode(models.Model):
    """A code printed on a letter to one household. ``used`` is all it keeps of a response:
    no time and no link, so that answers cannot be traced back to the address."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("Code"), max_length=20, unique=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("Gebiet"))
    used = models.BooleanField(_("verwendet"), default=False)

    class Meta:
        ordering = ["survey", "area__key", "code"]
        verbose_name = _("Einladungscode")
        verbose_name_plural = _("Einladungscodes")

    def __str__(self) -> str:
        return self.code


class PaperBatch(models.Model):
    """Returned paper questionnaires entered together (e.g. collected at one market day)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="paper_batches")
    name = models.CharField(_("Bezeichnung"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Papierstapel")
        verbose_name_plural = _("Papierstapel")

    def __str__(self) -> str:
        return self.name


class Response(models.Model):
    CHANNELS = [(ONLINE, _("online")), (PAPER, _("Papier"))]

    # No index of their own for survey and paper_batch: the indexes below begin with them,
    # and every index is one more page written per stored response (hundreds a second).
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("Gebiet"))
    answers = models.JSONField(encoder=DjangoJSONEncoder)
    channel = models.CharField(max_length=10, choices=CHANNELS, default=ONLINE)
    paper_batch = models.ForeignKey(
        PaperBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
        db_index=False,
    )
    questionnaire_number = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=50, blank=True)
    submitted_at = models.DateTimeField()
    # random key of the submitted form page: the same form posted twice is one response
    # NULL (not "") for paper responses: the unique constraint ignores NULLs
    submission_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "submission_key"], name="survey_response_submission_once"
            ),
            models.UniqueConstraint(
                fields=["paper_batch", "questionnaire_number"],
                name="survey_paper_questionnaire_once",
            ),
        ]
        indexes = [models.Index(fields=["survey", "area"])]
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Draft(models.Model):
    """Unfinished answers, found by a random token (kept in the session or shown to the
    respondent) or by the invitation code. Deleted when the response is submitted."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    token = models.CharField(max_length=64, unique=True)
    code = models.OneToOneField(
        InvitationCode, null=True, blank=True, on_delete=models.CASCADE, related_name="draft"
    )
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT)
    answers = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    language = models.CharField(max_length=50, blank=True)
    submission_key = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Entwurf")
        verbose_name_plural = _("Entwürfe")

    def __str__(self) -> str:
        return f"{self.survey} – {self.pk}"


class PaperEntry(models.Model):
    """One typing of one paper questionnaire: each is typed twice (pass 1 and 2) by
    different people or at different times; only what both agree on becomes a response."""

    batch = models.ForeignKey(PaperBatch, on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveIntegerField(_("Bogennummer"))
    entry_pass = models.PositiveSmallIntegerField(_("Erfassung"), choices=[(1, "1"), (2, "2")])
    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("Gebiet"))
    answers = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["batch", "number", "entry_pass"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "number", "entry_pass"], name="survey_paper_entry_once"
            )
        ]
        verbose_name = _("Papiererfassung")
        verbose_name_plural = _("Papiererfassungen")

    def __str__(self) -> str:
        return f"{self.batch} {self.number}/{self.entry_pass}"
