from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialReportConfig(AppConfig):
    name = "gemeinsinn.socialreport"
    label = "socialreport"
    verbose_name = _("Berichte")
