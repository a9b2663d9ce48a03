"""Forms of the calendar, events, agenda and personal calendar pages. They
parse and check the input only; the rules (meeting numbers, place or virtual
room, approved agendas…) are the actions' and come back as their errors."""

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coalicion.core.actions import rules_onto_form
from coalicion.core.i18n import localized
from coalicion.core.uploads import UPLOAD_MAX_BYTES, check_upload
from coalicion.meetings.actions.events import check_cancellation, check_event
from coalicion.meetings.models import Event
from coalicion.membership.forms import MemberCountryField
from coalicion.plans.models import Activity

MAX_TEXT_CHARS = 20_000
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=_("Local time of the Coalition's calendar."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )


def activity_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every activity of the operating plans, grouped by plan (one query)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    activities = Activity.objects.select_related("objective__operating_plan").order_by(
        "-objective__operating_plan__year", "objective__order", "order", "pk"
    )
    for activity in activities:
        label = gettext("Operating plan %(year)s") % {
            "year": activity.objective.operating_plan.year
        }
        statement = localized(activity, "statement")
        if len(statement) > 140:
            statement = statement[:139] + "…"
        groups.setdefault(label, []).append((activity.pk, f"{activity.code}. {statement}"))
    return list(groups.items())


class EventForm(forms.Form):
    """An event's fields; `version` is the event's version when the form was
    shown (optimistic locking on edit)."""

    kind = forms.ChoiceField(label=_("Kind of event"), choices=Event.Kind.choices)
    number = forms.IntegerField(
        label=_("Number"),
        required=False,
        min_value=1,
        help_text=_("Only for ordinary and extraordinary meetings: XII → 12."),
    )
    title = forms.CharField(label=_("Title (Spanish)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    start = _datetime_field(_("Start"))
    end = _datetime_field(_("End"))
    country = MemberCountryField(label=_("Country"), required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    is_virtual = forms.BooleanField(label=_("Virtual event"), required=False)
    virtual_url = forms.URLField(
        label=_("Address of the virtual room"),
        required=False,
        assume_scheme="https",
    )
    organiser = forms.CharField(
        label=_("Organiser"),
        max_length=300,
        required=False,
        help_text=_("Who organises the event."),
    )
    open_to_observers = forms.BooleanField(
        label=_("Open to observers"),
        required=False,
        help_text=_("Observers see this event, its agenda, approved minutes and agreements."),
    )
    activities = forms.TypedMultipleChoiceField(
        label=_("Activities of the operating plans"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The activities this event carries out: the event is their evidence."),
    )
    report = forms.CharField(
        label=pgettext_lazy("representation", "Report of the representation"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Only for a representation of the Coalition: the report the Presidency owes at the "
            "next meeting."
        ),
    )
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, event: Event | None = None, **kwargs):
        """A new event, or the edit of `event`."""
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["activities"].choices = activity_choices()
        # An edit always says which version it started from.
        self.fields["version"].required = event is not None

    def clean_activities(self) -> list[Activity]:
        ids = self.cleaned_data["activities"]
        return list(Activity.objects.filter(pk__in=ids)) if ids else []

    def clean(self):
        data = super().clean()
        if (
            data.get("kind")
            and data.get("kind") != Event.Kind.REPRESENTATION
            and data.get("report", "").strip()
        ):
            self.add_error(
                "report", _("Only a representation of the Coalition has a report to write here.")
            )
        # The action's rules in the same round as the required fields, with
        # the values that passed (the action checks them again under its lock).
        passed = {name: value for name, value in data.items() if name not in self.errors}
        rules_onto_form(
            self,
            lambda: check_event(
                event=self.event,
                fields={k: v for k, v in passed.items() if k not in ("activities", "version")},
                activities=passed.get("activities"),
            ),
        )
        return data

    def event_fields(self) -> dict:
        """The cleaned values the actions take as `**fields`."""
        data = dict(self.cleaned_data)
        for name in ("activities", "version"):
            data.pop(name, None)
        return data

    @staticmethod
    def initial_for(event: Event) -> dict:
        return {
            "kind": event.kind,
            "number": event.number,
            "title": event.title,
            "title_en": event.title_en,
            "description": event.description,
            "start": event.start,
            "end": event.end,
            "country": event.country_id,
            "city": event.city,
            "venue": event.venue,
            "is_virtual": event.is_virtual,
            "virtual_url": event.virtual_url,
            "organiser": event.organiser,
            "open_to_observers": event.open_to_observers,
            "activities": [a.pk for a in event.activities.all()],
            "report": event.report,
            "version": event.version,
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the event; the invited members are told by e-mail."),
    )

    def __init__(self, *args, event: Event | None = None, **kwargs):
        """`event`: the one cancelled, whose rules are checked beside the form's."""
        super().__init__(*args, **kwargs)
        self.event = event

    def clean(self):
        data = super().clean()
        if self.event is not None:
            rules_onto_form(self, lambda: check_cancellation(self.event, data.get("reason")))
        return data


class AttachmentField(forms.FileField):
    """One optional file, checked by content; cleans to (file, content type) or None."""

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded:
            return None
        return uploaded, check_upload(uploaded)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=300)
    presenter = forms.CharField(label=_("Presenter"), max_length=200, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), required=False, min_value=1, max_value=1440
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = AttachmentField(label=_("Attach a document"), required=False)
    # The item's version when the form was opened (editing only): stale-edit check.
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    FIELDS = ("title", "presenter", "duration_minutes", "notes")

    def __init__(self, *args, item=None, **kwargs):
        if item is not None:
            kwargs.setdefault(
                "initial", {name: getattr(item, name) for name in (*self.FIELDS, "version")}
            )
        super().__init__(*args, **kwargs)
        if item is None:
            del self.fields["version"]
        self.fields["attachment"].help_text = gettext(
            "Optional. PDF, images (PNG, JPEG), Word, Excel or PowerPoint documents, or "
            "text/CSV; up to %(limit)s MB."
        ) % {"limit": UPLOAD_MAX_BYTES // (1024 * 1024)}

    def item_fields(self) -> dict:
        """The arguments of `add_agenda_item` / `update_agenda_item`."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.FIELDS if name in data}
        if "version" in self.fields:
            fields["version"] = data["version"]
        return fields | {"uploads": [data["attachment"]] if data.get("attachment") else []}


class NotificationSettingsForm(forms.Form):
    agenda_approved = forms.BooleanField(
        label=_("When the agenda of a meeting is approved"), required=False
    )
    minutes_circulated = forms.BooleanField(
        label=_("When minutes are circulated for comment"), required=False
    )
    agreement_due = forms.BooleanField(
        label=_("When an agreement my country answers for is due in 14 days"), required=False
    )
    agreement_overdue = forms.BooleanField(
        label=_("When an agreement my country answers for is overdue"), required=False
    )
