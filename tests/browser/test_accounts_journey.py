"""The Secretariat invites a focal point, who sets a password, sets up
two-factor authentication and reaches their country's pages."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def current_code(secret: str) -> str:
    """The code of this 30-second period; near its end, wait for the next one
    so that the server checks it within the same period."""
    remaining = 30 - time.time() % 30
    if remaining < 6:
        time.sleep(remaining + 0.5)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def set_up_two_factor(page, password):
    """allauth asks for the password again before a second factor is added."""
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirmar acceso")
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Confirmar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("aplicación de autenticación")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Código del autenticador").fill(current_code(secret))
    page.get_by_role("button", name="Activar").click()


@pytest.fixture
def secretariat(loaded_plan, make_user):
    from coalicion.membership.models import Country, Organ, OrganTerm

    panama = Country.objects.get(code="PA")
    OrganTerm.objects.create(
        organ=Organ.objects.get(code="secretariat"), country=panama, start="2020-01-01"
    )
    return make_user("secretaria@test.invalid", country=panama)


def test_an_invited_focal_point_signs_in_with_two_factor_authentication(
    page, sign_in, secretariat, mailoutbox, settings
):
    settings.MFA_REQUIRED = True
    sign_in("secretaria@test.invalid")
    # The Secretariat has no second factor yet either: it is asked to set one up.
    set_up_two_factor(page, TEST_PASSWORD)

    page.goto("/es/users/invite/")
    page.get_by_label("Correo electrónico").fill("nueva.enlace@test.invalid")
    page.get_by_label("Nombre").fill("Nueva")
    page.get_by_label("Apellidos").fill("Enlace")
    page.get_by_label("Rol").select_option("titular")
    page.get_by_label("País representado").select_option(label="Costa Rica")
    page.get_by_role("button", name="Enviar la invitación").click()
    expect(page.get_by_text("Invitación enviada a nueva.enlace@test.invalid")).to_be_visible()
    expect(page.get_by_text("Enlace de país")).to_be_visible()

    link = re.search(r"https?://\S+/users/invitation/\S+/", mailoutbox[-1].body).group(0)
    page.get_by_role("button", name="Cerrar sesión").click()

    page.goto(link)
    page.get_by_label("Contraseña").first.fill("una-clave-larga-de-prueba")
    page.get_by_label("Repita la contraseña").fill("una-clave-larga-de-prueba")
    page.get_by_role("button", name="Establecer la contraseña").click()
    expect(page.get_by_text("Su contraseña quedó establecida")).to_be_visible()

    sign_in("nueva.enlace@test.invalid", "una-clave-larga-de-prueba")
    page.goto("/es/members/directory/")
    # No second factor yet: every internal page leads to setting one up.
    set_up_two_factor(page, "una-clave-larga-de-prueba")

    page.goto("/es/members/directory/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Directorio de contactos")
    expect(page.get_by_role("cell", name="Nueva Enlace", exact=True)).to_be_visible()
    # A focal point does not administer users.
    response = page.goto("/es/users/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Acceso denegado")
    page.reported_errors.remove(
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    )
