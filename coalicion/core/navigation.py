"""Navigation that apps contribute to the shared layout (STYLE rule 11, ADR 0013).

`base.html` knows no app: each app declares, in a module named
`navigation.py` (imported once every app is ready, `discover`), its entries
in the site's menus and, for its own pages (its URL namespace), the
sub-navigation and the stylesheets they need:

    # coalicion/meetings/navigation.py
    from coalicion.core.navigation import add_entry, add_area

    add_entry("main", key="meetings", order=90, label=_("Meetings"),
              url_name="meetings:calendar", shown_to="is_internal")
    add_area("meetings", stylesheets=["css/meetings.css"])

Menus: "main" (the site's sections) and "account" (the signed-in person's
tools, beside "My account"). `shown_to` names the property of the viewer's
roles (`coalicion.membership.roles.Roles`: "is_internal", "is_member",
"is_secretariat", …; anonymous visitors have none) that lets them see an
entry; without it everyone does. `args(request)` gives the URL's arguments,
or None to leave the entry out (plans: no plan loaded). An area's `entries`
make the sub-navigation shown above the pages of that namespace, to those
its `shown_to` lets see it.

`links(...)` and `area(...)` are what the page's context is built from
(`coalicion.composition.context_processors`); they issue no query of their
own beyond what `shown_to` and `args` do.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.urls import reverse

from coalicion.core.discovery import app_modules

MENUS = ("main", "account")


@dataclass(frozen=True)
class Entry:
    key: str
    order: int
    label: object  # a lazy translation
    url_name: str
    shown_to: str = ""  # a property of the viewer's roles; "" for everyone
    args: Callable[..., Sequence | None] | None = None


@dataclass(frozen=True)
class Area:
    namespace: str
    label: object = ""
    entries: tuple[Entry, ...] = ()
    shown_to: str = ""
    stylesheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    label: object
    url: str


@dataclass(frozen=True)
class Shown:
    """An area as one viewer sees it: its sub-navigation (possibly empty)
    and its stylesheets."""

    label: object
    links: list[Link] = field(default_factory=list)
    stylesheets: tuple[str, ...] = ()


_MENUS: dict[str, dict[str, Entry]] = {menu: {} for menu in MENUS}
_AREAS: dict[str, Area] = {}


def entry(
    key: str,
    *,
    order: int,
    label,
    url_name: str,
    shown_to: str = "",
    args: Callable[..., Sequence | None] | None = None,
) -> Entry:
    """An entry, for a menu (`add_entry`) or an area's sub-navigation."""
    return Entry(key=key, order=order, label=label, url_name=url_name, shown_to=shown_to, args=args)


def add_entry(menu: str, *, key: str, **fields) -> Entry:
    if menu not in _MENUS:
        raise ValueError(f"There is no menu {menu!r} (menus: {', '.join(MENUS)}).")
    if key in _MENUS[menu]:
        raise ValueError(f"The entry {key!r} of the {menu} menu is registered twice.")
    _MENUS[menu][key] = made = entry(key, **fields)
    return made


def add_area(
    namespace: str,
    *,
    label="",
    entries: Sequence[Entry] = (),
    shown_to: str = "",
    stylesheets: Sequence[str] = (),
) -> Area:
    if namespace in _AREAS:
        raise ValueError(f"The area {namespace!r} is registered twice.")
    _AREAS[namespace] = made = Area(
        namespace=namespace,
        label=label,
        entries=tuple(entries),
        shown_to=shown_to,
        stylesheets=tuple(stylesheets),
    )
    return made


def _sees(roles, shown_to: str) -> bool:
    return not shown_to or bool(getattr(roles, shown_to))


def _links(entries, *, request, roles) -> list[Link]:
    links = []
    for item in sorted(entries, key=lambda e: (e.order, e.key)):
        if not _sees(roles, item.shown_to):
            continue
        args = () if item.args is None else item.args(request)
        if args is None:
            continue
        links.append(Link(label=item.label, url=reverse(item.url_name, args=args)))
    return links


def links(menu: str, *, request, roles) -> list[Link]:
    """The entries of `menu` this viewer sees, in order."""
    return _links(_MENUS[menu].values(), request=request, roles=roles)


def area(namespace: str | None, *, request, roles) -> Shown | None:
    """The area of the page's URL namespace, as this viewer sees it."""
    registered = _AREAS.get(namespace or "")
    if registered is None:
        return None
    shown = _sees(roles, registered.shown_to)
    return Shown(
        label=registered.label,
        links=_links(registered.entries, request=request, roles=roles) if shown else [],
        stylesheets=registered.stylesheets,
    )


def discover() -> None:
    """Import every installed app's `navigation` module (once, at start-up)."""
    app_modules("navigation")
