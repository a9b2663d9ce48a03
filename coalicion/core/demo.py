"""The demo cast: the synthetic people of `make run`, whom every app's demo
data uses (ADR 0014).

`coalicion.composition.demo` creates them, with the governance records their
rights come from; an app's `demo.py` finds them here by their login key
(`demo_user("presidency")`) and never creates people of its own. Every
address is in the reserved `.invalid` domain.
"""

from django.contrib.auth import get_user_model

DEMO_DOMAIN = "demo.coalicion.invalid"

# Login key (as printed by `make run`) → the local part of the address.
DEMO_LOGINS = {
    "secretariat": "secretaria",
    "presidency": "presidencia",
    "focal_point_cr": "enlace.cr",
    "focal_point_gt": "enlace.gt",
    "observer": "observador",
}


def demo_email(key: str) -> str:
    return f"{DEMO_LOGINS[key]}@{DEMO_DOMAIN}"


def demo_user(key: str):
    """The account of the demo person with login `key` (it must exist)."""
    return get_user_model().objects.get(email=demo_email(key))


def demo_users_exist() -> bool:
    return get_user_model().objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists()
