"""Bilingual content.

Plan content is stored in Spanish (the canonical text) with an optional
English translation in a sibling field named ``<field>_en``. Interface strings
use gettext; content uses :func:`localized`.
"""

from django.utils.html import format_html
from django.utils.translation import get_language

CONTENT_LANGUAGE = "es"


def wants_translation() -> bool:
    return (get_language() or CONTENT_LANGUAGE).split("-")[0] != CONTENT_LANGUAGE


def localized(obj, field: str) -> str:
    """The text of ``field`` in the active language, falling back to Spanish."""
    if wants_translation():
        translated = getattr(obj, f"{field}_en", "")
        if translated:
            return translated
    return getattr(obj, field) or ""


def localized_html(obj, field: str) -> str:
    """Like :func:`localized`, marking an untranslated fallback with lang="es"."""
    text = localized(obj, field)
    if text and wants_translation() and not getattr(obj, f"{field}_en", ""):
        return format_html('<span lang="{}">{}</span>', CONTENT_LANGUAGE, text)
    return text
