"""Citizens' accounts beyond Django's user, and failed login attempts for throttling."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gemeinsinn.areas.models import Area


class Profile(models.Model):
    """What a citizen tells about themselves; shown on the privacy page, deleted with them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("Anzeigename"), max_length=100, blank=True)
    home_area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("Wohngebiet")
    )
    privacy_accepted_at = models.DateTimeField(_("Datenschutzhinweise bestätigt am"))
    email_confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Profil")
        verbose_name_plural = _("Profile")

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


class LoginAttempt(models.Model):
    """A failed login or a registration, per client address: the basis of throttling that
    works across server processes without a third-party service."""

    KINDS = [("login", _("Anmeldung")), ("register", _("Registrierung"))]

    kind = models.CharField(max_length=10, choices=KINDS)
    username = models.CharField(max_length=254, blank=True, db_index=True)
    client = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Anmeldeversuch")
        verbose_name_plural = _("Anmeldeversuche")

    def __str__(self) -> str:
        return f"{self.kind} {self.username or self.client} {self.created_at:%Y-%m-%d %H:%M}"
