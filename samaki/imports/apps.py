from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "samaki.imports"
    label = "imports"
    verbose_name = _("Excel and CSV imports and exports")
