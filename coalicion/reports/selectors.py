"""Reads of the reports app: the periods a report may cover and the archive,
scoped by what the person may see."""

import datetime
import re

from django.utils.translation import gettext as _

from coalicion.core.i18n import localized
from coalicion.membership.models import Organ, OrganTerm
from coalicion.membership.roles import roles_of
from coalicion.monitoring import rollup
from coalicion.reports.assembly import Period, term_period, years_period
from coalicion.reports.models import IssuedReport

YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–/]\s*(\d{4}))?\s*$")


class PeriodError(ValueError):
    """The period asked for does not exist; the message says why."""


def secretariat_terms() -> list[OrganTerm]:
    """The Secretariat's terms, the periods of the biennial report (one query)."""
    return rollup.secretariat_terms()


def term_label(term: OrganTerm) -> str:
    end = term.end.year if term.end else "…"
    return _("Secretariat of %(country)s, %(start)s–%(end)s") % {
        "country": localized(term.country, "name"),
        "start": term.start.year,
        "end": end,
    }


def organ_terms() -> list[OrganTerm]:
    """The terms of the Presidency and the Secretariat, newest first (one query)."""
    return list(
        OrganTerm.objects.filter(organ__code__in=[Organ.Code.PRESIDENCY, Organ.Code.SECRETARIAT])
        .select_related("organ", "country")
        .order_by("-start", "organ__code")
    )


def organ_term_label(term: OrganTerm) -> str:
    end = term.end.year if term.end else "…"
    return _("%(organ)s of %(country)s, %(start)s–%(end)s") % {
        "organ": localized(term.organ, "name"),
        "country": localized(term.country, "name"),
        "start": term.start.year,
        "end": end,
    }


def find_organ_term(organ_code: str, raw: str, *, as_of: datetime.date) -> OrganTerm:
    """A term of the Presidency or the Secretariat (`organ_code`): by its id
    ("3"), by years ("2018-2019": the first term that overlaps them), or,
    when `raw` is empty, the latest term begun by `as_of`."""
    terms = sorted((t for t in organ_terms() if t.organ.code == organ_code), key=lambda t: t.start)
    raw = (raw or "").strip()
    match = YEARS.match(raw)
    if not raw:
        found = next((t for t in reversed(terms) if t.start <= as_of), None)
    elif match:
        start = datetime.date(int(match.group(1)), 1, 1)
        end = datetime.date(int(match.group(2) or match.group(1)), 12, 31)
        found = next(
            (t for t in terms if t.start <= end and (t.end is None or t.end >= start)), None
        )
    elif raw.isdigit():
        found = next((t for t in terms if t.pk == int(raw)), None)
    else:
        raise PeriodError(
            _("“%(value)s” is neither a term (its number) nor years such as 2018-2019.")
            % {"value": raw}
        )
    if found is None:
        raise PeriodError(
            _("No term of the %(organ)s matches “%(value)s”.")
            % {"organ": Organ.Code(organ_code).label, "value": raw or as_of.isoformat()}
        )
    return found


def find_period(raw: str, *, as_of: datetime.date) -> Period:
    """A Secretariat term by its id ("3"), or years ("2018-2019", "2020")."""
    raw = (raw or "").strip()
    match = YEARS.match(raw)
    if match:
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise PeriodError(
                _("The last year comes before the first: “%(value)s”.") % {"value": raw}
            )
        return years_period(first, last)
    if raw.isdigit():
        term = next((t for t in secretariat_terms() if t.pk == int(raw)), None)
        if term is None:
            raise PeriodError(_("There is no Secretariat term number %(value)s.") % {"value": raw})
        return term_period(term, as_of=as_of)
    raise PeriodError(
        _("“%(value)s” is neither a Secretariat term (its number) nor years such as 2018-2019.")
        % {"value": raw}
    )


def date_range(start: datetime.date, end: datetime.date) -> Period:
    return Period(start=start, end=end)


def archive(*, user) -> list[IssuedReport]:
    """The issued reports the person may see, newest first, without their
    files (one query)."""
    reports = IssuedReport.objects.defer("pdf", "xlsx").select_related(
        "requested_by", "term__country"
    )
    roles = roles_of(user)
    if not roles.is_member:
        reports = reports.filter(open_to_observers=True)
    return list(reports)
