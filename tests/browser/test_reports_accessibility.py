"""The reports' pages (issue 15) pass axe-core with no critical or serious
violation, on a desktop and on a 390 px phone: the archive with its forms
(also after a failed submit, with its error summary), and the page of a
report both while its job is queued and once it is ready."""

import datetime

import pytest
from playwright.sync_api import expect

from coalicion.core.tests.files import PDF_BYTES
from tests.browser.test_workspace_layout import AXE, AXE_RUN, DESKTOP, PHONE

pytestmark = pytest.mark.browser

SECRETARIAT = "secretaria.pa@test.invalid"


@pytest.fixture
def reports(loaded_plan, make_user):
    """The Secretariat of Panamá (2018–2019), a report ready and one queued."""
    from coalicion.membership.models import Country, Organ, OrganTerm
    from coalicion.reports.models import IssuedReport, sha256

    panama = Country.objects.get(code="PA")
    term = OrganTerm.objects.create(
        organ=Organ.objects.get(code="secretariat"),
        country=panama,
        start=datetime.date(2018, 1, 1),
        end=datetime.date(2019, 12, 31),
    )
    OrganTerm.objects.create(  # Panamá holds the Secretariat today
        organ=Organ.objects.get(code="secretariat"), country=panama, start="2020-01-01"
    )
    user = make_user(SECRETARIAT, country=panama)

    def issued(**fields):
        return IssuedReport.objects.create(
            kind=IssuedReport.Kind.ACCOUNTABILITY,
            plan=loaded_plan,
            term=term,
            start=term.start,
            end=term.end,
            as_of=datetime.date(2026, 1, 1),
            language="es",
            requested_by=user,
            **fields,
        )

    ready = issued(
        status=IssuedReport.Status.DONE,
        pdf=PDF_BYTES,
        pdf_sha256=sha256(PDF_BYTES),
        finished_at=datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC),
    )
    queued = issued(status=IssuedReport.Status.QUEUED)
    return {"ready": ready, "queued": queued}


def _violations(page, label: str) -> list[str]:
    page.wait_for_load_state("load")
    page.add_script_tag(url=AXE)
    return [f"{label}: {violation}" for violation in page.evaluate(AXE_RUN)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_report_pages_have_no_serious_accessibility_violation(page, sign_in, reports, viewport):
    page.set_viewport_size(viewport)
    sign_in(SECRETARIAT)
    problems = []
    page.goto("/es/reports/")
    problems += _violations(page, "archive")

    section = page.locator(
        "section", has=page.get_by_role("heading", name="Emitir un informe de rendición de cuentas")
    )
    section.get_by_role("button", name="Generar").click()
    # The date of the data is today's (shown in the date field), the term is missing.
    expect(page.get_by_role("alert").filter(has_text="No se guardó nada")).to_be_visible()
    expect(
        page.get_by_text(
            "Elija un período de funciones de la Secretaría Técnica o indique ambas fechas"
        )
    ).to_have_count(1)
    problems += _violations(page, "archive after a failed submit")

    page.goto(reports["queued"].get_absolute_url())
    expect(page.get_by_role("heading", name="En cola")).to_be_visible()
    problems += _violations(page, "queued report")

    page.goto(reports["ready"].get_absolute_url())
    expect(page.get_by_role("link", name="Informe (PDF)")).to_be_visible()
    problems += _violations(page, "ready report")
    assert not problems, "\n".join(problems)
