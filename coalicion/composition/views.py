from allauth.mfa.utils import is_mfa_enabled
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent
from coalicion.core.sections import sections
from coalicion.membership.actions import set_preferred_language
from coalicion.membership.roles import roles_of


def permission_denied(request, exception=None):
    """403 in the active language; every denial goes to the audit log."""
    record_event(
        action=AuditEvent.Action.PERMISSION_DENIED,
        actor=request.user,
        detail={"permission": str(exception or "")[:200]},
    )
    return render(request, "403.html", status=403)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(static("favicon.svg"), permanent=True)


@login_required
def my_work(request):
    """ "My work": what is the signed-in person's to do now, by urgency,
    each item linking to where it is done. The apps contribute its
    sections (`coalicion.core.work`); each issues a bounded number of
    queries whatever the data."""
    roles = roles_of(request.user)
    shown = sections("my_work", user=request.user, roles=roles, today=timezone.localdate())
    return render(request, "composition/my_work.html", {"shown_sections": shown})


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of your e-mails"),
        required=False,
        choices=[("", gettext_lazy("The language of my country")), *settings.LANGUAGES],
        help_text=gettext_lazy("The pages are in the language you choose at the top of each page."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def my_account(request):
    """ "My account": one page for the person's account — name and roles,
    the language of their e-mails, password, two-factor authentication,
    and what the apps add (the calendar feed and the e-mail choices)."""
    person = getattr(request.user, "person", None)
    form = LanguageForm(
        request.POST or None, initial={"language": person.language if person else ""}
    )
    if request.method == "POST":
        if person is None:
            raise PermissionDenied("no directory entry")
        if form.is_valid():
            set_preferred_language(actor=request.user, language=form.cleaned_data["language"])
            messages.success(request, _("Your language was saved."))
            return redirect("my_account")
    roles = roles_of(request.user)
    return render(
        request,
        "composition/my_account.html",
        {
            "person": person,
            "form": form,
            "mfa_enabled": is_mfa_enabled(request.user),
            "shown_sections": sections("my_account", user=request.user, roles=roles),
        },
    )
