from django.core.management.base import BaseCommand, CommandError

from samaki.accounts.models import User
from samaki.api.services import api_token_issue


class Command(BaseCommand):
    help = "Issue an API token acting as USERNAME; prints the secret once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="What uses the token, e.g. 'dashboard sync'.")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None or user.organisation is None:
            raise CommandError(f"No staff member {username!r} with an organisation.")
        _token, secret = api_token_issue(
            organisation=user.organisation, by=None, user=user, name=name
        )
        self.stdout.write(secret)
