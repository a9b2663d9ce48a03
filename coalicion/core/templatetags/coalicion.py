from django import template
from django.contrib.auth.context_processors import PermWrapper
from django.core.exceptions import ObjectDoesNotExist
from django.template.defaultfilters import floatformat, linebreaks_filter
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from coalicion.core.i18n import (
    CONTENT_LANGUAGE,
    localized,
    localized_html,
    localized_marked,
    wants_translation,
)

register = template.Library()

DIRECTORY_PERM = "membership.view_directory"


@register.filter
def tr(obj, field: str):
    """``{{ axis|tr:"name" }}``: the field in the active language."""
    return localized_html(obj, field)


@register.filter
def tr_marked(obj, field: str):
    """``{{ note|tr_marked:"note" }}``: like ``tr``, with every passage in
    another language (``[[es:…]]`` in the data) marked with its ``lang``."""
    return localized_marked(obj, field)


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


def _may_read_directory(viewer) -> bool:
    """`viewer` is the template's `perms` (PermWrapper) or a user."""
    if isinstance(viewer, PermWrapper):
        return DIRECTORY_PERM in viewer
    has_perm = getattr(viewer, "has_perm", None)
    return bool(has_perm and has_perm(DIRECTORY_PERM))


def _name(who) -> str:
    """A user's name as the directory knows it (their person), else their
    account's full name, else their e-mail address; a string as it is."""
    if isinstance(who, str):
        return who
    try:
        person = who.person
    except ObjectDoesNotExist:
        person = None
    except AttributeError:
        return str(who)
    return str(person) if person is not None else str(who)


@register.filter
def who(person, viewer) -> str:
    """``{{ decision.recorded_by|who:perms }}``: who did something, as the
    viewer may know it. Those who may read the contact directory (members)
    see the name, or the e-mail address of a user without one; the others
    (observers) see "a user of the Coalition", never a name nor an address.
    `person` is a user or a string (an e-mail address kept in a history);
    empty gives "" (the template says what an unknown author means)."""
    if not person:
        return ""
    if not _may_read_directory(viewer):
        return gettext("a user of the Coalition")
    return _name(person)


@register.filter
def forms_with_errors(forms) -> list:
    """The forms with errors among `forms` (forms, or tuples whose last item
    is a form: a register's lines), for one error summary over many forms."""
    found = []
    for item in forms or ():
        form = item[-1] if isinstance(item, tuple | list) else item
        if getattr(form, "errors", None):
            found.append(form)
    return found


# --- Cells that recur hundreds of times on a page (the matrix, the tree) --------
# Tags in Python rather than included templates: an include costs some forty
# times more, and the matrix renders several hundred of them (issue 13).


@register.simple_tag
def none(label=""):
    """An empty cell that a screen reader reads: a dash to the eye, words
    (`label`, default "none") to the ear. An `aria-label` on a plain span
    would not be read."""
    return format_html(
        '<span class="muted" aria-hidden="true">—</span><span class="visually-hidden">{}</span>',
        label or gettext("none"),
    )


@register.simple_tag
def percent(value, empty=""):
    """A percentage with one decimal in the active language, or `empty`
    (default a dash) when there is none."""
    if value is None:
        return format_html('<span class="muted">{}</span>', empty or "—")
    return format_html('<span class="percent">{} %</span>', floatformat(value, 1))


@register.simple_tag
def reading(value, *, milestone=False, stage_name=""):
    """An indicator's value: the stage reached for a milestone indicator,
    else the number; "no value" to the ear when there is none."""
    if milestone:
        return stage_name or none(gettext("No value"))
    if value is None:
        return none(gettext("No value"))
    return floatformat(value, "-2")


@register.simple_tag
def party(responsible):
    """A responsible party's name: an organ, a committee, a country (linked
    to its profile) or a country's national body."""
    kind = responsible.kind
    if kind == "organ":
        return localized_html(responsible.organ, "name")
    if kind == "committee":
        return localized_html(responsible.committee, "name")
    if kind in ("country", "national_body"):
        country = responsible.country
        link = format_html(
            '<a href="{}">{}</a>', country.get_absolute_url(), localized_html(country, "name")
        )
        if kind == "country":
            return link
        body = next(iter(country.national_bodies.all()), None)
        if body is None:
            return format_html("({})", link)
        return format_html("{} ({})", body.acronym or body.name, link)
    return responsible.get_kind_display()


@register.simple_tag
def parties(responsibles):
    """The responsible parties' names (`party`), separated by semicolons."""
    return format_html_join("; ", "{}", ((party(r),) for r in responsibles))
