"""Strategic social planning: saved need rankings ("Verdichtung") with their settings and the
data version they were computed on, target areas chosen from them, and the integrated action
plan (goals, the tree of programmes, measures and steps with budgets, funding, milestones and
history). The fields of action are the ideas app's categories."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.ideas.models import Category, Idea
from gemeinsinn.monitoring.models import IndexRun, Indicator


class SavedRanking(models.Model):
    """A need ranking with everything needed to recompute it and to see what it showed."""

    name = models.CharField(_("Name"), max_length=200)
    level = models.ForeignKey(SpatialLevel, on_delete=models.PROTECT, verbose_name=_("Ebene"))
    year = models.PositiveSmallIntegerField(_("Jahr"))
    components = models.JSONField(
        _("Bestandteile"), help_text=_("Liste aus {code, weight, higher_is_worse}")
    )
    index_run = models.ForeignKey(
        IndexRun, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("Indexlauf")
    )
    input_checksum = models.CharField(_("Prüfsumme der Eingaben"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("gespeicherte Rangfolge")
        verbose_name_plural = _("gespeicherte Rangfolgen")

    def __str__(self) -> str:
        return f"{self.name} ({self.level}, {self.year})"


class RankedArea(models.Model):
    """One area's place in a saved ranking (kept for target areas and reports)."""

    ranking = models.ForeignKey(SavedRanking, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField(null=True)
    score = models.FloatField(null=True)
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["ranking", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "area"], name="ranked_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ranking_id}/{self.area_id}: {self.rank}"


class TargetArea(models.Model):
    """The decision to make an area a target area ("Fördergebiet"): an area on a target-area
    level (areas app) whose members are areas of a saved ranking, with the reasons, who
    decided, when, and on which data version. A withdrawn decision stays on record."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="target_decisions", verbose_name=_("Gebiet")
    )
    members = models.ManyToManyField(Area, related_name="target_areas", verbose_name=_("Gebiete"))
    ranking = models.ForeignKey(
        SavedRanking,
        on_delete=models.PROTECT,
        related_name="target_areas",
        verbose_name=_("Rangfolge"),
    )
    reason = models.TextField(_("Begründung"))
    index_run = models.ForeignKey(
        IndexRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    input_checksum = models.CharField(_("Prüfsumme der Eingaben"), max_length=64)
    chosen_at = models.DateTimeField(_("beschlossen am"), default=timezone.now)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_by_name = models.CharField(_("beschlossen von"), max_length=150)
    withdrawn_at = models.DateTimeField(_("aufgehoben am"), null=True, blank=True)
    withdrawn_by_name = models.CharField(_("aufgehoben von"), max_length=150, blank=True)
    withdrawal_reason = models.TextField(_("Grund der Aufhebung"), blank=True)

    class Meta:
        ordering = ["-chosen_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="target_area_one_active",
            )
        ]
        verbose_name = _("Fördergebiet")
        verbose_name_plural = _("Fördergebiete")

    def __str__(self) -> str:
        return self.area.name

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


# --- the integrated action plan ("Integriertes Handlungskonzept") --------------------------


class Goal(models.Model):
    """A goal of a field of action with a measurable target on an indicator, e.g. "Kinderarmut
    im Fördergebiet Nord unter 25 % bis 2030"."""

    BELOW, AT_MOST, ABOVE, AT_LEAST = "unter", "hoechstens", "ueber", "mindestens"
    COMPARISONS = [
        (BELOW, _("unter")),
        (AT_MOST, _("höchstens")),
        (ABOVE, _("über")),
        (AT_LEAST, _("mindestens")),
    ]

    field = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="goals", verbose_name=_("Handlungsfeld")
    )
    title = models.CharField(_("Ziel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Indikator"),
    )
    target_area = models.ForeignKey(
        TargetArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
        verbose_name=_("Fördergebiet"),
        help_text=_("leer: die ganze Stadt"),
    )
    comparison = models.CharField(_("Vergleich"), max_length=12, choices=COMPARISONS, default=BELOW)
    target_value = models.FloatField(_("Zielwert"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("Zieljahr"), null=True, blank=True)
    sdgs = models.JSONField(
        _("Nachhaltigkeitsziele (SDG)"), default=list, blank=True, help_text=_("Nummern 1–17")
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["field__order", "order", "pk"]
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")

    def __str__(self) -> str:
        return self.title


class MeasureStatus(models.Model):
    """A status of measures with the progress it stands for by default (as in Decidim)."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    progress = models.PositiveSmallIntegerField(_("Fortschritt in %"), default=0)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("Stand einer Maßnahme")
        verbose_name_plural = _("Stände der Maßnahmen")

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """A programme, a measure or a step of a measure: the tree of the action plan."""

    PROGRAMME, MEASURE, STEP = "programm", "massnahme", "schritt"
    KINDS = [(PROGRAMME, _("Programm")), (MEASURE, _("Maßnahme")), (STEP, _("Schritt"))]

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("gehört zu"),
    )
    kind = models.CharField(_("Art"), max_length=12, choices=KINDS, default=MEASURE)
    number = models.CharField(
        _("Nummer"), max_length=30, unique=True, help_text=_("z. B. 2.3.1; für Import und Export")
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    field = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("Handlungsfeld"),
    )
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="measures", verbose_name=_("Ziele")
    )
    target_areas = models.ManyToManyField(
        TargetArea, blank=True, related_name="measures", verbose_name=_("Fördergebiete")
    )
    department = models.CharField(_("Federführung"), max_length=200, blank=True)
    partners = models.TextField(_("Partner"), blank=True, help_text=_("Träger, Vereine, Kirchen …"))
    start = models.DateField(_("Beginn"), null=True, blank=True)
    end = models.DateField(_("Ende"), null=True, blank=True)
    status = models.ForeignKey(
        MeasureStatus, on_delete=models.PROTECT, related_name="+", verbose_name=_("Stand")
    )
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt in %"),
        null=True,
        blank=True,
        help_text=_("leer: der Wert des Stands; bei Programmen und Maßnahmen mit Schritten das "
                    "Mittel der Teile"),
    )  # fmt: skip
    ideas = models.ManyToManyField(
        Idea, blank=True, related_name="measures", verbose_name=_("angeregt durch Ideen")
    )
    is_public = models.BooleanField(_("öffentlich"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Budget(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    amount = models.DecimalField(_("Betrag in Euro"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["measure", "year"], name="budget_unique")]
        verbose_name = _("Budget")
        verbose_name_plural = _("Budget je Jahr")

    def __str__(self) -> str:
        return f"{self.measure_id} {self.year}: {self.amount}"


class Funding(models.Model):
    SOURCES = [
        ("kommune", _("Kommune")),
        ("land", _("Land")),
        ("bund", _("Bund")),
        ("eu", _("EU")),
        ("dritte", _("Dritte")),
    ]
    APPROVALS = [
        ("geplant", _("geplant")),
        ("beantragt", _("beantragt")),
        ("bewilligt", _("bewilligt")),
        ("abgelehnt", _("abgelehnt")),
    ]

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(_("Geldgeber"), max_length=10, choices=SOURCES)
    programme = models.CharField(_("Förderprogramm"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("Jahr"))
    amount = models.DecimalField(_("Betrag in Euro"), max_digits=14, decimal_places=2)
    approval = models.CharField(_("Bewilligung"), max_length=10, choices=APPROVALS)
    decided_on = models.DateField(
        _("Bescheid vom"),
        null=True,
        blank=True,
        help_text=_("Tag der Entscheidung des Geldgebers (bei bewilligt und abgelehnt)"),
    )

    DECIDED = ("bewilligt", "abgelehnt")  # approvals that come with a decision (Bescheid)

    class Meta:
        ordering = ["year", "source"]
        verbose_name = _("Finanzierung")
        verbose_name_plural = _("Finanzierung")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.year}: {self.amount}"

    def clean(self) -> None:
        super().clean()
        approval = {"approval": self.get_approval_display()}
        if self.approval in self.DECIDED and self.decided_on is None:
            message = gettext(
                "Bitte das Datum des Bescheids angeben: Die Finanzierung ist „%(approval)s“."
            )
            raise ValidationError({"decided_on": message % approval})
        if self.approval not in self.DECIDED and self.decided_on is not None:
            message = gettext(
                "Ein Bescheid gehört nur zu „bewilligt“ oder „abgelehnt“; bei „%(approval)s“ "
                "bitte das Datum leer lassen."
            )
            raise ValidationError({"decided_on": message % approval})
        if self.decided_on is not None and self.decided_on > timezone.localdate():
            message = gettext("Der Bescheid kann nicht in der Zukunft liegen.")
            raise ValidationError({"decided_on": message})

    @property
    def is_granted(self) -> bool:
        return self.approval == "bewilligt"

    @property
    def decision(self) -> str:
        """The approval with the date of the decision where there is one, e.g. "bewilligt am
        12.03.2026"."""
        label = str(self.get_approval_display())
        if self.decided_on is None:
            return label
        return gettext("%(approval)s am %(day)s") % {
            "approval": label,
            "day": date_format(self.decided_on, "SHORT_DATE_FORMAT"),
        }


class Milestone(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=200)
    due = models.DateField(_("geplant für"))
    reached = models.DateField(_("erreicht am"), null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")

    def __str__(self) -> str:
        return self.title


class MeasureChange(models.Model):
    """The change history of a measure (public, like Decidim's accountability timeline)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(max_length=150, blank=True)
    summary = models.TextField()
    status_name = models.CharField(max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(null=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.at:%Y-%m-%d}: {self.summary[:40]}"
