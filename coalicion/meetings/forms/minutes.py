"""Forms of the minutes pages: the Secretariat's text, a member's comment,
and the choice of the meeting at which minutes are approved."""

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coalicion.core.i18n import localized
from coalicion.meetings.models import Event, Minutes, QuorumCheck

MAX_BODY_CHARS = 200_000
MAX_COMMENT_CHARS = 10_000


class MinutesForm(forms.Form):
    """The text of draft or circulated minutes; `version` is the one shown
    (optimistic locking: a save based on an outdated copy is refused)."""

    body = forms.CharField(
        label=_("Text of the minutes"),
        max_length=MAX_BODY_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30}),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        help_text=_("Name the section or paragraph your comment refers to."),
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def approval_meetings(minutes: Minutes):
    """Meetings later than the minutes' own, not cancelled, earliest first,
    each with the verdict of its last verification of quorum (`quorum`:
    True, False or None when never verified)."""
    last_check = QuorumCheck.objects.filter(event=OuterRef("pk")).order_by("-at", "-pk")
    return (
        Event.objects.filter(kind__in=Event.MEETING_KINDS, start__gt=minutes.event.start)
        .exclude(status=Event.Status.CANCELLED)
        .annotate(quorum=Subquery(last_check.values("has_quorum")[:1]))
        .order_by("start", "pk")
    )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, event):
        if event.quorum:
            verdict = gettext("quorum verified")
        elif event.quorum is None:
            verdict = gettext("quorum not verified yet")
        else:
            verdict = gettext("no quorum")
        return gettext("%(event)s, %(date)s (%(verdict)s)") % {
            "event": localized(event, "title"),
            "date": date_format(event.local_date, "DATE_FORMAT"),
            "verdict": verdict,
        }


class ApproveForm(forms.Form):
    """The meeting at which the minutes are approved: by default the next
    one after the minutes' meeting."""

    at_event = MeetingChoiceField(
        label=_("Approved at the meeting"),
        queryset=Event.objects.none(),
        empty_label=None,
        help_text=_("The meeting must have quorum when the minutes are approved."),
    )

    def __init__(self, *args, minutes: Minutes, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["at_event"]
        field.queryset = approval_meetings(minutes)
        if not self.is_bound:
            first = field.queryset.first()
            if first is not None:
                self.initial["at_event"] = first.pk
