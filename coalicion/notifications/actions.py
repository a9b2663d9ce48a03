"""Queueing e-mails and choosing the optional ones (STYLE rule 12)."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import translation

from coalicion.notifications import kinds
from coalicion.notifications.models import Notification, Preference


def language_of(recipient) -> str:
    """The language a person or user reads the system's e-mails in
    (`membership.Person.preferred_language`); the site's without a person."""
    if isinstance(recipient, str):
        return translation.get_language() or settings.LANGUAGE_CODE
    person = recipient if hasattr(recipient, "preferred_language") else None
    if person is None:
        person = getattr(recipient, "person", None) if recipient is not None else None
    if person is not None:
        return person.preferred_language()
    return settings.LANGUAGE_CODE


def _address(recipient) -> tuple[str, object, object]:
    """(address, user, person) of a user, a membership.Person or a plain
    address; no address for an inactive account."""
    if isinstance(recipient, str):
        return recipient, None, None
    if hasattr(recipient, "preferred_language"):  # a person
        user = recipient.user if recipient.user_id else None
        if user is not None and not user.is_active:
            return "", user, recipient  # a disabled account gets nothing
        return recipient.email or (user.email if user is not None else ""), user, recipient
    if not recipient.is_active:
        return "", recipient, None
    return recipient.email, recipient, getattr(recipient, "person", None)


def _opted_out(kind: kinds.Kind, users: list) -> set[int]:
    if not kind.optional or not users:
        return set()
    return set(
        Preference.objects.filter(
            kind=kind.name, enabled=False, user__in=[u.pk for u in users]
        ).values_list("user_id", flat=True)
    )


def notify(
    *,
    kind: str,
    recipients: Iterable,
    key: str,
    params: dict | None = None,
    content: tuple[str, str] | None = None,
) -> list[Notification]:
    """Queue one e-mail of `kind` to each recipient (users or people),
    unless they opted out of an optional kind, have no address, or were
    already sent this one (`key`). They are sent by a background job once
    the current transaction commits. `content` (subject, body) is for a
    message that cannot be built again when sent (a one-time link)."""
    found = kinds.get(kind)
    rows, seen = [], set()
    resolved = [(_address(r), r) for r in recipients]
    out = _opted_out(found, [user for (_e, user, _p), _r in resolved if user is not None])
    for (email, user, person), recipient in resolved:
        if not email or email.lower() in seen or (user is not None and user.pk in out):
            continue
        seen.add(email.lower())
        rows.append(
            Notification(
                kind=found.name,
                key=key,
                email=email,
                language=language_of(recipient),
                user=user,
                person=person,
                params=params or {},
                subject=content[0] if content else "",
                body=content[1] if content else "",
            )
        )
    existing = set(
        Notification.objects.filter(
            kind=found.name, key=key, email__in=[r.email for r in rows]
        ).values_list("email", flat=True)
    )
    rows = [row for row in rows if row.email not in existing]
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    if ids:
        from coalicion.notifications.jobs import send_notifications

        transaction.on_commit(lambda: send_notifications.enqueue(ids=ids))
    return created


@transaction.atomic
def set_preferences(*, actor, choices: dict[str, bool]) -> None:
    """The person's choice for each optional kind (`kinds.optional_kinds`)."""
    optional = {kind.name for kind in kinds.optional_kinds()}
    for name, enabled in choices.items():
        if name not in optional:
            raise ValueError(f"{name!r} is not an optional kind of e-mail.")
        Preference.objects.update_or_create(
            user=actor, kind=name, defaults={"enabled": bool(enabled)}
        )


def preferences_of(user) -> dict[str, bool]:
    """Every optional kind, on unless the person switched it off."""
    off = set(Preference.objects.filter(user=user, enabled=False).values_list("kind", flat=True))
    return {kind.name: kind.name not in off for kind in kinds.optional_kinds()}
