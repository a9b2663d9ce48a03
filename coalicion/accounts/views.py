from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalicion.accounts import actions, selectors
from coalicion.accounts.forms import InviteForm, RepresentationForm, SetPasswordForm
from coalicion.audit.models import AuditEvent
from coalicion.core.actions import errors_onto_form
from coalicion.core.permissions import permission_required
from coalicion.membership.roles import roles_of_users, roles_on

MANAGE = "accounts.manage_users"


@permission_required(MANAGE)
def user_list(request):
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    today = timezone.localdate()
    users = list(selectors.users(query=query, status=status))
    roles = roles_of_users(users, today)
    rows = [(user, roles[user.pk]) for user in users]
    return render(
        request,
        "accounts/users.html",
        {"rows": rows, "query": query, "status": status},
    )


@permission_required(MANAGE)
def user_invite(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = actions.invite_user(
                actor=request.user,
                email=data["email"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                country=data["country"],
                role=data["role"],
                organisation=data["organisation"],
                start=data["start"],
                end=data["end"],
                language=data["language"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.user.email}
            )
            return redirect("accounts:user", invitation.user.pk)
    return render(request, "accounts/invite.html", {"form": form})


@permission_required(MANAGE)
def user_detail(request, pk):
    user = selectors.user_detail(pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "accounts/user.html",
        {
            "account": user,
            "roles": roles_on(user, today),
            "invitations": selectors.invitations_of(user=user),
            "events": AuditEvent.objects.filter(user=user)[:20],
            "representation_form": RepresentationForm(initial={"start": today}),
        },
    )


@require_POST
@permission_required(MANAGE)
def user_action(request, pk, action):
    user = selectors.user_detail(pk=pk)
    handlers = {
        "disable": (actions.disable_user, _("The account is disabled and its sessions ended.")),
        "enable": (actions.enable_user, _("The account is enabled again.")),
        "end-sessions": (actions.end_sessions, _("Every open session of this user has ended.")),
        "resend": (actions.resend_invitation, _("A new invitation was sent.")),
        "reset-password": (
            actions.send_password_reset,
            _("An e-mail to choose a new password was sent to this user."),
        ),
    }
    if action not in handlers:
        raise Http404
    handler, done = handlers[action]
    try:
        handler(actor=request.user, user=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("accounts:user", user.pk)


@require_POST
@permission_required(MANAGE)
def user_add_representation(request, pk):
    user = selectors.user_detail(pk=pk)
    person = getattr(user, "person", None)
    form = RepresentationForm(request.POST)
    if person is None:
        messages.error(request, _("This account has no person in the directory."))
    elif form.is_valid():
        try:
            actions.assign_representation(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The representation was recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("accounts:user", user.pk)


def accept_invitation(request, token):
    invitation = actions.find_invitation(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = SetPasswordForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.accept_invitation(
                invitation=invitation, password=form.cleaned_data["password1"]
            )
        except ValidationError:
            return render(request, "accounts/invitation_invalid.html", status=404)
        messages.success(request, _("Your password is set. Sign in to continue."))
        return redirect("account_login")
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )


@login_required
def email_address(request):
    """Addresses are vouched for by the Secretariat's invitation: a user
    cannot add or change their own (allauth's page is replaced by this one)."""
    return render(request, "accounts/email_address.html")
