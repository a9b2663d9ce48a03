from django import template
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe

from coalicion.core.i18n import CONTENT_LANGUAGE, localized, localized_html, wants_translation

register = template.Library()


@register.filter
def tr(obj, field: str):
    """``{{ axis|tr:"name" }}``: the field in the active language."""
    return localized_html(obj, field)


@register.filter
def tr_paragraphs(obj, field: str):
    """Like ``tr`` for long texts: blank lines become paragraphs."""
    html = mark_safe(linebreaks(conditional_escape(localized(obj, field))))  # noqa: S308 (escaped above)
    if wants_translation() and not getattr(obj, f"{field}_en", ""):
        return format_html('<div lang="{}">{}</div>', CONTENT_LANGUAGE, html)
    return html


@register.filter
def tr_plain(obj, field: str) -> str:
    """The field in the active language as plain text (for attributes)."""
    return localized(obj, field)
