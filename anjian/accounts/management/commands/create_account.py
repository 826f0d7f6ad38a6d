"""Create an account from the command line: how a deployment gets its first administrators (三员分立)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from anjian.accounts.choices import Role
from anjian.accounts.services import create_user
from anjian.organizations.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Create an account with a role and a one-time password (printed once; changed at first login). "
        "Without --org-unit a system, security or audit administrator covers the whole platform."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--real-name", required=True)
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--org-unit", type=int, help="id of the org unit (see /org/)")
        parser.add_argument("--mobile", default="")

    def handle(self, *args, username, real_name, role, org_unit, mobile, **options):
        unit = None
        if org_unit is not None:
            unit = OrgUnit.objects.filter(pk=org_unit).first()
            if unit is None:
                raise CommandError(f"No org unit with id {org_unit}.")
        try:
            user, password = create_user(
                actor=None, username=username, real_name=real_name, org_unit=unit, role=role, mobile=mobile
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}). One-time password: {password}")
