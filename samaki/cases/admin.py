"""Nothing of a case is in the admin: administrators and M&E officers must not open cases, and
the admin is theirs. Case workers and supervisors use the safe house's own pages."""

from django.contrib import admin
from django_otp.plugins.otp_totp import admin as otp_totp_admin  # registers TOTPDevice first
from django_otp.plugins.otp_totp.models import TOTPDevice


class TOTPDeviceAdmin(otp_totp_admin.TOTPDeviceAdmin):
    """Superusers see who has a phone enrolled and may delete a lost one; nobody adds or edits
    a device here (a device with a known key is a way into case pages: docs/cases.md), and
    OTP_ADMIN_HIDE_SENSITIVE_DATA keeps the key and its QR code out of these pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
