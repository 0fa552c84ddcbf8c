from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import User
from samaki.api.models import TokenKind
from samaki.api.services import token_issue


class Command(BaseCommand):
    help = "Issue a token acting as USERNAME (a script's API token by default); prints the secret once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="What uses the token, e.g. 'dashboard sync'.")
        parser.add_argument(
            "--kind", choices=TokenKind.values, default=TokenKind.API, help="api or phone"
        )

    def handle(self, *args, username: str, name: str, kind: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None or user.organisation is None:
            raise CommandError(f"No staff member {username!r} with an organisation.")
        try:
            _token, secret = token_issue(
                organisation=user.organisation, by=SYSTEM, user=user, kind=kind, name=name
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(secret)
