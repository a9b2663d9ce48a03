"""The Excel round-trip of a period's progress reports: a person downloads
a workbook of the reports they still owe (their country's parts of the
shared activities, the activities they answer for), fills it offline and
uploads it. Every row is checked; if any row is wrong nothing is saved and
each wrong row gets its own message; otherwise every filled row is saved
through `actions.save_report` in one transaction.

Rows are matched by the hidden key column (the activity's id), or by the
activity code within the period's POA when the key was removed, and by the
country column for a part of a shared activity. Headings are recognised in
every language of the site, so a workbook downloaded in Spanish can be
uploaded from the English page. A row whose percent and narrative are both
empty is left out (a report not made yet). Each row carries the version of
its report when the file was made (hidden): a row without a valid version
is refused, and an upload never overwrites a report changed on the site
since. Text neutralised against formula injection on the way out is
restored on the way in; a formula cell whose result the file does not
carry is refused with its row and column.
"""

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from coalicion.core.i18n import localized
from coalicion.core.spreadsheets import (
    UNCOMPUTED,
    SpreadsheetError,
    open_workbook,
    read_rows,
    restore_text,
    write_rows,
)
from coalicion.membership.models import Country
from coalicion.monitoring import actions
from coalicion.monitoring.models import ProgressReport, ReportingPeriod, ReportStatus
from coalicion.monitoring.rules import ReportTarget, may_report
from coalicion.monitoring.selectors import ExpectedReport, reports_of
from coalicion.plans.models import Activity, Responsible
from coalicion.plans.parties import is_shared

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_NARRATIVE = 10_000
TWO_PLACES = Decimal("0.01")

# Column keys and headings, in the order of the sheet.
COLUMNS = [
    ("key", gettext_lazy("Key (do not change)")),
    ("code", gettext_lazy("Activity code")),
    # The country whose part of a shared activity the row reports (its
    # ISO code); empty for an activity reported as a whole.
    ("country", gettext_lazy("Country (part of a shared activity)")),
    ("statement", gettext_lazy("Activity")),
    ("status", gettext_lazy("Status of the report")),
    ("comment", gettext_lazy("Comment of the Secretariat")),
    ("percent", gettext_lazy("Percent complete (0–100)")),
    ("narrative", gettext_lazy("Narrative")),
    # The version of the report when the file was made: an upload never
    # overwrites a report changed on the site since (hidden, like the key).
    ("version", gettext_lazy("Version (do not change)")),
]
WIDTHS = {
    "key": 8,
    "code": 14,
    "country": 18,
    "statement": 60,
    "status": 20,
    "comment": 40,
    "percent": 16,
}


def _headings() -> dict[str, str]:
    """Every heading, in every language of the site, to its column key."""
    known = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for key, label in COLUMNS:
                known[str(label).strip().casefold()] = key
    return known


# --- What a user may report ------------------------------------------------------


@dataclass
class Work:
    """The reports of a period that a person makes."""

    responsible: list[ExpectedReport]

    @property
    def pending(self) -> list[ExpectedReport]:
        return [item for item in self.responsible if item.pending]


def work_of(*, user, period: ReportingPeriod) -> Work:
    """The period's reports the person makes (all of them for the
    Secretariat), with the reports so far. Bounded queries."""
    return Work(responsible=reports_of(user=user, period=period))


# --- Download ------------------------------------------------------------------------


def build_template(*, period: ReportingPeriod, pending: list[ExpectedReport]) -> bytes:
    """The workbook: one sheet of pending activities (key column hidden,
    percent restricted to 0–100), one sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Reports")[:31]
    write_rows(worksheet=sheet, rows=[[label for _key, label in COLUMNS]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = []
    for item in pending:
        report = item.report
        rows.append(
            [
                item.activity.pk,
                item.activity.code,
                item.country.code if item.country else "",
                localized(item.activity, "statement"),
                report.get_status_display() if report else _("Not reported"),
                report.review_comment if report and report.status == ReportStatus.RETURNED else "",
                report.percent if report else None,
                report.narrative if report else "",
                report.version if report else 0,
            ]
        )
    write_rows(worksheet=sheet, rows=rows)
    letters = {key: chr(ord("A") + index) for index, (key, _label) in enumerate(COLUMNS)}
    for key, width in WIDTHS.items():
        sheet.column_dimensions[letters[key]].width = width
    sheet.column_dimensions[letters["narrative"]].width = 80
    sheet.column_dimensions[letters["key"]].hidden = True
    sheet.column_dimensions[letters["version"]].hidden = True
    sheet.freeze_panes = "C2"
    if rows:
        cells = f"{letters['percent']}2:{letters['percent']}{len(rows) + 1}"
        validation = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="100",
            showErrorMessage=True,
            error=_("Enter a number from 0 to 100."),
        )
        validation.add(cells)
        sheet.add_data_validation(validation)
        for row in sheet[cells]:
            for cell in row:
                cell.number_format = "0.00"

    notes = workbook.create_sheet(_("Instructions")[:31])
    write_rows(
        worksheet=notes,
        rows=[
            [_("Progress reports of %(period)s") % {"period": period}],
            [_("POA"), localized(period.operating_plan, "name")],
            [_("Period"), period.start, period.end],
            [_("Reports due"), period.due],
            [],
            [_("Fill in the percent complete (0–100) and the narrative of each activity.")],
            [_("Leave both empty for an activity you do not report now.")],
            [
                _(
                    "A row with a country reports that country's part of an activity that "
                    "every member country carries out on its own."
                )
            ],
            [_("Do not change the key, activity code and country columns, nor the headings.")],
            [
                _(
                    "Upload the file on the page “Upload reports” of the period. If any row is "
                    "wrong, nothing is saved and each wrong row is listed."
                )
            ],
        ],
    )
    notes.column_dimensions["A"].width = 30
    for row in notes.iter_rows(min_row=3, max_row=4, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_filename(period: ReportingPeriod) -> str:
    """In the person's language: informes-2018-T4.xlsx, reports-2018-Q4.xlsx."""
    return _("reports-%(year)s-Q%(number)s.xlsx") % {
        "year": period.operating_plan.year,
        "number": period.number,
    }


# --- Upload ------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    row: int
    activity: Activity
    country: Country | None
    percent: Decimal
    narrative: str
    version: int


@dataclass
class Upload:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: int = 0


class RowError(Exception):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    value = restore_text(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _percent(value) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RowError(_("the percent is missing."))
    if isinstance(value, bool):
        raise RowError(_("percent “%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip().removesuffix("%").strip().replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise RowError(_("percent “%(value)s” is not a number.") % {"value": value})
    if not Decimal(0) <= number <= Decimal(100):
        raise RowError(_("percent %(value)s is outside 0–100.") % {"value": _text(value) or number})
    return number.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _key(value) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not text.isdigit():
        raise RowError(
            _("the key “%(key)s” is not valid; do not change the first column.") % {"key": text}
        )
    return int(text)


def _version(value) -> int:
    """The report's version when the file was made: required, so that an
    upload can never overwrite a report changed on the site since."""
    text = _text(value)
    try:
        number = Decimal(text)
        if not text or number != number.to_integral_value() or number < 0:
            raise ValueError
        return int(number)
    except (ArithmeticError, ValueError):
        raise RowError(
            _(
                "the version “%(version)s” is missing or not valid; do not change the hidden "
                "last column. Download the template again."
            )
            % {"version": text}
        ) from None


def _uncomputed(values: dict, headings: dict[str, str]) -> None:
    """Refuse a row with a formula whose result the file does not carry."""
    for key, value in values.items():
        if value is UNCOMPUTED:
            raise RowError(
                _(
                    "the column “%(column)s” holds a formula without a calculated result; "
                    "type the value itself."
                )
                % {"column": headings.get(key, key)}
            )


def _read(uploaded) -> list[tuple[int, dict[str, object]]]:
    """The rows of the first sheet with their column keys; file-level
    problems raise SpreadsheetError."""
    workbook = open_workbook(uploaded=uploaded)
    formulas = open_workbook(uploaded=uploaded, formulas=True)
    try:
        known = _headings()
        rows = []
        for number, values in read_rows(workbook=workbook, formulas=formulas):
            rows.append(
                (
                    number,
                    {
                        known[heading.casefold()]: value
                        for heading, value in values.items()
                        if heading.casefold() in known
                    },
                )
            )
    finally:
        workbook.close()
        formulas.close()
    return rows


def _candidates(rows, period: ReportingPeriod):
    """Every activity a row could mean, by key or by code (any POA), with
    what `rules.may_report` needs, the countries named and the period's
    reports, in a fixed number of queries."""
    keys, codes = set(), set()
    for _number, values in rows:
        try:
            key = _key(values.get("key"))
        except RowError:
            key = None
        if key is not None:
            keys.add(key)
        code = _text(values.get("code"))
        if code:
            codes.add(code)
    responsibles = Responsible.objects.select_related(
        "organ", "country", "committee"
    ).prefetch_related("committee__members", "committee__countries")
    activities = list(
        Activity.objects.filter(Q(pk__in=keys) | Q(code__in=codes))
        .select_related("objective__operating_plan")
        .prefetch_related(Prefetch("responsibles", queryset=responsibles))
    )
    reports = {
        (r.activity_id, r.country_id): r
        for r in ProgressReport.objects.filter(
            period=period, activity_id__in=[a.pk for a in activities]
        )
    }
    countries = {c.code: c for c in Country.objects.all()}
    return activities, reports, countries


def _country_of(values, activity: Activity, countries: dict) -> Country | None:
    code = _text(values.get("country")).upper()
    shared = is_shared(activity.responsibles.all())
    if not shared:
        if code:
            raise RowError(
                _("activity %(code)s is reported as a whole: leave its country empty.")
                % {"code": activity.code}
            )
        return None
    if not code:
        raise RowError(
            _(
                "activity %(code)s is shared by the member countries: the country column "
                "must say whose part the row reports."
            )
            % {"code": activity.code}
        )
    if code not in countries:
        raise RowError(_("unknown country “%(country)s”.") % {"country": code})
    return countries[code]


def _check_row(values, *, user, period, by_pk, by_code, reports, countries, seen, number):
    """The row's activity, country, percent, narrative and version; raises
    RowError saying what is wrong."""
    _uncomputed(values, {key: str(label) for key, label in COLUMNS})
    activity = _activity_of(values, by_pk, by_code, period.operating_plan)
    country = _country_of(values, activity, countries)
    what = activity.code if country is None else f"{activity.code} ({country.code})"
    if (activity.pk, getattr(country, "pk", None)) in seen:
        raise RowError(
            _("activity %(code)s appears again (first in row %(first)s).")
            % {"code": what, "first": seen[(activity.pk, getattr(country, "pk", None))]}
        )
    seen[(activity.pk, getattr(country, "pk", None))] = number
    if activity.cancelled or activity.objective.cancelled:
        raise RowError(_("activity %(code)s is cancelled.") % {"code": activity.code})
    if not may_report(user, ReportTarget(activity, country)):
        raise RowError(_("activity %(code)s is not your responsibility.") % {"code": what})
    if period.is_closed:
        raise RowError(
            _("the period %(period)s is closed; its reports can no longer change.")
            % {"period": period}
        )
    report = reports.get((activity.pk, getattr(country, "pk", None)))
    if report is not None and report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise RowError(
            _("the report on activity %(code)s was already %(status)s.")
            % {"code": what, "status": report.get_status_display().lower()}
        )
    version = _version(values.get("version"))
    if version != (report.version if report else 0):
        raise RowError(
            _(
                "the report on activity %(code)s was changed on the site after this "
                "file was made; download the template again so as not to overwrite it."
            )
            % {"code": what}
        )
    percent = _percent(values.get("percent"))
    narrative = _text(values.get("narrative"))
    if len(narrative) > MAX_NARRATIVE:
        raise RowError(
            _("the narrative is longer than %(limit)s characters.") % {"limit": MAX_NARRATIVE}
        )
    return ParsedRow(
        row=number,
        activity=activity,
        country=country,
        percent=percent,
        narrative=narrative,
        version=version,
    )


def parse_upload(*, uploaded, user, period: ReportingPeriod) -> Upload:
    """Check every row of an uploaded workbook; saves nothing.

    Raises SpreadsheetError when the file itself is refused (not an .xlsx,
    too large, unsafe, without the needed columns)."""
    rows = _read(uploaded)
    present = set()
    for _number, values in rows:
        present.update(values)
    if rows and not ({"percent", "narrative"} <= present and present & {"key", "code"}):
        raise SpreadsheetError(
            _(
                "The first sheet must keep the headings of the template: “%(code)s”, "
                "“%(percent)s” and “%(narrative)s”. Download the template again."
            )
            % {
                "code": dict(COLUMNS)["code"],
                "percent": dict(COLUMNS)["percent"],
                "narrative": dict(COLUMNS)["narrative"],
            }
        )
    activities, reports, countries = _candidates(rows, period)
    by_pk = {a.pk: a for a in activities}
    by_code: dict[str, list[Activity]] = {}
    for activity in activities:
        by_code.setdefault(activity.code, []).append(activity)

    result = Upload()
    seen: dict = {}
    for number, values in rows:
        if _text(values.get("percent")) == "" and _text(values.get("narrative")) == "":
            result.skipped += 1
            continue
        try:
            result.rows.append(
                _check_row(
                    values,
                    user=user,
                    period=period,
                    by_pk=by_pk,
                    by_code=by_code,
                    reports=reports,
                    countries=countries,
                    seen=seen,
                    number=number,
                )
            )
        except RowError as error:
            result.errors.append(
                _("Row %(row)s: %(problem)s") % {"row": number, "problem": error.args[0]}
            )
    return result


def _activity_of(values, by_pk, by_code, poa) -> Activity:
    key = _key(values.get("key"))
    code = _text(values.get("code"))
    if key is not None:
        activity = by_pk.get(key)
        if activity is None:
            raise RowError(_("unknown activity (key %(key)s).") % {"key": key})
        if code and code != activity.code:
            raise RowError(
                _(
                    "the activity code “%(code)s” does not match the row's key; "
                    "do not change the key and code columns."
                )
                % {"code": code}
            )
    else:
        if not code:
            raise RowError(_("the activity code is missing."))
        matches = by_code.get(code, [])
        activity = next((a for a in matches if a.objective.operating_plan_id == poa.pk), None)
        if activity is None and not matches:
            raise RowError(_("unknown activity code “%(code)s”.") % {"code": code})
        activity = activity or matches[0]
    if activity.objective.operating_plan_id != poa.pk:
        raise RowError(
            _(
                "activity %(code)s belongs to the POA %(other)s, "
                "not to the POA %(year)s of this period."
            )
            % {
                "code": activity.code,
                "other": activity.objective.operating_plan.year,
                "year": poa.year,
            }
        )
    return activity


@transaction.atomic
def save_upload(*, actor, period: ReportingPeriod, rows: list[ParsedRow], submit: bool) -> int:
    """Save every checked row as a draft (or submitted), all or none."""
    for row in rows:
        try:
            actions.save_report(
                actor=actor,
                activity=row.activity,
                country=row.country,
                period=period,
                percent=row.percent,
                narrative=row.narrative,
                version=row.version,
                submit=submit,
            )
        except ValidationError as error:
            # Changed between the check and the save (somebody submitted it).
            raise ValidationError(
                _("Row %(row)s: %(problem)s")
                % {"row": row.row, "problem": " ".join(error.messages)}
            ) from error
    return len(rows)
