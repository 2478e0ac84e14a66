from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "gemeinsinn.ideas"
    label = "ideas"
    verbose_name = _("Ideen und Vorschläge")

    def ready(self) -> None:
        from gemeinsinn.accounts.services import register_personal_data
        from gemeinsinn.ideas import signals
        from gemeinsinn.ideas.privacy import personal_data

        signals.connect()
        register_personal_data("ideen", personal_data)
