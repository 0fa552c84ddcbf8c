from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Files other systems ingest: IATI today; DHIS2 ADX and HXL aggregates to come."""

    name = "samaki.exchange"
    verbose_name = _("Exchange")
