"""Every main page of each role works on a phone (390 px: no horizontal
scroll of the page, a menu that opens) and passes axe-core with no
critical or serious violation, on a phone and on a desktop (issue 12)."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from coalicion.composition import demo
from tests.browser.workspace_pages import ROLES, main_pages, session_cookie

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AXE = "/static/vendor/axe-core/axe.min.js"

# The page is as wide as the screen: a wide table scrolls in its own region.
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => v.id + " (" + v.impact + "): "
      + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
}"""


@pytest.fixture
def demo_site(loaded_plan, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / ".demo-credentials")
    return demo.set_up_demo()


def _context(browser, live_server, role, viewport):
    context = browser.new_context(locale="es-ES", base_url=live_server.url, viewport=viewport)
    context.add_cookies(session_cookie(role, live_server.url))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    return context, page


def test_no_main_page_scrolls_sideways_on_a_phone(browser, live_server, demo_site):
    problems = []
    for role in ROLES:
        context, page = _context(browser, live_server, role, PHONE)
        for path in main_pages(role):
            response = page.goto(path)
            assert response.status == 200, f"{path} as {role}: {response.status}"
            page.wait_for_load_state("load")
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                problems.append(f"{path} as {role}: {overflow} px too wide")
        assert not page.errors, page.errors
        context.close()
    assert not problems, "\n".join(problems)


def test_the_menu_opens_on_a_phone_and_is_always_shown_on_a_desktop(
    browser, live_server, demo_site
):
    context, page = _context(browser, live_server, "secretariat", PHONE)
    page.goto("/es/my-work/")
    link = page.get_by_role("link", name="Acuerdos", exact=True)
    expect(link).to_be_hidden()
    page.get_by_text("Menú", exact=True).click()
    expect(link).to_be_visible()
    page.keyboard.press("Escape")
    expect(link).to_be_hidden()
    context.close()
    context, page = _context(browser, live_server, "secretariat", DESKTOP)
    page.goto("/es/my-work/")
    expect(page.get_by_role("link", name="Acuerdos", exact=True)).to_be_visible()
    expect(page.get_by_text("Menú", exact=True)).to_be_hidden()
    context.close()


def test_a_wide_table_scrolls_in_a_labelled_region_the_keyboard_reaches(
    browser, live_server, demo_site
):
    context, page = _context(browser, live_server, "secretariat", PHONE)
    page.goto("/es/monitoring/matrix/")
    region = page.locator(".table-scroll[tabindex='0'], .overflow-auto[tabindex='0']").first
    expect(region).to_have_attribute("role", "region")
    assert region.get_attribute("aria-label") or region.get_attribute("aria-labelledby")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # The browser may scroll smoothly: wait (up to 5 s) for the region to move.
    region.evaluate(
        """box => new Promise((resolve, reject) => {
            const started = Date.now();
            (function check() {
                if (box.scrollLeft > 0) return resolve(true);
                if (Date.now() - started > 5000) return reject(new Error("did not scroll"));
                requestAnimationFrame(check);
            })();
        })"""
    )
    assert region.evaluate("box => box.scrollLeft") > 0
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_main_pages_have_no_serious_accessibility_violation(
    browser, live_server, demo_site, viewport
):
    problems = []
    for role in ROLES:
        context, page = _context(browser, live_server, role, viewport)
        for path in main_pages(role):
            page.goto(path)
            page.wait_for_load_state("load")
            page.add_script_tag(url=AXE)
            for violation in page.evaluate(AXE_RUN):
                problems.append(f"{path} as {role}: {violation}")
        context.close()
    assert not problems, "\n".join(problems)


def test_axe_is_vendored():
    assert (settings.BASE_DIR / "coalicion/static/vendor/axe-core/axe.min.js").exists()
