"""The Vega-Lite spec of a pivot (drawn by static/js/charts.js under the
strict CSP, like the monitoring dashboard's charts).

Only shown figures are chart data: a hidden or unpublished cell is left out
of the data altogether, so its value cannot be in the spec whatever the
viewer; the page's table and legend say which cells are hidden.
"""

import altair as alt
from django.utils.translation import gettext, pgettext

from coalicion.core.vega import spec_of
from coalicion.statistics.codes import DIMENSIONS, TOTAL, YEAR
from coalicion.statistics.selectors import SHOWN, Pivot

BAR_COLOUR = "#0172ad"


def pivot_chart(pivot: Pivot, *, title: str) -> dict:
    """Bars per row and column (lines over the years when the rows are years)."""
    row_title = str(DIMENSIONS[pivot.query.rows].label)
    column_title = str(DIMENSIONS[pivot.query.columns].label)
    values = []
    for row, row_label in pivot.rows:
        for column, column_label in pivot.columns:
            if row == TOTAL or column == TOTAL:
                continue
            figure = pivot.cells[(row, column)]
            if figure.state != SHOWN:
                continue
            values.append(
                {"row": str(row_label), "column": str(column_label), "value": figure.value}
            )
    base = alt.Chart(alt.Data(values=values))
    tooltip = [
        alt.Tooltip("row:N", title=row_title),
        alt.Tooltip("column:N", title=column_title),
        alt.Tooltip("value:Q", title=pgettext("axis of a chart: how many", "Count")),
    ]
    colour = alt.Color("column:N", title=column_title)
    if pivot.query.rows == YEAR:
        chart = base.mark_line(point=True).encode(
            x=alt.X("row:O", title=row_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=pgettext("axis of a chart: how many", "Count")),
            color=colour,
            tooltip=tooltip,
        )
    else:
        chart = base.mark_bar().encode(
            y=alt.Y("row:N", sort=None, title=row_title, axis=alt.Axis(labelLimit=240)),
            x=alt.X("value:Q", title=pgettext("axis of a chart: how many", "Count")),
            yOffset=alt.YOffset("column:N"),
            color=colour,
            tooltip=tooltip,
        )
    chart = chart.properties(
        title=title,
        description=gettext(
            "Chart of the table below; hidden and unpublished cells are not drawn."
        ),
        width=480,
    )
    return spec_of(chart)
