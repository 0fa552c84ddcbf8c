from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Samaki in production: `samaki serve`, `samaki backup`, `samaki restore`."""

    name = "samaki.ops"
    verbose_name = _("Operations")
