"""The network of actors and alliances as a static SVG, drawn on the server
(no script, so the strict CSP holds); the page gives the same facts in a
table beside it, and the SVG is hidden from assistive technologies."""

import math

from django.utils.html import format_html, format_html_join

WIDTH = HEIGHT = 360
CENTRE = WIDTH / 2
RADIUS = 130


def network_svg(rows: list[dict]) -> str:
    """The Coalition in the centre, each actor on a circle around it, a
    line to each actor with an alliance (solid while in force)."""
    if not rows:
        return ""
    count = len(rows)
    lines, nodes = [], []
    for i, row in enumerate(rows):
        angle = 2 * math.pi * i / count - math.pi / 2
        x = round(CENTRE + RADIUS * math.cos(angle), 1)
        y = round(CENTRE + RADIUS * math.sin(angle), 1)
        alliances = row["alliances"]
        if alliances:
            active = any(a.status == "active" for a in alliances)
            lines.append((CENTRE, CENTRE, x, y, "edge" if active else "edge edge-inactive"))
        label = row["actor"].acronym or row["actor"].name[:14]
        nodes.append((x, y, f"node node-{row['actor'].kind}", x, y + 18, label))
    return format_html(
        '<svg viewBox="0 0 {} {}" class="network" role="img" aria-hidden="true" focusable="false">'
        "{}{}"
        '<circle cx="{}" cy="{}" r="16" class="node node-coalition"></circle>'
        '<text x="{}" y="{}" text-anchor="middle" class="label">Coalición</text>'
        "</svg>",
        WIDTH,
        HEIGHT,
        format_html_join("", '<line x1="{}" y1="{}" x2="{}" y2="{}" class="{}"></line>', lines),
        format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="9" class="{}"></circle>'
            '<text x="{}" y="{}" text-anchor="middle" class="label">{}</text>',
            nodes,
        ),
        CENTRE,
        CENTRE,
        CENTRE,
        CENTRE + 32,
    )
