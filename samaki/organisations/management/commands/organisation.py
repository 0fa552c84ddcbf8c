"""`samaki organisation create --slug S --name "…" [--name-km "…"] --admin USERNAME [--email E]`:
a new organisation and its first administrator, created by the platform operator. Prints the
administrator's one-time sign-in link (docs/users.md).

`samaki organisation set-iati-identifier --slug S --identifier XM-DAC-…`: the identifier its
IATI files are published under (docs/exports.md)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samaki.accounts import access
from samaki.accounts.models import User
from samaki.accounts.services import SIGN_IN_LINK_VALIDITY, organisation_onboard
from samaki.organisations.models import Organisation
from samaki.organisations.services import organisation_set_iati_identifier


def _messages(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return "; ".join(getattr(error, "messages", [str(error)]))


class Command(BaseCommand):
    help = (
        "Create an organisation and its first administrator, and print her one-time sign-in "
        "link. She invites everyone else herself, on the Users page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an organisation and its first admin.")
        create.add_argument("--slug", required=True, help="Short name in addresses, e.g. kwa.")
        create.add_argument("--name", required=True, help="The name in English.")
        create.add_argument("--name-km", default="", help="The name in Khmer.")
        create.add_argument("--admin", required=True, help="The administrator's username.")
        create.add_argument("--email", default="", help="Her email (the link is sent there too).")
        create.add_argument(
            "--by",
            default="",
            help="Act as this superuser (audited by name); without it, as the system.",
        )
        iati = sub.add_parser(
            "set-iati-identifier",
            help="Set the identifier the IATI Registry gave the organisation (docs/exports.md).",
        )
        iati.add_argument("--slug", required=True, help="The organisation's short name.")
        iati.add_argument("--identifier", required=True, help='e.g. XM-DAC-41114; "" clears it.')
        iati.add_argument(
            "--by",
            default="",
            help="Act as this superuser (audited by name); without it, as the system.",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        by: Any = access.SYSTEM
        if options["by"]:
            by = User.objects.filter(username=options["by"], is_active=True).first()
            if by is None or not access.is_platform_operator(by):
                raise CommandError(f"{options['by']!r} is not an active superuser.")
        if action == "set-iati-identifier":
            self._set_iati_identifier(by, options)
            return
        try:
            organisation, admin, issued = organisation_onboard(
                by=by,
                slug=options["slug"].strip(),
                name_en=options["name"].strip(),
                name_km=options["name_km"].strip(),
                admin_username=options["admin"],
                admin_email=options["email"],
            )
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(f"Nothing was created: {_messages(error)}") from error
        hours = int(SIGN_IN_LINK_VALIDITY.total_seconds() // 3600)
        lines = [
            f"Organisation {organisation.slug} ({organisation.name_en}) created.",
            f"Administrator {admin.username}: give her this link; it works once, "
            f"for {hours} hours:",
            f"  {issued.url}",
            "She opens it, chooses her password and is signed in.",
        ]
        if issued.emailed:
            lines.append(f"It is also being emailed to {admin.email}.")
        self.stdout.write("\n".join(lines))

    def _set_iati_identifier(self, by: Any, options: dict[str, Any]) -> None:
        organisation = Organisation.objects.filter(slug=options["slug"].strip()).first()
        if organisation is None:
            raise CommandError(f"No organisation “{options['slug']}”.")
        try:
            organisation_set_iati_identifier(
                by=by, organisation=organisation, iati_identifier=options["identifier"]
            )
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(f"Nothing was changed: {_messages(error)}") from error
        shown = organisation.iati_identifier or "(none)"
        self.stdout.write(f"Organisation {organisation.slug}: IATI identifier {shown}.")
