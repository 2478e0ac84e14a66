from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    name = "gemeinsinn.assemblies"
    label = "assemblies"
    verbose_name = _("Bürgerrat")

    def ready(self) -> None:
        from gemeinsinn.accounts.services import register_personal_data
        from gemeinsinn.assemblies.privacy import personal_data

        register_personal_data("buergerrat", personal_data)
