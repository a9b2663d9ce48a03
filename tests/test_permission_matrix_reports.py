"""The reports' URLs in the permission matrix (tests/test_permission_matrix.py):
the Secretariat and the Presidency issue reports; members read the archive
and every report; observers read the archive and the reports marked for them."""

import datetime

import pytest

from coalicion.core.tests.files import PDF_BYTES
from tests.test_permission_matrix import (
    CHAIR,
    DENY,
    LOGIN,
    MATRIX,
    MEMBERS,
    OK,
    PUBLIC,
    ROLES,
    Row,
    client_for,
    expect,
    fixtures,  # noqa: F401
    outcome,
    resolve_url,
)

SIGNED_IN = expect(LOGIN, OK, OK, OK, OK, OK)

REPORTS_MATRIX = {
    # Members and observers read the archive; the Secretariat and the
    # Presidency issue (a POST with no data is answered with the form's errors).
    "reports:archive": Row(SIGNED_IN, write=expect(LOGIN, DENY, DENY, DENY, OK, OK)),
    "reports:report": Row(MEMBERS, args=lambda f: (f["report"].pk,)),
    "reports:download": Row(MEMBERS, args=lambda f: (f["report"].pk, "pdf")),
    # The POA is public (as its page); the matrix is read by everyone with an account.
    "reports:poa_document": Row(PUBLIC, args=(2018, "pdf")),
    "reports:matrix_pdf": Row(SIGNED_IN, args=(2018,)),
}
OPEN = {
    "reports:report": Row(SIGNED_IN, args=lambda f: (f["open_report"].pk,)),
    "reports:download": Row(SIGNED_IN, args=lambda f: (f["open_report"].pk, "xlsx")),
}

# The shared matrix must know every URL: the reports' rows are added to it.
MATRIX.update(REPORTS_MATRIX)


@pytest.fixture
def report_fixtures(fixtures, plan):  # noqa: F811
    from coalicion.reports.models import IssuedReport, sha256

    def made(open_to_observers):
        return IssuedReport.objects.create(
            kind=IssuedReport.Kind.ACCOUNTABILITY,
            plan=plan,
            start=datetime.date(2018, 1, 1),
            end=datetime.date(2019, 12, 31),
            as_of=datetime.date(2026, 1, 1),
            language="es",
            status=IssuedReport.Status.DONE,
            open_to_observers=open_to_observers,
            pdf=PDF_BYTES,
            pdf_sha256=sha256(PDF_BYTES),
            xlsx=b"PK test",
            xlsx_sha256="0" * 64,
        )

    return {**fixtures, "report": made(False), "open_report": made(True)}


def _check(name, row, report_fixtures, client):
    url = resolve_url(name, row, report_fixtures)
    problems = []
    for role in ROLES:
        user = report_fixtures["users"][role]
        got = outcome(client_for(type(client), user).get(url, row.query))
        if got != row.read[role]:
            problems.append(f"GET as {role}: {got}, expected {row.read[role]}")
        if row.write is not None:
            got = outcome(client_for(type(client), user).post(url, {}))
            if got != row.write[role]:
                problems.append(f"POST as {role}: {got}, expected {row.write[role]}")
    assert not problems, f"{url}: " + "; ".join(problems)


@pytest.mark.parametrize("name", sorted(REPORTS_MATRIX))
def test_who_may_read_and_issue_reports(name, report_fixtures, client):
    _check(name, REPORTS_MATRIX[name], report_fixtures, client)


@pytest.mark.parametrize("name", sorted(OPEN))
def test_observers_read_the_reports_marked_for_them(name, report_fixtures, client):
    _check(name, OPEN[name], report_fixtures, client)


def test_chair_is_who_issues():
    assert REPORTS_MATRIX["reports:archive"].write == CHAIR
