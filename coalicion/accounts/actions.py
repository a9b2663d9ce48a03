"""Account administration by the Technical Secretariat. Every action is
atomic and written to the audit log; e-mail leaves after the commit."""

import datetime
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalicion.accounts.models import Invitation, User
from coalicion.accounts.notices import INVITATION
from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent
from coalicion.core.actions import Problems
from coalicion.membership.models import (
    Country,
    ObserverMembership,
    ObserverOrganisation,
    Person,
    Representation,
)
from coalicion.notifications.actions import notify


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_invitation(fields: dict) -> None:
    """Every reason `invite_user` refuses an invitation, raised together: an
    e-mail address that has an account, a representative without a country,
    an observer without an organisation, an end before the start. The
    invitation form runs it with the values that passed its own rules; a
    rule whose field is missing from `fields` is skipped."""
    problems = Problems()
    email = (fields.get("email") or "").strip()
    if email and User.objects.filter(email__iexact=email).exists():
        problems.add("email", _("There is already an account with this e-mail address."))
    role = fields.get("role")
    if role in Representation.Role.values and "country" in fields and not fields["country"]:
        problems.add("country", _("Choose the country this person represents."))
    if role == "observer" and "organisation" in fields and not fields["organisation"]:
        problems.add("organisation", _("Choose the observer organisation."))
    start, end = fields.get("start"), fields.get("end")
    if start and end and end < start:
        problems.add("end", _("The end cannot be before the start."))
    problems.raise_all()


@transaction.atomic
def invite_user(
    *,
    actor,
    email: str,
    given_name: str,
    family_name: str,
    country: Country | None = None,
    role: str = "",
    organisation: ObserverOrganisation | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    language: str = "es",
) -> Invitation:
    """Create an account with no usable password and e-mail a link to set one.

    ``role`` is a Representation role (titular / alternate) for ``country``,
    "observer" for ``organisation``, or empty for an account with no rights yet.
    """
    email = email.strip().lower()
    check_invitation(
        {
            "email": email,
            "role": role,
            "country": country,
            "organisation": organisation,
            "start": start,
            "end": end,
        }
    )
    user = User.objects.create_user(
        email=email, password=None, first_name=given_name, last_name=family_name
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    person = Person.objects.create(
        given_name=given_name, family_name=family_name, email=email, country=country, user=user
    )
    start = start or timezone.localdate()
    if role in Representation.Role.values:
        assign_representation(
            actor=actor, person=person, country=country, role=role, start=start, end=end
        )
    elif role == "observer":
        ObserverMembership.objects.create(
            person=person, organisation=organisation, start=start, end=end
        )
    invitation = _new_invitation(actor=actor, user=user, language=language)
    record_event(
        action=AuditEvent.Action.USER_INVITED,
        actor=actor,
        target=user.email,
        detail={"role": role, "country": country.code if country else None},
    )
    return invitation


@transaction.atomic
def resend_invitation(*, actor, user: User, language: str = "es") -> Invitation:
    _check_may_manage(actor, user)
    if user.has_usable_password():
        raise ValidationError(_("This user has already set a password."))
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(expires_at=timezone.now())
    invitation = _new_invitation(actor=actor, user=user, language=language)
    record_event(action=AuditEvent.Action.USER_INVITED, actor=actor, target=user.email)
    return invitation


def _new_invitation(*, actor, user: User, language: str) -> Invitation:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_hash=_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    with translation.override(language):
        link = settings.SITE_URL.rstrip("/") + reverse("accounts:accept_invitation", args=[token])
        context = {"user": user, "link": link, "days": settings.INVITATION_VALID_DAYS}
        subject = _("Your account in Coalición")
        body = render_to_string("accounts/email/invitation.txt", context)
    # The link holds a one-time token: the outbox keeps the text only until it is sent.
    notify(
        kind=INVITATION,
        recipients=[user],
        key=f"invitation:{invitation.pk}",
        content=(subject, body),
    )
    return invitation


def find_invitation(*, token: str) -> Invitation | None:
    """The invitation of ``token`` if it can still be used."""
    invitation = Invitation.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if invitation is None or not invitation.is_usable(timezone.now()):
        return None
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str) -> User:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable(timezone.now()):
        raise ValidationError(_("This invitation has expired or was already used."))
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_event(action=AuditEvent.Action.INVITATION_ACCEPTED, actor=user)
    return user


def _check_may_manage(actor, user: User) -> None:
    """No role below a technical superuser changes a superuser's account:
    it holds rights the Secretariat does not (issue 11)."""
    if user.is_superuser and not (actor is not None and actor.is_superuser):
        raise ValidationError(
            _(
                "This account belongs to a technical administrator: only another technical "
                "administrator may change it."
            )
        )


@transaction.atomic
def send_password_reset(*, actor, user: User) -> None:
    """The user gets the e-mail to choose a new password themselves: nobody
    sets another person's password (the e-mail flow keeps MFA in force)."""
    from allauth.account.forms import ResetPasswordForm

    _check_may_manage(actor, user)
    if not user.is_active or not user.has_usable_password():
        raise ValidationError(
            _("Only an active account with a password can reset it; send an invitation instead.")
        )
    form = ResetPasswordForm(data={"email": user.email})
    if form.is_valid():
        form.save(request=None)
    record_event(
        action=AuditEvent.Action.PASSWORD_RESET, actor=actor, target=user.email,
        detail={"by": "e-mail sent by the Secretariat"},
    )  # fmt: skip


@transaction.atomic
def disable_user(*, actor, user: User) -> None:
    _check_may_manage(actor, user)
    if user == actor:
        raise ValidationError(_("You cannot disable your own account."))
    user.is_active = False
    user.session_generation += 1
    user.save(update_fields=["is_active", "session_generation"])
    record_event(action=AuditEvent.Action.USER_DISABLED, actor=actor, target=user.email)


@transaction.atomic
def enable_user(*, actor, user: User) -> None:
    _check_may_manage(actor, user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_event(action=AuditEvent.Action.USER_ENABLED, actor=actor, target=user.email)


@transaction.atomic
def end_sessions(*, actor, user: User) -> None:
    """Every open session of ``user`` ends at its next request."""
    _check_may_manage(actor, user)
    User.objects.filter(pk=user.pk).update(session_generation=user.session_generation + 1)
    user.refresh_from_db(fields=["session_generation"])
    record_event(action=AuditEvent.Action.SESSIONS_ENDED, actor=actor, target=user.email)


@transaction.atomic
def assign_representation(
    *,
    actor,
    person: Person,
    country: Country,
    role: str,
    start: datetime.date,
    end: datetime.date | None = None,
) -> Representation:
    representation = Representation(person=person, country=country, role=role, start=start, end=end)
    representation.full_clean()
    representation.save()
    record_event(
        action=AuditEvent.Action.REPRESENTATION_ASSIGNED,
        actor=actor,
        target=str(person),
        detail={"country": country.code, "role": role, "start": str(start), "end": str(end)},
    )
    return representation
