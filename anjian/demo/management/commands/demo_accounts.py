"""Print the address and the demo accounts (used by `make run`)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from anjian.accounts.models import User
from anjian.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print where the platform answers and which demo accounts exist."

    def add_arguments(self, parser):
        parser.add_argument("--address", default="http://127.0.0.1:8000/")

    def handle(self, *args, address, **options):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Anjian 安监 — open {address}"))
        if not settings.ANJIAN_DEMO:
            return
        existing = {
            u.username: u
            for u in User.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).select_related("org_unit")
        }
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for username, _real, _role, _unit, _title in DEMO_ACCOUNTS:
            user = existing.get(username)
            if user is not None:
                self.stdout.write(f"  {username:<11} {user.get_role_display():<10} {user.org_unit}")
        self.stdout.write("")
