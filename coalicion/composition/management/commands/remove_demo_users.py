from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from coalicion.core.demo import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Disable and anonymise the synthetic demo accounts (before going to production)."

    def handle(self, *args, **options):
        users = get_user_model().objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
        count = 0
        for user in users:
            # Accounts are kept (the audit log points at them) but can never sign in.
            user.email = f"removed-demo-{user.pk}@removed.invalid"
            user.is_active = False
            user.set_unusable_password()
            user.save()
            user.emailaddress_set.all().delete()
            count += 1
        self.stdout.write(f"Removed {count} demo account(s).")
