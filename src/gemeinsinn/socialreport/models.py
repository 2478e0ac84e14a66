"""The published reports: the planners' own text per chapter of a report edition, and the
report builds requested in the web interface (generated in the background)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import SpatialLevel

KIND_CHOICES = [
    ("sozialbericht", _("Sozialbericht")),
    ("handlungskonzept", _("Handlungskonzept")),
    ("kompass", _("Kompass")),
]


class ChapterText(models.Model):
    """What planners write themselves in a chapter of one edition (kind and year) of a report;
    it is printed before the generated findings, which stay up to date."""

    kind = models.CharField(_("Bericht"), max_length=20, choices=KIND_CHOICES)
    year = models.PositiveSmallIntegerField(_("Jahr"))
    chapter = models.SlugField(_("Kapitel"), max_length=50)
    text = models.TextField(_("Text"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "chapter"], name="one_text_per_report_chapter"
            )
        ]
        verbose_name = _("Kapiteltext")
        verbose_name_plural = _("Kapiteltexte")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.chapter}"


class ReportJob(models.Model):
    """A report build requested in the web interface, run in the background."""

    WAITING, RUNNING, DONE, FAILED = "waiting", "running", "done", "failed"
    STATUS_CHOICES = [
        (WAITING, _("wartet")),
        (RUNNING, _("wird erstellt")),
        (DONE, _("fertig")),
        (FAILED, _("fehlgeschlagen")),
    ]
    FORMAT_CHOICES = [("pdf", "PDF"), ("html", "HTML")]

    kind = models.CharField(_("Bericht"), max_length=20, choices=KIND_CHOICES)
    year = models.PositiveSmallIntegerField(_("Jahr"))
    level = models.ForeignKey(
        SpatialLevel, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("Ebene")
    )
    period = models.CharField(_("Zeitraum"), max_length=20, blank=True)
    language = models.CharField(_("Sprache"), max_length=10, default="de")
    fmt = models.CharField(_("Format"), max_length=4, choices=FORMAT_CHOICES, default="pdf")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=WAITING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    step = models.CharField(_("Schritt"), max_length=200, blank=True)
    error = models.TextField(_("Fehler"), blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # the build's last sign of life: a running job silent for too long died with its process
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # a published build is listed on the public page /berichte/ for everyone to download
    published_at = models.DateTimeField(_("veröffentlicht"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_reports",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Berichtserstellung")
        verbose_name_plural = _("Berichtserstellungen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} ({self.fmt})"
