"""Reports (issue 15) in a real browser, in Spanish: the Secretariat issues
the accountability report of its term; the job generates it and the page,
which follows its status, offers the PDF and the XLSX with their SHA-256.
The pages' content fits a 390 px wide screen."""

import datetime

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SECRETARIAT = "secretaria.pa@test.invalid"


@pytest.fixture
def secretariat(loaded_plan, make_user):
    from coalicion.membership.models import Country, Organ, OrganTerm

    panama = Country.objects.get(code="PA")
    OrganTerm.objects.create(
        organ=Organ.objects.get(code="secretariat"),
        country=panama,
        start=datetime.date(2018, 1, 1),
        end=datetime.date(2019, 12, 31),
    )
    OrganTerm.objects.create(
        organ=Organ.objects.get(code="secretariat"), country=panama, start="2020-01-01"
    )
    return make_user(SECRETARIAT, country=panama)


def too_wide(page: Page) -> list[str]:
    """The elements of the page's content that reach past a 390 px screen
    (the site's header is the layout's, not this page's)."""
    return page.evaluate(
        "[...document.querySelectorAll('main *')]"
        ".filter(e => e.getBoundingClientRect().right > 391)"
        ".map(e => e.tagName + '.' + e.className + ' '"
        " + Math.round(e.getBoundingClientRect().right))"
    )


def test_the_secretariat_issues_the_report_of_its_term(page: Page, sign_in, secretariat):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(SECRETARIAT)
    page.goto("/es/reports/")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Emitir un informe de rendición de cuentas")
    )
    section.get_by_label("Período de funciones de la Secretaría Técnica").select_option(
        label="Secretaría Técnica a cargo de Panamá, 2018–2019"
    )
    section.get_by_label("Datos al").fill("2026-12-01")
    section.get_by_role("button", name="Generar").click()
    expect(page.get_by_role("heading", name="Informe de rendición de cuentas")).to_be_visible()
    expect(page.get_by_role("heading", name="Listo")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("link", name="Informe (PDF)")).to_be_visible()
    expect(page.get_by_role("link", name="Tablas (XLSX)")).to_be_visible()
    assert not too_wide(page), f"the report's page is wider than the screen: {too_wide(page)}"
    page.goto("/es/reports/")
    assert not too_wide(page), f"the archive is wider than the screen: {too_wide(page)}"
    expect(page.get_by_text("datos al 1 de diciembre de 2026")).to_be_visible()
