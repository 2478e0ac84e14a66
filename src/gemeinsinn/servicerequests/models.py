"""Defect reports ("Mängelmelder"): categories (the Open311 services) with their extra
questions, the departments they are routed to, the reports themselves with their public
status history, API keys of Open311 clients, and the log behind the flood protection."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import Area

RECEIVED = "received"
REVIEWING = "reviewing"
IN_PROGRESS = "in_progress"
DONE = "done"
REJECTED = "rejected"
DUPLICATE = "duplicate"

STATUSES = [
    (RECEIVED, _("eingegangen")),
    (REVIEWING, _("in Prüfung")),
    (IN_PROGRESS, _("in Bearbeitung")),
    (DONE, _("erledigt")),
    (REJECTED, _("abgelehnt")),
    (DUPLICATE, _("Duplikat")),
]
OPEN_STATUSES = (RECEIVED, REVIEWING, IN_PROGRESS)
CLOSED_STATUSES = (DONE, REJECTED, DUPLICATE)
# CitySDK's detailed_status (Klarschiff and others) for each status
DETAILED_STATUS = {
    RECEIVED: "RECEIVED",
    REVIEWING: "PENDING",
    IN_PROGRESS: "IN_PROCESS",
    DONE: "PROCESSED",
    REJECTED: "REJECTED",
    DUPLICATE: "REJECTED",
}


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def _localised(german: str, english: str) -> str:
    """The English text when English is active and one is given, else the German one."""
    language = (translation.get_language() or "de").split("-")[0]
    return english if language == "en" and english else german


class Department(models.Model):
    """A department ("Fachamt") handling the reports of its categories."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    name_en = models.CharField(_("Name (englisch)"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail des Amtes"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="departments",
        verbose_name=_("Mitarbeitende"),
        help_text=_("Sie sehen die Meldungen dieses Amtes in ihrer Warteschlange."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Fachamt")
        verbose_name_plural = _("Fachämter")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return _localised(self.name, self.name_en)


class Category(models.Model):
    """A kind of defect, published as an Open311 service."""

    TYPES = [
        ("realtime", _("sofort mit Nummer (realtime)")),
        ("batch", _("mit Vorgangsschlüssel (batch)")),
    ]

    code = models.CharField(
        _("Kennung (service_code)"),
        max_length=50,
        unique=True,
        help_text=_("Bleibt gleich, auch wenn der Name sich ändert; führende Nullen zählen."),
    )
    name = models.CharField(_("Name"), max_length=200)
    name_en = models.CharField(_("Name (englisch)"), max_length=200, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), blank=True)
    group = models.CharField(_("Gruppe"), max_length=100, blank=True)
    keywords = models.CharField(
        _("Schlagwörter"), max_length=300, blank=True, help_text=_("durch Komma getrennt")
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
        verbose_name=_("zuständiges Fachamt"),
    )
    expected_days = models.PositiveSmallIntegerField(
        _("erwartete Bearbeitungszeit in Tagen"), null=True, blank=True
    )
    service_notice = models.TextField(
        _("Hinweis nach dem Absenden"),
        blank=True,
        help_text=_("Was nach der Meldung geschieht, z. B. „Wir prüfen Meldungen werktags.“"),
    )
    service_type = models.CharField(
        _("Art der Antwort im Open311-API"), max_length=10, choices=TYPES, default="realtime"
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(_("Meldungen möglich"), default=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return _localised(self.name, self.name_en)

    @property
    def display_description(self) -> str:
        return _localised(self.description, self.description_en)


class Attribute(models.Model):
    """An extra question of a category (an Open311 service attribute)."""

    DATATYPES = [
        ("string", _("Text, eine Zeile")),
        ("number", _("Zahl")),
        ("datetime", _("Datum und Uhrzeit")),
        ("text", _("Text, mehrere Zeilen")),
        ("singlevaluelist", _("Auswahl, ein Wert")),
        ("multivaluelist", _("Auswahl, mehrere Werte")),
    ]
    LISTS = ("singlevaluelist", "multivaluelist")

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="attributes", verbose_name=_("Kategorie")
    )
    code = models.CharField(_("Kennung"), max_length=50)
    description = models.CharField(_("Frage"), max_length=300)
    description_en = models.CharField(_("Frage (englisch)"), max_length=300, blank=True)
    datatype = models.CharField(_("Art der Antwort"), max_length=20, choices=DATATYPES)
    datatype_description = models.CharField(_("Hinweis zur Eingabe"), max_length=300, blank=True)
    required = models.BooleanField(_("Pflichtangabe"), default=False)
    variable = models.BooleanField(
        _("Eingabe erwartet"),
        default=True,
        help_text=_("Aus: nur ein Hinweistext für die meldende Person."),
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)

    class Meta:
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="attribute_unique_code")
        ]
        verbose_name = _("Zusatzfrage")
        verbose_name_plural = _("Zusatzfragen")

    def __str__(self) -> str:
        return f"{self.category.code}/{self.code}"

    @property
    def display_description(self) -> str:
        return _localised(self.description, self.description_en)

    @property
    def is_list(self) -> bool:
        return self.datatype in self.LISTS


class AttributeValue(models.Model):
    """One choice of a list question."""

    attribute = models.ForeignKey(
        Attribute, on_delete=models.CASCADE, related_name="values", verbose_name=_("Zusatzfrage")
    )
    key = models.CharField(_("Kennung"), max_length=50)
    name = models.CharField(_("Bezeichnung"), max_length=200)
    name_en = models.CharField(_("Bezeichnung (englisch)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["attribute", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "key"], name="attribute_value_unique_key")
        ]
        verbose_name = _("Auswahlwert")
        verbose_name_plural = _("Auswahlwerte")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return _localised(self.name, self.name_en)


class ApiKey(models.Model):
    """The key of an Open311 client (an app, another system). Only a hash is stored."""

    name = models.CharField(_("Name"), max_length=200)
    prefix = models.CharField(_("Anfang des Schlüssels"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    rate_limit = models.PositiveIntegerField(
        _("höchstens Meldungen je Minute"),
        default=60,
        help_text=_("0 = ohne Begrenzung (nur für vertrauenswürdige Systeme)"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ServiceRequest(models.Model):
    """One defect report. Reporter data (e-mail, name, phone, device, account) are private:
    they are shown to staff only and never leave the platform through a page or the API."""

    SOURCES = [("web", _("Webformular")), ("api", _("Open311-API")), ("staff", _("Verwaltung"))]

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="requests", verbose_name=_("Kategorie")
    )
    status = models.CharField(_("Status"), max_length=20, choices=STATUSES, default=RECEIVED)
    lat = models.FloatField(_("Breitengrad"), null=True, blank=True)
    long = models.FloatField(_("Längengrad"), null=True, blank=True)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        verbose_name=_("Gebiet"),
    )
    address = models.CharField(_("Adresse oder Ortsbeschreibung"), max_length=300, blank=True)
    address_id = models.CharField(_("Adresskennung"), max_length=100, blank=True)
    zipcode = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    description = models.TextField(_("Beschreibung"), max_length=4000, blank=True)
    attributes = models.JSONField(_("Antworten auf Zusatzfragen"), default=dict, blank=True)
    media_url = models.URLField(_("Link zu einem Foto"), max_length=500, blank=True)

    # private: never published
    email = models.EmailField(_("E-Mail"), blank=True)
    first_name = models.CharField(_("Vorname"), max_length=100, blank=True)
    last_name = models.CharField(_("Nachname"), max_length=100, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    secret = models.CharField(max_length=43, editable=False)  # the reporter's feedback link

    token = models.CharField(max_length=32, unique=True, editable=False)
    source = models.CharField(_("Eingang über"), max_length=10, choices=SOURCES, default="web")
    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("Duplikat von"),
    )
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)

    requested_at = models.DateTimeField(_("gemeldet am"), db_index=True)
    updated_at = models.DateTimeField(_("geändert am"))
    expected_at = models.DateTimeField(_("erledigt voraussichtlich bis"), null=True, blank=True)
    first_answer_at = models.DateTimeField(_("erste Antwort am"), null=True, blank=True)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    status_notes = models.TextField(_("letzte öffentliche Antwort"), blank=True)
    photo_id = models.BigIntegerField(null=True, blank=True, editable=False)  # the first photo

    feedback_solved = models.BooleanField(_("laut meldender Person gelöst"), null=True, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            # covers the Open311 filters (service_code, status, dates) without table reads
            models.Index(fields=["category", "status", "requested_at"]),
            models.Index(fields=["status", "requested_at"]),
            models.Index(fields=["area", "requested_at"]),
            models.Index(fields=["lat", "long"]),
        ]
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")

    def __str__(self) -> str:
        return f"{self.pk}: {self.category}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def open311_status(self) -> str:
        return open311_status(self.status)

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.long is not None


class Photo(models.Model):
    """A photo of a report, re-encoded as JPEG without any metadata (no location)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="maengelmelder/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["request", "order"]
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")

    def __str__(self) -> str:
        return self.image.name


class StatusChange(models.Model):
    """One step of a report's history: a status change, a public answer, an internal note
    (or several of these at once). Internal notes are for staff only."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="history")
    created_at = models.DateTimeField(_("Zeitpunkt"))
    old_status = models.CharField(max_length=20, choices=STATUSES, blank=True)
    new_status = models.CharField(_("Status"), max_length=20, choices=STATUSES)
    public_note = models.TextField(_("öffentliche Antwort"), blank=True)
    internal_note = models.TextField(_("interne Notiz"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["request", "created_at", "id"]
        verbose_name = _("Bearbeitungsschritt")
        verbose_name_plural = _("Bearbeitungsschritte")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.old_status} → {self.new_status}"

    @property
    def is_public(self) -> bool:
        return bool(self.public_note) or self.old_status != self.new_status


class AreaAlert(models.Model):
    """An e-mail alert for new reports in an area (and the areas within it). It starts
    unconfirmed; the link in the confirmation e-mail activates it (double opt-in). The token
    is the secret of both that link and the unsubscribe link in every alert."""

    email = models.EmailField(_("E-Mail"))
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="report_alerts", verbose_name=_("Gebiet")
    )
    token = models.CharField(max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(_("bestellt am"))
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)

    class Meta:
        ordering = ["area", "email"]
        constraints = [
            models.UniqueConstraint(fields=["email", "area"], name="area_alert_unique_email")
        ]
        verbose_name = _("E-Mail-Benachrichtigung")
        verbose_name_plural = _("E-Mail-Benachrichtigungen")

    def __str__(self) -> str:
        return f"{self.area}: {self.email}"
