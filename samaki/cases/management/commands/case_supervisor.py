"""`samaki case_supervisor create --organisation SLUG --username U`: an organisation's first
case supervisor, created by the platform operator. Prints a one-time enrolment instruction."""

import base64
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from samaki.accounts.access import SYSTEM
from samaki.cases.staff import first_supervisor_create
from samaki.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Create an organisation's first case supervisor and start her phone's enrolment. "
        "Later case staff are added by case supervisors on /cases/staff/."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create the first case supervisor.")
        create.add_argument("--organisation", required=True, help="The organisation's slug.")
        create.add_argument("--username", required=True)
        create.add_argument("--first-name", default="")
        create.add_argument("--last-name", default="")

    def handle(self, *args, action: str, **options) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']!r}.")
        password = secrets.token_urlsafe(12)
        try:
            user, device = first_supervisor_create(
                organisation=organisation,
                by=SYSTEM,
                username=options["username"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except (ValidationError, PermissionDenied) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from error
        key = base64.b32encode(device.bin_key).decode()
        self.stdout.write(
            "\n".join(
                [
                    f"Case supervisor {user.username} of {organisation} created.",
                    "Give her this, in person, once; then forget it:",
                    f"  password:          {password}",
                    f"  authenticator key: {key}",
                    f"  or this address:   {device.config_url}",
                    "She adds the key to an authenticator app on her phone, signs in, types the",
                    "code the app shows at /cases/verify/ (that confirms the phone), then changes",
                    "her password. She adds the other case staff herself on /cases/staff/.",
                ]
            )
        )
