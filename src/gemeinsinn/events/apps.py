from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "gemeinsinn.events"
    label = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self) -> None:
        from gemeinsinn.accounts.services import register_personal_data
        from gemeinsinn.events.privacy import personal_data

        register_personal_data("veranstaltungen", personal_data)
