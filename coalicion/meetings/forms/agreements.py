"""Forms of the agreement pages: the agreement itself (the Secretariat), a
follow-up entry with its evidence (the responsible party or the
Secretariat), and the filters of the list."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalicion.core.actions import rules_onto_form
from coalicion.core.i18n import localized
from coalicion.core.uploads import FilesField
from coalicion.meetings.actions.agreements import check_agreement
from coalicion.meetings.models import Agreement, Decision, Event
from coalicion.membership.models import Country, Organ
from coalicion.plans.models import WorkingCommittee

MAX_TEXT_CHARS = 10_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class LocalizedChoiceField(forms.ModelChoiceField):
    """Countries, organs and committees under their name in the page's language."""

    def label_from_instance(self, obj):
        return localized(obj, "name")


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, decision):
        text = decision.text if len(decision.text) <= 80 else decision.text[:79] + "…"
        return f"{decision}: {text}"


class AgreementForm(forms.Form):
    """Text, responsible (a country, an organ or a committee) and due date;
    on a new agreement, the decision it comes from (optional)."""

    text = forms.CharField(
        label=_("Text of the agreement"),
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    decision = DecisionChoiceField(
        label=_("Decision it comes from"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    responsible_kind = forms.ChoiceField(
        label=_("Responsible"),
        choices=[
            ("", "---------"),
            *[(kind.value, kind.label) for kind in Agreement.RESPONSIBLE_KINDS],
        ],
        help_text=_("Then choose the country, the organ or the committee below."),
    )
    country = LocalizedChoiceField(
        label=_("Responsible country"), queryset=Country.objects.none(), required=False
    )
    organ = LocalizedChoiceField(
        label=_("Responsible organ"),
        queryset=Organ.objects.exclude(code=Organ.Code.PLENARY).order_by("order"),
        required=False,
    )
    committee = LocalizedChoiceField(
        label=_("Responsible working committee"),
        queryset=WorkingCommittee.objects.order_by("name", "pk"),
        required=False,
    )
    due = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    EDITED = ("text", "responsible_kind", "country", "organ", "committee", "due")

    def __init__(
        self, *args, event: Event | None = None, agreement: Agreement | None = None, **kwargs
    ):
        """A new agreement of `event`, or the edit of `agreement`."""
        if agreement is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{
                        name: getattr(agreement, name)
                        for name in self.EDITED
                        if name != "responsible_kind"
                    },
                    "responsible_kind": agreement.kind,
                },
            )
        super().__init__(*args, **kwargs)
        self.event = event if agreement is None else agreement.event
        self.creating = agreement is None
        self.fields["country"].queryset = Country.objects.members(on=timezone.localdate()).order_by(
            "name"
        )
        if event is None:
            del self.fields["decision"]
        else:
            self.fields["decision"].queryset = event.decisions.order_by("number")

    def clean(self):
        """The action's rules (quorum, the responsible party named…) in the
        same round as the form's own; the action checks them again under its lock."""
        data = super().clean()
        rules_onto_form(
            self,
            lambda: check_agreement(
                event=self.event,
                text=data.get("text"),
                responsible_kind=data.get("responsible_kind"),
                country=data.get("country"),
                organ=data.get("organ"),
                committee=data.get("committee"),
                decision=data.get("decision"),
                creating=self.creating,
            ),
        )
        return data

    def agreement_fields(self) -> dict:
        """The arguments of `create_agreement` / `update_agreement` (the
        version an edit was opened on travels beside the form, in the
        template, since the shared form layout shows every field)."""
        names = (*self.EDITED, "decision")
        return {name: self.cleaned_data.get(name) for name in names if name in self.fields}


class FollowUpForm(forms.Form):
    """A follow-up entry. The responsible party may mark an open agreement in
    progress or fulfilled; the Secretariat may set any status."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(
        label=_("What was done"),
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    status = forms.ChoiceField(label=_("New status"), required=False)
    evidence = FilesField(label=_("Evidence files"), required=False)

    def __init__(self, *args, agreement: Agreement, by_secretariat: bool, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = Agreement.Status
        if by_secretariat:
            allowed = list(statuses)
        elif agreement.is_open:
            allowed = [statuses.IN_PROGRESS, statuses.FULFILLED]
        else:
            allowed = []
        self.fields["status"].choices = [
            ("", _("(no change)")),
            *[(status.value, status.label) for status in allowed],
        ]
        self.agreement = agreement
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())

    def clean(self):
        """The agreement's date rules in the same round as the required
        fields (the action checks them again under its lock)."""
        data = super().clean()
        if data.get("date") and "date" not in self.errors:
            error = self.agreement.follow_up_date_error(
                data["date"], changes_status=bool(data.get("status"))
            )
            if error:
                self.add_error("date", error)
        return data

    def follow_up_fields(self) -> dict:
        """The arguments of `add_follow_up`."""
        data = self.cleaned_data
        return {
            "date": data["date"],
            "text": data["text"],
            "status": data["status"],
            "uploads": data["evidence"],
        }


class AgreementFilterForm(forms.Form):
    """Filters of the list. `responsible` is one select: "country:CR",
    "organ:presidency" or "committee:<pk>"."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    responsible = forms.ChoiceField(label=_("Responsible"), required=False)
    meeting = forms.TypedChoiceField(
        label=_("Meeting"), required=False, coerce=int, empty_value=None
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, meetings: list[Event], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *list(Agreement.Status.choices)]
        countries = list(Country.objects.members(on=timezone.localdate()).order_by("name"))
        organs = list(Organ.objects.exclude(code=Organ.Code.PLENARY).order_by("order"))
        committees = list(WorkingCommittee.objects.order_by("name", "pk"))
        self._responsible = {f"country:{c.code}": ("country_id", c.pk) for c in countries}
        self._responsible |= {f"organ:{o.code}": ("organ_id", o.pk) for o in organs}
        self._responsible |= {f"committee:{c.pk}": ("committee_id", c.pk) for c in committees}
        self.fields["responsible"].choices = [
            ("", _("Anyone")),
            (
                _("Member countries"),
                [(f"country:{c.code}", localized(c, "name")) for c in countries],
            ),
            (_("Organs"), [(f"organ:{o.code}", localized(o, "name")) for o in organs]),
            (
                _("Working committees"),
                [(f"committee:{c.pk}", localized(c, "name")) for c in committees],
            ),
        ]
        self.fields["meeting"].choices = [("", _("All meetings"))] + [
            (event.pk, f"{localized(event, 'title')} ({event.local_date.year})")
            for event in meetings
        ]

    def filters(self) -> dict:
        """Keyword arguments of `selectors.agreement_list` (call after is_valid)."""
        data = self.cleaned_data
        result = {
            "status": data.get("status") or "",
            "overdue": bool(data.get("overdue")),
            "event_id": data.get("meeting"),
        }
        responsible = data.get("responsible")
        if responsible:
            name, pk = self._responsible[responsible]
            result[name] = pk
        return result
