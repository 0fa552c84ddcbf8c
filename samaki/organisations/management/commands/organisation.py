"""`samaki organisation create --slug S --name "…" [--name-km "…"] --admin USERNAME [--email E]`:
a new organisation and its first administrator, created by the platform operator. Prints the
administrator's one-time sign-in link (docs/users.md)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samaki.accounts import access
from samaki.accounts.models import User
from samaki.accounts.services import SIGN_IN_LINK_VALIDITY, organisation_onboard


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

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        by: Any = access.SYSTEM
        if options["by"]:
            by = User.objects.filter(username=options["by"], is_active=True).first()
            if by is None or not access.is_platform_operator(by):
                raise CommandError(f"{options['by']!r} is not an active superuser.")
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
