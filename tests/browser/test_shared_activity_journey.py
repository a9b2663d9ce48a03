"""Issue 10's journey: Guatemala's focal point reports Guatemala's part of an
activity every member country carries out, with evidence; the Secretariat
validates it; the dashboard filtered by Guatemala counts it, with the same
figure the roll-up gives."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from coalicion.core.tests.files import PDF_BYTES

pytestmark = pytest.mark.browser

FOCAL_POINT = "enlace.gt@test.invalid"
SECRETARIAT = "secretaria.pa@test.invalid"
SHARED = "2.1.2-1"  # "los órganos nacionales de los países miembros"


@pytest.fixture
def people(loaded_plan, make_user, settings, tmp_path):
    from coalicion.membership.models import Country, Organ, OrganTerm
    from coalicion.monitoring.actions import create_quarterly_periods

    settings.MEDIA_ROOT = tmp_path / "media"
    countries = {c.code: c for c in Country.objects.all()}
    OrganTerm.objects.create(
        organ=Organ.objects.get(code="secretariat"), country=countries["PA"], start="2018-01-01"
    )
    make_user(FOCAL_POINT, country=countries["GT"])
    make_user(SECRETARIAT, country=countries["PA"])
    poa = loaded_plan.operating_plans.get(year=2018)
    return create_quarterly_periods(operating_plan=poa)[1]


def test_a_country_reports_its_part_and_the_dashboard_counts_it(page, sign_in, people):
    from coalicion.monitoring import dashboards
    from coalicion.monitoring.models import ProgressReport, ReportStatus
    from coalicion.plans.models import Plan

    period = people
    sign_in(FOCAL_POINT)
    page.goto(f"/es/monitoring/reports/?period={period.pk}")
    expect(page.get_by_role("cell", name="Parte de Guatemala").first).to_be_visible()
    page.get_by_role("link", name=re.compile(rf"Redactar el informe · {re.escape(SHARED)}")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guatemala")
    page.get_by_label("Porcentaje de avance").fill("60")
    page.get_by_label("Narrativa").fill("Mesa interinstitucional instalada (dato sintético).")
    page.get_by_label("Archivos de evidencia (medios de verificación)").set_input_files(
        files=[{"name": "acta-mesa.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="Enviar a la Secretaría Técnica").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"El informe de Guatemala sobre la actividad {SHARED} se envió a la Secretaría Técnica"
    )
    report = ProgressReport.objects.get(activity__code=SHARED, country__code="GT")
    assert report.status == ReportStatus.SUBMITTED and report.evidence.count() == 1

    page.get_by_role("button", name="Cerrar sesión").click()
    sign_in(SECRETARIAT)
    page.goto("/es/monitoring/reports/review/")
    item = page.locator(f"#report-{report.pk}-title").locator("xpath=ancestor::article")
    expect(item).to_contain_text("Guatemala")
    expect(item.get_by_role("link", name=re.compile("acta-mesa.pdf"))).to_be_visible()
    item.get_by_role("button", name="Validar").click()
    expect(page.locator(f"#report-{report.pk}-title")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED

    page.goto("/es/monitoring/?year=2018&country=GT")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Guatemala")
    data = dashboards.dashboard(
        plan=Plan.objects.get(),
        year=2018,
        as_of=datetime.date.today(),
        country_id=report.country_id,
    )
    row = next(r for r in dashboards.country_rows(data) if r["code"] == "GT")
    assert row["progress"] > 0
    guatemala = page.locator("table tr").filter(has=page.get_by_role("rowheader", name="Guatemala"))
    expect(guatemala.first).to_be_visible()
    assert guatemala.first.locator("td").last.inner_text().strip() != "0 %"
