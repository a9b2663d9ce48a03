"""Sections that apps contribute to the generated reports (PDF and XLSX).

The accountability report (`coalicion.reports`) is made of what the apps
know: it does not import the apps that come after it (cooperation's
instruments, alliances and good practices, …). Each app registers its
sections in a module named `report_sections.py`; the report asks for them,
in order, with the period and the date of the data:

    # coalicion/cooperation/report_sections.py
    from coalicion.core.report_sections import register

    register(
        "accountability",
        key="instruments",
        order=70,
        data=lambda *, as_of, start, end, lang: {...} or None,  # None: not shown
    )

`data` runs in the language of the report (`lang` is also given) and returns
plain data, never markup:

    {
        "title": "Instruments and their stages",
        "paragraphs": ["…"],                      # optional
        "tables": [                               # optional, one XLSX sheet each
            {
                "title": "Instruments",
                "columns": ["Country", "Instrument", "Stage"],
                "widths": [1, 3, 1],              # optional: relative widths in the PDF
                "rows": [["Costa Rica", "…", "Approved"], …],  # text or numbers
            },
        ],
    }

It must issue a bounded number of queries and read only what the date and
the period allow; the same data must give the same result (no clock, no
random order). Returning None leaves the section out.
"""

from collections.abc import Callable
from dataclasses import dataclass

from coalicion.core.discovery import app_modules


@dataclass(frozen=True)
class ReportSection:
    report: str
    key: str
    order: int
    data: Callable[..., dict | None]


_REGISTRY: dict[str, dict[str, ReportSection]] = {}
_discovered = False


def register(report: str, *, key: str, order: int, data: Callable[..., dict | None]):
    sections = _REGISTRY.setdefault(report, {})
    if key in sections:
        raise ValueError(f"The report section {key!r} of {report!r} is registered twice.")
    section = ReportSection(report=report, key=key, order=order, data=data)
    sections[key] = section
    return section


def unregister(report: str, *, key: str) -> None:
    """For tests."""
    _REGISTRY.get(report, {}).pop(key, None)


def discover() -> None:
    """Import every installed app's `report_sections` module (once)."""
    global _discovered
    if not _discovered:
        app_modules("report_sections")
        _discovered = True


def contributed(report: str, **params) -> list[tuple[ReportSection, dict]]:
    """The registered sections of `report` that have something to show, in
    order, with their data. `params` (as_of, start, end, lang) go to each."""
    discover()
    shown = []
    for section in sorted(_REGISTRY.get(report, {}).values(), key=lambda s: (s.order, s.key)):
        data = section.data(**params)
        if data is not None:
            shown.append((section, data))
    return shown
