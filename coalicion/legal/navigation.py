"""Legal's entries in the site's menu (`coalicion.core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.navigation import add_entry

add_entry("main", key="glossary", order=60, label=_("Glossary"), url_name="legal:glossary")
add_entry(
    "main", key="legal_framework", order=70, label=_("Legal framework"), url_name="legal:framework"
)
