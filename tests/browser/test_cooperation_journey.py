"""Cooperation (issue 14) in a real browser: Costa Rica's focal point
records a stage change with its evidence, and the country profile shows
the new stage — to the public too, now that the instrument is approved.

English pages (/en/), so that the texts checked are the msgids."""

import datetime
import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from coalicion.core.tests.files import PDF_BYTES

pytestmark = pytest.mark.browser

FOCAL_POINT = "focal.cr@test.invalid"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Page) -> list[str]:
    """axe-core's violations on the page (evaluated through the browser's
    developer protocol, which the page's CSP does not restrict)."""
    page.evaluate(AXE.read_text() + "\n;0")
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return list(found)


def overflowing(page: Page) -> list[str]:
    """What sticks out of the page's width in its main part (a table in a
    scrolling box scrolls by itself; the site's menus are the layout's)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main *')]
          .filter(e => !e.closest('.overflow-auto') && !e.closest('nav.subnav'))
          .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .map(e => e.tagName + ' ' + (e.id || e.className))"""
    )


@pytest.fixture
def instrument(loaded_plan, make_user, settings, tmp_path):
    from coalicion.cooperation import actions
    from coalicion.cooperation.instrument_types import add_default_types
    from coalicion.cooperation.models import InstrumentType
    from coalicion.membership.models import Country

    settings.MEDIA_ROOT = tmp_path / "media"
    add_default_types(InstrumentType)  # the live server's database was flushed
    cr = Country.objects.get(code="CR")
    focal_point = make_user(FOCAL_POINT, country=cr)
    return actions.create_instrument(
        actor=focal_point,
        type=InstrumentType.objects.get(code="national-repatriation-protocol"),
        country=cr,
        title="Protocolo nacional de repatriación de prueba",
        title_en="Test national repatriation protocol",
        stage=loaded_plan.milestone_stages.get(code="drafted"),
        day=datetime.date(2022, 3, 1),
    )


def test_a_stage_change_with_evidence_shows_on_the_country_profile(
    page: Page, sign_in, sign_out, instrument, tmp_path
):
    evidence = tmp_path / "decreto.pdf"
    evidence.write_bytes(PDF_BYTES)
    page.set_default_timeout(15_000)

    # Before: the public profile does not list a draft, but says one is hidden.
    page.goto("/en/members/CR/")
    expect(
        page.get_by_text("1 instrument not yet approved is seen by members only.")
    ).to_be_visible()

    sign_in(FOCAL_POINT, language="en")
    page.goto("/en/cooperation/")
    page.get_by_role("link", name="Test national repatriation protocol").click()
    page.get_by_label("New stage").select_option(label="Approved")
    page.get_by_label("Date of the change").fill("2024-05-10")
    page.get_by_label("Approving act or document").fill("Decreto ejecutivo 45-2024")
    page.get_by_label("Evidence files").set_input_files(str(evidence))
    page.get_by_role("button", name="Record the change").click()
    expect(page.get_by_text("The stage change was recorded.")).to_be_visible()
    history = page.locator(".stage-history li").last
    expect(history).to_contain_text("Decreto ejecutivo 45-2024")
    expect(history.get_by_role("link", name="decreto.pdf")).to_be_visible()
    assert axe_violations(page) == []

    page.goto("/en/members/CR/")
    section = page.locator("#section-instruments")
    expect(section).to_contain_text("Test national repatriation protocol")
    expect(section).to_contain_text("Approved")
    assert axe_violations(page) == []

    # At 390 px the profile's and the registry's content fit the width.
    page.set_viewport_size({"width": 390, "height": 844})
    assert overflowing(page) == []
    page.goto("/en/cooperation/")
    assert overflowing(page) == []

    # The public sees it too, now that it is approved.
    sign_out(language="en")
    page.goto("/en/members/CR/")
    expect(page.locator("#section-instruments")).to_contain_text("Approved")
    assert json.dumps(page.reported_errors) == "[]"
