import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coalicion.composition.demo import CREDENTIALS_FILE, set_up_demo
from coalicion.composition.planfile import load_plan, read_plan_file
from coalicion.core.planfile import PlanFileError
from coalicion.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Load the Coalition's plan (if not loaded yet) and synthetic demo data; print the logins."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created in production (DJANGO_ENV=production).")
        path = settings.COALICION_PLAN_FILE
        try:
            code = read_plan_file(path)["plan"]["code"]
            if Plan.objects.filter(code=code).exists():
                self.stdout.write(
                    f"The plan {code} is already loaded (python manage.py load_plan {path} "
                    "brings it back in line with the file)."
                )
            else:
                load_plan(path=path)
                self.stdout.write(f"Loaded the plan {code} from {path}.")
        except PlanFileError as exc:
            raise CommandError(str(exc)) from None
        credentials = set_up_demo()
        self.stdout.write(self.style.SUCCESS("\nDemo logins (synthetic accounts):"))
        for role, login in credentials.items():
            self.stdout.write(f"  {role:<16} {login['email']}  /  {login['password']}")
        self.stdout.write(f"(also in {CREDENTIALS_FILE.name})")
        self.stdout.write(
            f"\nOpen http://127.0.0.1:{os.environ.get('PORT', '8000')}/ and sign in at "
            "/es/accounts/login/. Two-factor "
            "authentication is offered but not required on this development machine.\n"
        )
