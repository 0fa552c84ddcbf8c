from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenRosaConfig(AppConfig):
    name = "samaki.openrosa"
    label = "openrosa"
    verbose_name = _("Phone forms (ODK, KoboCollect)")
