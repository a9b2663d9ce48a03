"""The rows the matrix and the execution tree repeat by the hundred, written
in Python: the same HTML as the template they replace, at a fraction of its
cost (the template engine spends ~100 µs on a tree row, ten variables and
four conditions; issue 13). What they show is `monitoring.matrix.TreeRow` and
`monitoring.indicators.IndicatorStatus`; the figures come from the roll-up
and the indicators, never from here."""

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext

from coalicion.core.i18n import localized, localized_html
from coalicion.core.templatetags.coalicion import none, parties, percent, reading

register = template.Library()


@register.simple_tag
def tree_row(row, no_progress: str):
    """One row of the execution tree; `no_progress` is what an empty
    progress cell says (translated once by the page)."""
    cancelled = row.cancelled
    progress = percent(row.progress, empty=no_progress)
    if cancelled:
        text = format_html("<del>{}</del> <mark>{}</mark>", row.text, gettext("not counted"))
        progress = format_html("<del>{}</del>", progress)
    else:
        text = row.text
    status = ""
    if row.status or cancelled:  # a cancelled item without a status of its own says so
        status = format_html(
            '<span class="status status-{}">{}</span>', row.status or "cancelled", row.status_label
        )
    if row.part_of:
        who = format_html(
            "{}", gettext("Part of %(country)s") % {"country": localized(row.part_of, "name")}
        )
    else:
        who = parties(row.responsibles)
    if row.shared:
        count = len(row.parts)
        who = format_html(
            '{}<br><a href="{}"><small>{}</small></a>',
            who,
            reverse("monitoring:activity", args=[row.activity_id]),
            ngettext("The part of one country", "The parts of %(counter)s countries", count)
            % {"counter": count},
        )
    return format_html(
        '<tr class="tree-level-{}{}">\n'
        '      <th scope="row"><span class="visually-hidden">{} </span>{}</th>\n'
        "      <td>{}</td>\n"
        '      <td class="number">{}</td>\n'
        '      <td class="number">{}</td>\n'
        "      <td>{}</td>\n"
        "      <td>{}</td>\n"
        "    </tr>",
        row.level,
        " tree-cancelled" if cancelled else "",
        row.level_label,
        row.code,
        text,
        floatformat(row.weight, "-3"),
        progress,
        status,
        who,
    )


def _year_readings(status):
    """An indicator's value at the end of each year of the plan, one cell each."""
    milestone = status.is_milestone
    return format_html_join(
        "",
        '<td class="number">{}</td>',
        (
            (reading(year.value, milestone=milestone, stage_name=year.stage_name),)
            for year in status.years
        ),
    )


def _expected(status) -> str:
    """What the plan expects by the date, in words."""
    if status.is_milestone:
        return gettext("expected %(value)s %%") % {"value": floatformat(status.expected, 1)}
    return gettext("expected %(value)s") % {"value": floatformat(status.expected, "-2")}


def _pace(status):
    if status.pace:
        pace = format_html('<span class="pace pace-{}">{}</span>', status.pace, status.pace_label)
        if status.expected is None:
            return pace
        return format_html("{}<br><small>{}</small>", pace, _expected(status))
    if status.expected is not None:
        return format_html('<small class="muted">{}</small>', _expected(status))
    return none()


def _with_year(shown, year):
    return format_html("{} ({})", shown, year) if year else shown


def _baseline(indicator):
    """The baseline and its year; none without a baseline value."""
    if indicator.baseline_value is None:
        return none()
    return _with_year(floatformat(indicator.baseline_value, "-2"), indicator.baseline_year)


def _target(indicator, milestone: bool):
    """The target (a milestone's is being implemented) and its year."""
    if indicator.target_value is not None:
        shown = floatformat(indicator.target_value, "-2")
    else:
        shown = gettext("Implemented") if milestone else none()
    return _with_year(shown, indicator.target_year)


@register.simple_tag
def indicator_row(status, as_of_query: str):
    """One row of the matrix's indicator table (`IndicatorStatus`); the link
    to the indicator's page keeps the date and country asked about."""
    indicator = status.indicator
    result = indicator.result
    objective = result.objective
    milestone = status.is_milestone
    href = reverse("monitoring:indicator", args=[indicator.pk])
    if as_of_query:
        href = f"{href}?{as_of_query}"
    current = reading(status.current, milestone=milestone, stage_name=status.stage_name)
    if status.current_year and status.has_value:
        current = format_html('{}<br><small class="muted">{}</small>', current, status.current_year)
    return format_html(
        '<tr id="indicator-{}">\n'
        "      <td>{}. {}</td>\n"
        '      <td><span title="{}">{}</span></td>\n'
        "      <td>{}</td>\n"
        '      <th scope="row"><a href="{}">{}</a>. {}</th>\n'
        '      <td class="number">{}</td>\n'
        '      <td class="number">{}</td>\n'
        "      {}\n"
        '      <td class="number">{}</td>\n'
        '      <td class="number">{}</td>\n'
        "      <td>{}</td>\n"
        "      <td>{}</td>\n"
        "      <td>{}</td>\n"
        '      <td><span class="indicator-state state-{}">{}</span></td>\n'
        "    </tr>",
        indicator.pk,
        objective.axis.code,
        localized_html(objective.axis, "name"),
        localized(objective, "statement"),
        objective.code,
        result.shown_label or result.code,
        href,
        indicator.code,
        localized_html(indicator, "statement"),
        _baseline(indicator),
        _target(indicator, milestone),
        _year_readings(status),
        current,
        percent(status.achievement),
        _pace(status),
        status.responsible_label,
        localized_html(indicator, "means_of_verification") or "—",
        status.state,
        status.state_label,
    )
