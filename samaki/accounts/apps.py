from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samaki.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from samaki.accounts import checks  # noqa: F401  (registers the production checks)
