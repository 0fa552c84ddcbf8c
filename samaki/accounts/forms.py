from typing import Any

from django.contrib.auth import forms as auth_forms

from samaki.accounts.services import password_change


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form (old password, new one twice, the validators); saved by the service, so
    the change is audited. The admin's own password-change page uses it too."""

    def save(self, commit: bool = True) -> Any:
        return password_change(
            user=self.user, by=self.user, new_password=self.cleaned_data["new_password1"]
        )
