from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html

from coalicion.core.i18n import CONTENT_LANGUAGE, localized, localized_html, wants_translation

register = template.Library()


@register.filter
def tr(obj, field: str):
    """``{{ axis|tr:"name" }}``: the field in the active language."""
    return localized_html(obj, field)


@register.filter
def tr_paragraphs(obj, field: str):
    """Like ``tr`` for long texts: blank lines become paragraphs."""
    html = linebreaks_filter(localized(obj, field), autoescape=True)
    if wants_translation() and not getattr(obj, f"{field}_en", ""):
        return format_html('<div lang="{}">{}</div>', CONTENT_LANGUAGE, html)
    return html


@register.filter
def tr_plain(obj, field: str) -> str:
    """The field in the active language as plain text (for attributes)."""
    return localized(obj, field)
