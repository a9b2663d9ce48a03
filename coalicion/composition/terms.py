"""Words of the packages the site uses (django-allauth's sign-in and
two-factor pages) that the site's own catalog translates, so that the
interface says one thing one way (docs/glossary.md): "autenticación de dos
factores", never "doble factor" nor "MFA". Never imported; read by
makemessages."""

from django.utils.translation import gettext_noop

TERMS = [
    gettext_noop("Two-Factor Authentication"),
    gettext_noop("MFA"),
]
