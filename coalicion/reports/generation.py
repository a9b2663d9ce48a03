"""Making the files of a report: the data once, then the PDF and the XLSX
from it, in the report's language. `steps` is told what is being done (the
command prints it; the job stores it for the page that polls)."""

import datetime
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _

from coalicion.plans.models import Plan
from coalicion.reports import assembly, document, workbook
from coalicion.reports.assembly import Period


def _quiet(step: str) -> None:
    pass


def build(
    *,
    plan: Plan,
    period: Period,
    as_of: datetime.date,
    lang: str,
    xlsx: bool = True,
    steps: Callable[[str], None] = _quiet,
) -> tuple[bytes, bytes | None, dict]:
    """(PDF, XLSX or None, the data) of the accountability report."""
    with translation.override(lang):
        steps(_("Reading the figures…"))
        data = assembly.accountability_data(plan=plan, period=period, as_of=as_of, lang=lang)
        steps(_("Drawing the charts and composing the PDF…"))
        pdf = document.accountability_pdf(data)
        spreadsheet = None
        if xlsx:
            steps(_("Writing the XLSX tables…"))
            spreadsheet = workbook.accountability_xlsx(data)
    return pdf, spreadsheet, data


def build_term(
    *,
    plan: Plan,
    term,
    as_of: datetime.date,
    lang: str,
    xlsx: bool = True,
    steps: Callable[[str], None] = _quiet,
) -> tuple[bytes, bytes | None, dict]:
    """(PDF, XLSX or None, the data) of the end-of-term report of `term`."""
    from coalicion.reports import term as term_report

    with translation.override(lang):
        steps(_("Reading the figures…"))
        data = term_report.term_data(plan=plan, term=term, as_of=as_of, lang=lang)
        steps(_("Composing the PDF…"))
        pdf = term_report.term_pdf(data)
        spreadsheet = None
        if xlsx:
            steps(_("Writing the XLSX tables…"))
            spreadsheet = workbook.term_xlsx(data)
    return pdf, spreadsheet, data
