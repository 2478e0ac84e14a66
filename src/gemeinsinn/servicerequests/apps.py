from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceRequestsConfig(AppConfig):
    name = "gemeinsinn.servicerequests"
    label = "servicerequests"
    verbose_name = _("Mängelmelder")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from gemeinsinn.accounts.services import register_personal_data
        from gemeinsinn.areas.models import Boundary
        from gemeinsinn.servicerequests import alerts, catalogue
        from gemeinsinn.servicerequests.models import (
            Attribute,
            AttributeValue,
            Category,
            Department,
        )

        for model in (Category, Attribute, AttributeValue, Department, Boundary):
            post_save.connect(catalogue.clear, sender=model, dispatch_uid=f"catalogue-{model}")
            post_delete.connect(catalogue.clear, sender=model, dispatch_uid=f"catalogue-d-{model}")
        register_personal_data("maengelmelder", alerts.personal_data)
