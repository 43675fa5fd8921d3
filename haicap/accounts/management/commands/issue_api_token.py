from django.core.management.base import BaseCommand, CommandError

from haicap.accounts.models import User
from haicap.accounts.services import issue_api_token
from haicap.core.context import acting_as
from haicap.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue an API token for a staff account and print it once (it is stored hashed)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="which client will use the token")

    def handle(self, *args: object, **options: object) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active account named {options['username']!r}")
        try:
            with acting_as("issue_api_token"):
                _token, plaintext = issue_api_token(user, user, str(options["name"]))
        except DomainError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(plaintext)
