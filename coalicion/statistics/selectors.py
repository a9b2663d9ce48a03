"""Reading the statistics: what a person may see, cell by cell.

Every figure of the explorer, its chart, its exports and the public page
comes from :func:`explore`. A cell that is a single country's figure is
shown in full to that country's focal points and to the Secretariat; a
regional cell in full to the Secretariat only. Every other cell is read from
the protected release of its measure and year (see
`coalicion.statistics.disclosure`): a published value, a hidden cell (the
value never leaves the database, because the release does not hold it), or
"not published" when the cell crosses more dimensions than are protected or
sums over several years. Exports are always protected.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from coalicion.membership.models import Country
from coalicion.membership.roles import roles_of
from coalicion.statistics import disclosure
from coalicion.statistics.codes import (
    COUNTRY,
    DIMENSIONS,
    TOTAL,
    YEAR,
    characteristics_of,
    codes_of,
    label_of,
)
from coalicion.statistics.models import AggregateCell, Batch, Record, Release, ReleaseCell

SHOWN = "shown"
HIDDEN = "hidden"
UNAVAILABLE = "unavailable"
# The symbols of the legend (also in exports).
HIDDEN_SYMBOL = "x"
UNAVAILABLE_SYMBOL = "·"


@dataclass(frozen=True)
class Viewer:
    """Whose figures a person sees in full."""

    full_countries: frozenset[str] = frozenset()
    sees_all: bool = False  # the Secretariat: regional totals in full too


PUBLIC = Viewer()


def viewer_for(user) -> Viewer:
    roles = roles_of(user)
    if roles.is_secretariat:
        codes = frozenset(Country.objects.values_list("code", flat=True))
        return Viewer(full_countries=codes, sees_all=True)
    if roles.focal_point_of:
        codes = Country.objects.filter(pk__in=roles.focal_point_of).values_list("code", flat=True)
        return Viewer(full_countries=frozenset(codes))
    return PUBLIC


@dataclass(frozen=True)
class Query:
    measure: str
    rows: str
    columns: str
    filters: dict[str, str] = field(default_factory=dict)  # dimension: code (year as text)

    def dimensions(self) -> tuple[str, ...]:
        return (COUNTRY, YEAR, *characteristics_of(self.measure))


@dataclass(frozen=True)
class Figure:
    value: int | None
    state: str  # SHOWN, HIDDEN or UNAVAILABLE
    full: bool = False  # a full figure (own country, or the Secretariat)

    @property
    def text(self) -> str:
        if self.state == HIDDEN:
            return HIDDEN_SYMBOL
        if self.state == UNAVAILABLE:
            return UNAVAILABLE_SYMBOL
        return str(self.value)


@dataclass
class Pivot:
    query: Query
    rows: list[tuple[str, str]]  # (code, label), the total last
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], Figure]
    batches: list[Batch]

    @property
    def heading(self) -> str:
        """The corner of the table: "rows \\ columns"."""
        rows = DIMENSIONS[self.query.rows].label
        columns = DIMENSIONS[self.query.columns].label
        return f"{rows} \\ {columns}"

    def row(self, code: str) -> list[Figure]:
        return [self.cells[(code, column)] for column, _label in self.columns]

    @property
    def table(self) -> list[tuple[str, list[Figure]]]:
        return [(label, self.row(code)) for code, label in self.rows]

    def states(self) -> set[str]:
        return {figure.state for figure in self.cells.values()}

    @property
    def any_full(self) -> bool:
        return any(figure.full for figure in self.cells.values())


def countries_with_data(measure: str) -> list[Country]:
    ids = (
        Batch.objects.filter(measure=measure, status=Batch.Status.CURRENT)
        .values_list("country_id", flat=True)
        .distinct()
    )
    return list(Country.objects.filter(pk__in=ids).order_by("name"))


def years_with_data(measure: str) -> list[int]:
    return sorted(
        Batch.objects.filter(measure=measure, status=Batch.Status.CURRENT)
        .values_list("year", flat=True)
        .distinct()
    )


def items_of(
    dimension: str, *, countries: list[Country], years: list[int]
) -> list[tuple[str, str]]:
    """The categories of a dimension as rows or columns, the total last."""
    from coalicion.core.i18n import localized

    if dimension == COUNTRY:
        items = [(country.code, localized(country, "name")) for country in countries]
        return [*items, (TOTAL, _("All reporting countries"))]
    if dimension == YEAR:
        return [*((str(year), str(year)) for year in years), (TOTAL, _("All years"))]
    items = [(code, label_of(dimension, code)) for code in codes_of(dimension)]
    return [*items, (TOTAL, _("Total"))]


def explore(*, viewer: Viewer, query: Query) -> Pivot:
    """The pivot of `query` as `viewer` may see it."""
    countries = countries_with_data(query.measure)
    years = years_with_data(query.measure)
    rows = items_of(query.rows, countries=countries, years=years)
    columns = items_of(query.columns, countries=countries, years=years)
    coordinates = {}
    for row, _label in rows:
        for column, _label2 in columns:
            where = {dimension: code for dimension, code in query.filters.items() if code != TOTAL}
            where[query.rows] = row
            where[query.columns] = column
            coordinates[(row, column)] = {d: c for d, c in where.items() if c != TOTAL}
    full_cells = {
        position: where
        for position, where in coordinates.items()
        if _is_full(viewer, where.get(COUNTRY, TOTAL))
    }
    exact = _full_counts(query, viewer) if full_cells else {}
    protected_positions = [p for p in coordinates if p not in full_cells]
    released = _released(query, years) if protected_positions else ({}, set())
    cells = {}
    for position, where in coordinates.items():
        if position in full_cells:
            cells[position] = Figure(_sum_matching(exact, where), SHOWN, full=True)
        else:
            cells[position] = _protected_figure(query, where, released)
    batches = list(
        Batch.objects.filter(measure=query.measure, status=Batch.Status.CURRENT)
        .select_related("country", "upload")
        .order_by("country__name", "year")
    )
    return Pivot(query=query, rows=rows, columns=columns, cells=cells, batches=batches)


def _is_full(viewer: Viewer, country: str) -> bool:
    if country == TOTAL:
        return viewer.sees_all
    return country in viewer.full_countries


def _full_counts(query: Query, viewer: Viewer) -> dict[tuple, int]:
    """Exact counts grouped by the dimensions of the rows and the columns,
    the filters applied in SQL (one GROUP BY per kind of data), only for the
    countries the viewer sees in full."""
    used = [d for d in (query.rows, query.columns) if d not in (COUNTRY, YEAR)]
    group = ["batch__country__code", "batch__year", *used]
    where = {"batch__measure": query.measure, "batch__status": Batch.Status.CURRENT}
    for dimension, code in query.filters.items():
        if dimension == COUNTRY:
            where["batch__country__code"] = code
        elif dimension == YEAR:
            where["batch__year"] = int(code)
        else:
            where[dimension] = code
    if not viewer.sees_all:
        where["batch__country__code__in"] = viewer.full_countries
    counts: dict[tuple, int] = {}
    for model, amount in ((Record, Count("id")), (AggregateCell, Sum("count"))):
        rows = model.objects.filter(**where).values_list(*group).annotate(n=amount).order_by()
        for *key, n in rows:
            key = (key[0], str(key[1]), *key[2:])
            counts[tuple(key)] = counts.get(tuple(key), 0) + int(n or 0)
    return {("__dims__",): (COUNTRY, YEAR, *used), **counts}


def _sum_matching(exact: dict, where: dict[str, str]) -> int:
    dims = exact.get(("__dims__",), ())
    total = 0
    for key, n in exact.items():
        if key == ("__dims__",):
            continue
        if all(where.get(d, code) == code for d, code in zip(dims, key, strict=True)):
            total += n
    return total


def _released(query: Query, years: list[int]) -> tuple[dict, set[int]]:
    """The cells of the current releases that the query can use: every
    dimension that is neither a row nor a column at its filter or total."""
    releases = {
        r.pk: r.year for r in Release.objects.filter(measure=query.measure, is_current=True)
    }
    cells = ReleaseCell.objects.filter(release_id__in=releases)
    characteristics = characteristics_of(query.measure)
    for dimension in (COUNTRY, *characteristics):
        if dimension in (query.rows, query.columns):
            continue
        cells = cells.filter(**{dimension: query.filters.get(dimension, TOTAL)})
    found = {}
    for release_id, country, *codes, value, status in cells.values_list(
        "release_id", "country", *characteristics, "value", "status"
    ):
        found[(str(releases[release_id]), country, *codes)] = (value, status)
    return found, {str(year) for year in releases.values()}


def _protected_figure(query: Query, where: dict[str, str], released: tuple[dict, set]) -> Figure:
    cells, released_years = released
    year = where.get(YEAR)
    characteristics = characteristics_of(query.measure)
    used = [d for d in where if d != YEAR]
    if year is None or year not in released_years or not disclosure.is_publishable(used):
        return Figure(None, UNAVAILABLE)
    key = (year, where.get(COUNTRY, TOTAL), *(where.get(d, TOTAL) for d in characteristics))
    value, _status = cells.get(key, (0, "published"))
    if value is None:
        return Figure(None, HIDDEN)
    return Figure(value, SHOWN)


# The public overview -------------------------------------------------------------


def overview(*, country: str = TOTAL) -> list[dict]:
    """Per measure with a release: its years and the protected total of
    each — of the region (the public page) or of one country (`country`, its
    code: the country profile). Only released figures, which passed
    disclosure control: a hidden total is None. One query for the releases,
    one for their cells (and, for a country, one for what it reported)."""
    from coalicion.statistics.codes import Measure

    rows = []
    releases = Release.objects.filter(is_current=True).order_by("measure", "year")
    totals = {
        (cell.release.measure, cell.release.year): cell.value
        for cell in ReleaseCell.objects.filter(
            release__in=releases,
            country=country,
            **dict.fromkeys(
                ("sex", "age_group", "citizenship_group", "exploitation", "scope", "source_type"),
                TOTAL,
            ),
        ).select_related("release")
    }
    reported = None
    if country != TOTAL:
        reported = set(
            Batch.objects.filter(status=Batch.Status.CURRENT, country__code=country).values_list(
                "measure", "year"
            )
        )
    by_measure: dict[str, list[tuple[int, int | None]]] = {}
    for release in releases:
        if reported is not None and (release.measure, release.year) not in reported:
            continue  # the country reported nothing that year
        value = totals.get((release.measure, release.year), 0)
        by_measure.setdefault(release.measure, []).append((release.year, value))
    for measure in Measure:
        if measure.value in by_measure:
            rows.append({"measure": measure, "years": by_measure[measure.value]})
    return rows


def dimension_choices(measure: str) -> list[tuple[str, str]]:
    return [(d, str(DIMENSIONS[d].label)) for d in (COUNTRY, YEAR, *characteristics_of(measure))]


# Imports and provenance ------------------------------------------------------------


def uploads_for(user, limit: int = 50):
    """The uploads a person may follow (`rules.may_see_upload`): all for the
    Secretariat; for a focal point their own and those for their countries
    only. Two queries."""
    from coalicion.statistics.models import Upload

    roles = roles_of(user)
    uploads = Upload.objects.select_related("uploaded_by").order_by("-uploaded_at")
    if roles.is_secretariat:
        return list(uploads[:limit])
    own = set(Country.objects.filter(pk__in=roles.focal_point_of).values_list("code", flat=True))
    found = []
    for upload in uploads.iterator(chunk_size=200):
        allowed = set(upload.allowed_countries)
        if upload.uploaded_by_id == user.pk or (allowed and allowed <= own):
            found.append(upload)
            if len(found) == limit:
                break
    return found


def template_exists(measure: str, kind: str) -> bool:
    from coalicion.statistics.codes import MEASURES

    return kind == "aggregates" or MEASURES[measure].unit == "persons"


def template_choices() -> list[dict]:
    from coalicion.statistics.codes import Measure

    return [
        {
            "code": measure.value,
            "label": measure.label,
            "kinds": [k for k in ("records", "aggregates") if template_exists(measure.value, k)],
        }
        for measure in Measure
    ]


def provenance():
    """Every batch, versions included: where each figure comes from."""
    return Batch.objects.select_related("country", "upload", "upload__uploaded_by").order_by(
        "measure", "country__name", "-year", "-version"
    )
