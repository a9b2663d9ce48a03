"""Browser tests: Playwright driving Debian's Chromium against a live server."""

import os
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from coalicion.composition.planfile import load_plan
from conftest import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the test's ORM
# calls happen outside it, which Django cannot tell apart.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="es-ES", base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.reported_errors = errors  # a test that expects an error page removes its entry
    yield page
    context.close()
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture
def loaded_plan(transactional_db):
    return load_plan(path=settings.COALICION_PLAN_FILE).plan


@pytest.fixture(autouse=True)
def site_url(settings, live_server):
    """Links in e-mails (an invitation) lead to the live server the browser uses."""
    settings.SITE_URL = live_server.url


# The sign-in form's field labels and buttons in each language of the site.
SIGN_IN_FORM = {
    "es": ("Correo electrónico", "Contraseña", "Iniciar sesión", "Cerrar sesión"),
    "en": ("Email", "Password", "Sign in", "Sign out"),
}


@pytest.fixture
def sign_in(page):
    """sign_in(email, password=TEST_PASSWORD, language="es"): sign in through
    the form, as a person does, and wait until the site has signed them in."""

    def sign(email: str, password: str = TEST_PASSWORD, *, language: str = "es") -> None:
        email_label, password_label, button, sign_out = SIGN_IN_FORM[language]
        page.goto(f"/{language}/accounts/login/")
        page.get_by_label(email_label).fill(email)
        page.get_by_label(password_label).fill(password)
        page.get_by_role("button", name=button).click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        # On a phone the button is inside the collapsed menu: present, not shown.
        expect(page.get_by_role("button", name=sign_out, include_hidden=True)).to_be_attached()

    return sign


@pytest.fixture
def sign_out(page):
    """sign_out(language="es"): open the menu if it is collapsed (a phone's
    width), then sign out as a person does."""

    def leave(*, language: str = "es") -> None:
        button = page.get_by_role("button", name=SIGN_IN_FORM[language][3])
        if not button.is_visible():
            page.locator(".site-menu > summary").click()
        button.click()
        expect(page.get_by_role("button", name=SIGN_IN_FORM[language][3])).to_have_count(0)

    return leave
