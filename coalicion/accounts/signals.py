import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from coalicion.accounts.middleware import LOGIN_AT


@receiver(user_logged_in)
def _start_the_absolute_timeout(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = time.time()
