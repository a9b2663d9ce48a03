"""Bilingual content.

Plan content is stored in Spanish (the canonical text) with an optional
English translation in a sibling field named ``<field>_en``. Interface strings
use gettext; content uses :func:`localized`.
"""

import re

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
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


# A passage in another language inside a text of the data (a Spanish quotation
# in an English note on the data): ``[[es:tráfico ilícito para migrantes]]``.
FOREIGN_PASSAGE = re.compile(r"\[\[(es|en):(.+?)\]\]", re.DOTALL)


def mark_passages(text: str) -> SafeString:
    """`text` escaped, each ``[[xx:passage]]`` as ``<span lang="xx">passage</span>``."""
    parts, last = [], 0
    for match in FOREIGN_PASSAGE.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html('<span lang="{}">{}</span>', match[1], match[2]))
        last = match.end()
    parts.append(escape(text[last:]))
    # Every part is escaped or built by format_html: joining keeps them safe.
    return format_html_join("", "{}", ((part,) for part in parts))


def plain_passages(text: str) -> str:
    """`text` without the language marks of its passages (for plain text)."""
    return FOREIGN_PASSAGE.sub(lambda match: match[2], text)


def localized_marked(obj, field: str) -> SafeString:
    """Like :func:`localized_html` for a text whose foreign passages are
    marked (notes on the data): every passage carries its `lang`."""
    html = mark_passages(localized(obj, field))
    if html and wants_translation() and not getattr(obj, f"{field}_en", ""):
        return format_html('<span lang="{}">{}</span>', CONTENT_LANGUAGE, html)
    return html


def localized_html(obj, field: str) -> str:
    """Like :func:`localized`, marking an untranslated fallback with lang="es"."""
    text = localized(obj, field)
    if text and wants_translation() and not getattr(obj, f"{field}_en", ""):
        return format_html('<span lang="{}">{}</span>', CONTENT_LANGUAGE, text)
    return text
