from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gemeinsinn.accounts"
    label = "accounts"
    verbose_name = _("Konten und Rollen")

    def ready(self):
        from gemeinsinn.accounts import signals  # noqa: F401 - registers the login signals
