"""Sections that apps contribute to a shared page (STYLE rule 11).

A page that shows what several apps know about one thing — the country
profile is the first — does not import those apps: each app registers its
sections here, in a module named `sections.py` that is imported once every
app is ready (`discover`), and the page renders what is registered, in
order, for the person who asks.

    # coalicion/meetings/sections.py
    from coalicion.core.sections import register

    register(
        "country_profile",
        key="agreements",
        order=60,
        title=_("Agreements"),
        template="meetings/sections/country_agreements.html",
        context=lambda *, user, country, as_of: {...} or None,  # None: not shown
    )

`context` runs only for the sections the page shows; it must issue a
bounded number of queries whatever the data, and show only what `user` may
see. Returning None leaves the section out (nothing to show, or nothing this
person may see).
"""

from collections.abc import Callable
from dataclasses import dataclass

from coalicion.core.discovery import app_modules


@dataclass(frozen=True)
class Section:
    page: str
    key: str
    order: int
    title: object  # a lazy translation
    template: str
    context: Callable[..., dict | None]


@dataclass(frozen=True)
class Shown:
    section: Section
    context: dict


_REGISTRY: dict[str, dict[str, Section]] = {}


def register(
    page: str, *, key: str, order: int, title, template: str, context: Callable[..., dict | None]
) -> Section:
    sections = _REGISTRY.setdefault(page, {})
    if key in sections:
        raise ValueError(f"The section {key!r} of {page!r} is registered twice.")
    section = Section(
        page=page, key=key, order=order, title=title, template=template, context=context
    )
    sections[key] = section
    return section


def sections(page: str, **params) -> list[Shown]:
    """The sections of `page` that have something to show, in order.
    `params` (the person, the object, the date) go to every section."""
    shown = []
    for section in sorted(_REGISTRY.get(page, {}).values(), key=lambda s: (s.order, s.key)):
        context = section.context(**params)
        if context is not None:
            shown.append(Shown(section=section, context=context))
    return shown


def discover() -> None:
    """Import every installed app's `sections` module (once, at start-up)."""
    app_modules("sections")
