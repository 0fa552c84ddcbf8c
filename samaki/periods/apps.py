from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodsConfig(AppConfig):
    name = "samaki.periods"
    verbose_name = _("Reporting periods")
