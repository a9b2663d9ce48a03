"""Form widgets shared by the apps.

`QuickSelect` writes Django's own select markup in Python: a filter form
on the pages users open most (the matrix, the execution tree) renders
three selects of a dozen options each, and Django's template renderer
spends ~50 µs on each option (an include, then another for its
attributes) — about 2 ms a page (issue 13). The HTML is the same, byte for
byte, as `forms.Select`'s; a test holds them equal.
It ignores a `renderer` and any template name set on the widget: use
`forms.Select` where a select must be drawn by templates.
"""

from django import forms
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.timezone import template_localtime


def _shown(value) -> str:
    """A label as a template shows a variable: in local time, localized."""
    return str(localize(template_localtime(value)))


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: ` name="value"`, ` name` for
    True, nothing for False."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            written = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>\n',
                (
                    (str(option["value"]), _attrs(option["attrs"]), _shown(option["label"]))
                    for option in options
                ),
            )
            if group_name:
                written = format_html(
                    '\n  <optgroup label="{}">{}\n  </optgroup>', _shown(group_name), written
                )
            groups.append((written,))
        # No newline after </select>: Django's renderer strips its template's.
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            format_html_join("", "{}", groups),
        )
