"""A visitor browses the plan in Spanish, switches to English, and searches the glossary."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_visitor_browses_the_plan_in_spanish_and_then_in_english(page, loaded_plan):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/es/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Visión")).to_be_visible()
    expect(page.get_by_text("Ser referente a nivel regional")).to_be_visible()

    page.get_by_role("link", name="Eje 2: Atención integral").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Atención integral")
    expect(page.get_by_text("Resultado 2.1").first).to_be_visible()
    expect(page.get_by_text("Número de Estrategias nacionales elaboradas")).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/en/plans/pe-2018-2027/axes/2/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Comprehensive care")
    expect(page.get_by_text(loaded_plan.axes.get(code="2").description_en[:40])).to_be_visible()

    page.get_by_role("link", name="Operating plans").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annual Operating Plan 2018")
    expect(page.get_by_text("Technical Secretariat").first).to_be_visible()

    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan Operativo Anual 2018")


def test_a_visitor_searches_the_glossary_as_they_type(page, loaded_plan):
    page.goto("/es/legal/glossary/")
    terms = page.locator("dl.glossary dt")
    total = terms.count()
    assert total == loaded_plan.glossary.count()
    page.get_by_label("Buscar en el glosario").fill("repatriacion")
    expect(terms).not_to_have_count(total)
    expect(page.locator("dl.glossary")).to_contain_text("Repatriación")
    expect(page).to_have_url(re.compile(r"q=repatriacion"))
