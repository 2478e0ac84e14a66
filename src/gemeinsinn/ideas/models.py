"""Ideas and proposals of citizens: participation processes with their phases, the city's
fields of action as categories, ideas tied to a district, support, threaded comments,
following, abuse reports, moderation (hidden content, blocked accounts) and the public
status history with official answers.

Comments, support and abuse reports live here until core offers them as generic relations;
they point at ideas with plain foreign keys."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import Area

RECEIVED = "eingegangen"
REVIEWING = "in_pruefung"
ACCEPTED = "angenommen"
IMPLEMENTED = "umgesetzt"
REJECTED = "abgelehnt"
STATUSES = [
    (RECEIVED, _("eingegangen")),
    (REVIEWING, _("in Prüfung")),
    (ACCEPTED, _("angenommen")),
    (IMPLEMENTED, _("umgesetzt")),
    (REJECTED, _("abgelehnt")),
]

# phases of a process
NOT_STARTED = "vorher"
COLLECT = "sammeln"
COMMENT = "kommentieren"
CLOSED = "beendet"
PHASES = {
    NOT_STARTED: _("noch nicht begonnen"),
    COLLECT: _("Ideen sammeln"),
    COMMENT: _("Kommentieren"),
    CLOSED: _("abgeschlossen"),
}

User = settings.AUTH_USER_MODEL


class Process(models.Model):
    """A participation process with its time windows: ideas are collected from
    ``collect_from`` until ``collect_until``, then only commented until ``comment_until``;
    afterwards it is closed."""

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    collect_from = models.DateTimeField(_("Ideen sammeln ab"))
    collect_until = models.DateTimeField(_("Ideen sammeln bis"))
    comment_until = models.DateTimeField(_("Kommentieren bis"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-collect_from"]
        verbose_name = _("Beteiligungsverfahren")
        verbose_name_plural = _("Beteiligungsverfahren")

    def __str__(self) -> str:
        return self.title

    def phase(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.collect_from:
            return NOT_STARTED
        if now < self.collect_until:
            return COLLECT
        if now < self.comment_until:
            return COMMENT
        return CLOSED

    def phase_label(self, now=None) -> str:
        return str(PHASES[self.phase(now)])


class Category(models.Model):
    """A field of action of the city ("Handlungsfeld")."""

    name = models.CharField(_("Name"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")

    def __str__(self) -> str:
        return self.name


class Idea(models.Model):
    process = models.ForeignKey(
        Process, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("Verfahren")
    )
    title = models.CharField(_("Titel"), max_length=150)
    text = models.TextField(_("Beschreibung"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("Handlungsfeld")
    )
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        verbose_name=_("Gebiet"),
    )
    lat = models.FloatField(_("Breitengrad"), null=True, blank=True)
    long = models.FloatField(_("Längengrad"), null=True, blank=True)
    # a result of a workshop at an event, recorded by staff
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        verbose_name=_("Veranstaltung"),
    )
    image = models.ImageField(_("Bild"), upload_to="ideas/", blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    # kept when the account is deleted: the idea and its answer stay part of the public record
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    author_name = models.CharField(_("Anzeigename"), max_length=100, blank=True)
    client_key = models.CharField(max_length=60, blank=True, db_index=True)
    status = models.CharField(_("Stand"), max_length=20, choices=STATUSES, default=RECEIVED)
    answer = models.TextField(_("Antwort der Verwaltung"), blank=True)
    answered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by_name = models.CharField(_("Beantwortet von"), max_length=150, blank=True)
    answered_at = models.DateTimeField(_("Beantwortet am"), null=True, blank=True)
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    hidden_reason = models.CharField(_("Grund des Ausblendens"), max_length=500, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    created_at = models.DateTimeField(_("Eingereicht am"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")

    def __str__(self) -> str:
        return self.title

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


class StatusChange(models.Model):
    """One public step of an idea: a new status and/or an official answer."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="history")
    old_status = models.CharField(max_length=20, choices=STATUSES, blank=True)
    new_status = models.CharField(max_length=20, choices=STATUSES)
    note = models.TextField(blank=True)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusänderungen")

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.old_status} → {self.new_status}"


class Support(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="idea_supports")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="ideas_one_support_per_user")
        ]
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="idea_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="ideas_one_follow_per_user")
        ]
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")

    def __str__(self) -> str:
        return f"{self.user_id} folgt {self.idea_id}"


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="idea_comments"
    )
    author_name = models.CharField(max_length=100, blank=True)
    client_key = models.CharField(max_length=60, blank=True, db_index=True)
    text = models.TextField(_("Kommentar"))
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    hidden_reason = models.CharField(_("Grund des Ausblendens"), max_length=500, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")

    def __str__(self) -> str:
        return self.text[:60]


class AbuseReport(models.Model):
    """Someone reports an idea or a comment as abusive; the moderation decides."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="abuse_reports")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="abuse_reports"
    )
    reporter = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("Grund"))
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Meldung von Missbrauch")
        verbose_name_plural = _("Meldungen von Missbrauch")

    def __str__(self) -> str:
        return f"{self.idea_id}/{self.comment_id}: {self.reason[:40]}"


class BlockedUser(models.Model):
    """An account the moderation blocked from contributing (it may still log in, read, and
    download or delete its data)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="idea_block")
    reason = models.CharField(_("Grund"), max_length=500)
    blocked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Gesperrtes Konto")
        verbose_name_plural = _("Gesperrte Konten")

    def __str__(self) -> str:
        return str(self.user)
