"""The e-mails of accounts: invitations and password resets. Their text
holds a one-time link, so it is written when they are queued and kept only
until sent (`coalicion.notifications`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.notifications.kinds import Kind, register

INVITATION = "accounts.invitation"
ACCOUNT_MESSAGE = "accounts.message"  # password reset and the other e-mails of allauth

register(Kind(INVITATION, _("Invitation to an account")))
register(Kind(ACCOUNT_MESSAGE, _("Messages about your account (password reset)")))
