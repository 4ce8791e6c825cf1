from django.core.management.base import BaseCommand

from dangwu.core.demo import build_demo
from dangwu.orgs.models import Organization


class Command(BaseCommand):
    help = "Load the demo data set (organizations, members, demo accounts) and list the accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when organizations already exist."
        )

    def handle(self, *args, if_empty: bool, **options):
        if Organization.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already present; keeping the existing database.")
                self.stdout.write(_accounts_help())
                return
            self.stderr.write("The database already has organizations; use an empty database.")
            raise SystemExit(1)
        context = build_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(_accounts_help(context.accounts, context.password))


def _accounts_help(accounts=None, password=None) -> str:
    from dangwu.accounts.demo import PERSONAS
    from dangwu.core.demo import demo_password

    rows = accounts or [(p[0], p[4]) for p in PERSONAS]
    lines = ["", "Demo accounts (password: %s):" % (password or demo_password())]
    lines += [f"  {username:<22} {description}" for username, description in rows]
    return "\n".join(lines)
