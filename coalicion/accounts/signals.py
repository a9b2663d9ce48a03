import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from coalicion.accounts.middleware import LAST_SEEN, LOGIN_AT


@receiver(user_logged_in)
def _start_the_absolute_timeout(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now
