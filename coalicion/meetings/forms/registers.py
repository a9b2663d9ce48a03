"""Forms of the registers of a meeting: attendance (one row per member
country, one per observer organisation), a new representative, country
reports, decisions, objections and votes.

Forms parse and check the shape of the input; the rules (member countries,
quorum, one vote per present country, recounts) are the actions'.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coalicion.core.actions import rules_onto_form
from coalicion.core.i18n import localized
from coalicion.core.uploads import FilesField, accepted_types_help
from coalicion.meetings.actions.decisions import check_decision, check_tally
from coalicion.meetings.actions.reports import check_country_report
from coalicion.meetings.models import Attendance, Ballot, Decision, Objection
from coalicion.membership.models import Country, Person, Representation

MAX_TEXT_CHARS = 20_000


def country_name(country: Country) -> str:
    """The country's name in the active language."""
    return localized(country, "name")


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return country_name(obj)


def _person_choices(people: list[Person]) -> list[tuple[str, str]]:
    return [("", "—"), *((str(p.pk), str(p)) for p in people)]


# The field's error when the attendance says someone is present who is not named.
UNNAMED = {
    "titular": _("Name the titular representative who is present."),
    "alternate": _("Name the alternate representative who is present."),
}


class AttendanceRowForm(forms.Form):
    """One member country's line of the register. `people` are the persons
    of that country in the directory (loaded once for the whole register);
    the selects offer only them."""

    status = forms.ChoiceField(label=_("Attendance"))
    titular = forms.ChoiceField(label=_("Titular representative"), required=False)
    alternate = forms.ChoiceField(label=_("Alternate representative"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, country: Country, people: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country
        self.people = {str(p.pk): p for p in people}
        self.fields["status"].choices = [("", "—"), *Attendance.Status.choices]
        self.fields["status"].error_messages["required"] = gettext(
            "Choose the attendance of %(country)s."
        ) % {"country": country_name(country)}
        self.fields["titular"].choices = _person_choices(people)
        self.fields["alternate"].choices = _person_choices(people)

    def clean(self):
        data = super().clean()
        for key in ("titular", "alternate"):
            data[key] = self.people.get(data.get(key) or "")
        if data.get("status"):
            for key in Attendance.unnamed(
                data["status"], titular=data["titular"], alternate=data["alternate"]
            ):
                self.add_error(key, UNNAMED[key])
        return data

    def row(self) -> dict:
        """The row for `actions.record_attendance`."""
        data = self.cleaned_data
        return {
            "country": self.country,
            "status": data["status"],
            "titular": data["titular"],
            "alternate": data["alternate"],
            "note": data["note"].strip(),
        }


class ObserverRowForm(forms.Form):
    """An observer organisation at the event: present or not, and who came."""

    present = forms.BooleanField(label=_("Present"), required=False)
    people = forms.CharField(label=_("People attending"), required=False, max_length=300)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation


def _row_initial(line: dict, representatives: dict) -> dict:
    """A recorded line as it was saved; an unrecorded one with the
    representatives in force on the day of the event chosen in advance."""
    recorded = line["attendance"]
    if recorded is not None:
        return {
            "status": recorded.status,
            "titular": recorded.titular_id or "",
            "alternate": recorded.alternate_id or "",
            "note": recorded.note,
        }
    country_id = line["country"].pk
    return {
        "titular": representatives.get((country_id, Representation.Role.TITULAR), ""),
        "alternate": representatives.get((country_id, Representation.Role.ALTERNATE), ""),
    }


class RegisterForm(forms.Form):
    """The whole register as one form: a row per member country on the day
    of the event (`rows`), one per observer organisation (`observer_rows`),
    and the register's version when the page was opened, so that a register
    saved by someone else meanwhile is refused instead of overwritten.
    `page` is `selectors.register_page(event)`."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, data=None, *, event, page: dict):
        super().__init__(data, initial={"version": event.register_version})
        self.rows = [
            (
                line,
                AttendanceRowForm(
                    data,
                    prefix=f"c-{line['country'].code}",
                    country=line["country"],
                    people=page["people"][line["country"].pk],
                    initial=_row_initial(line, page["representatives"]),
                ),
            )
            for line in page["register"]
        ]
        self.observer_rows = []
        for organisation in page["organisations"]:
            recorded = page["observed"].get(organisation.pk)
            initial = {"present": recorded.present, "people": recorded.people} if recorded else {}
            row = ObserverRowForm(
                data, prefix=f"o-{organisation.pk}", organisation=organisation, initial=initial
            )
            self.observer_rows.append((organisation, recorded, row))

    def row_forms(self) -> list[forms.Form]:
        return [row for _line, row in self.rows] + [row for *_rest, row in self.observer_rows]

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([valid, *(row.is_valid() for row in self.row_forms())])

    def action_fields(self) -> dict:
        """The arguments of `record_attendance`."""
        return {
            "rows": [row.row() for _line, row in self.rows],
            "observers": [
                {"organisation": organisation, **row.cleaned_data}
                for organisation, _recorded, row in self.observer_rows
            ],
            "version": self.cleaned_data["version"],
        }

    def summary(self) -> list[str]:
        """What is shown above the register when nothing was saved."""
        if not self.is_bound or (not self.errors and self.is_valid()):
            return []
        if self.non_field_errors():
            return [gettext("Nothing was saved."), *self.non_field_errors()]
        return [gettext("Nothing was saved: correct the rows marked below.")]


class RepresentativeForm(forms.Form):
    """A representative who appears in the register and is not yet in the
    contact directory."""

    country = CountryChoiceField(label=_("Country"), queryset=Country.objects.none())
    role = forms.ChoiceField(
        label=_("Role"), choices=Representation.Role.choices, widget=forms.RadioSelect
    )
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    institution = forms.CharField(label=_("Institution"), required=False, max_length=200)
    position = forms.CharField(label=_("Position"), required=False, max_length=200)

    def __init__(self, *args, countries: list[Country], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.filter(
            pk__in=[c.pk for c in countries]
        ).order_by("name")


class CountryReportForm(forms.Form):
    """The updated situation report of a country; `version` is the report's
    version when the form was shown (0 for a new one), for optimistic locking."""

    summary = forms.CharField(
        label=_("Summary"),
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The updated situation of the country since the previous meeting."),
    )
    legal_changes = forms.CharField(
        label=_("Legal and regulatory changes"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("New or amended laws, regulations, protocols and policies."),
    )
    cases = forms.CharField(
        label=_("Cases"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Aggregated figures and case outcomes only: never names or identifying details "
            "of victims, witnesses or other people."
        ),
    )
    actions = forms.CharField(
        label=_("Actions taken"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Prevention, protection, prosecution and cooperation actions."),
    )
    attachments = FilesField(label=_("Attachments"), required=False)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, event=None, **kwargs):
        """`event`: the meeting reported to, whose rules are checked beside the form's."""
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["attachments"].help_text = accepted_types_help()

    def clean(self):
        data = super().clean()
        if self.event is not None:
            rules_onto_form(self, lambda: check_country_report(self.event, dict(data)))
        return data

    @staticmethod
    def initial_for(report) -> dict:
        """The form opened on the saved report (`None`: a new one, version 0)."""
        if report is None:
            return {"version": 0}
        fields = ("summary", "legal_changes", "cases", "actions", "version")
        return {name: getattr(report, name) for name in fields}

    def report_fields(self) -> dict:
        """The arguments of `save_country_report`."""
        data = self.cleaned_data
        fields = ("summary", "legal_changes", "cases", "actions", "version")
        return {name: data[name] for name in fields} | {"uploads": data["attachments"]}


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the decision"),
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), required=False, queryset=None, empty_label="—"
    )
    method = forms.ChoiceField(
        label=_("Method"),
        choices=Decision.Method.choices,
        initial=Decision.Method.CONSENSUS,
        widget=forms.RadioSelect,
        help_text=_(
            "By consensus the decision is adopted unless a member country present objects. "
            "By vote each member country present casts one vote."
        ),
    )
    majority = forms.ChoiceField(
        label=_("Majority (votes only)"),
        required=False,
        choices=[("", "—"), *Decision.Majority.choices],
        help_text=_("Abstentions are recorded and not counted."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["agenda_item"].queryset = event.agenda_items.order_by("order", "pk")

    def clean(self):
        """The action's rules (quorum, a vote's majority…) in the same round
        as the form's own; the action checks them again under its lock."""
        data = super().clean()
        rules_onto_form(
            self,
            lambda: check_decision(
                event=self.event,
                text=data.get("text"),
                method=data.get("method"),
                majority=data.get("majority"),
                agenda_item=data.get("agenda_item"),
            ),
        )
        return data


class ObjectionForm(forms.Form):
    country = forms.ChoiceField(
        label=_("Country"), help_text=_("Only member countries present at the meeting.")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Objection.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Statement"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, present: list[Country], **kwargs):
        super().__init__(*args, **kwargs)
        self.present = {c.code: c for c in present}
        self.fields["country"].choices = [("", "—"), *((c.code, country_name(c)) for c in present)]

    def clean_country(self) -> Country:
        return self.present[self.cleaned_data["country"]]


class VoteForm(forms.Form):
    """One yes / no / abstain choice per member country present, and the
    reason of a recount (required once a first count exists)."""

    reason = forms.CharField(
        label=_("Reason for the recount"),
        required=False,
        max_length=300,
        help_text=_("Required when the votes were already counted once."),
    )

    def __init__(
        self,
        *args,
        present: list[Country],
        recount: bool,
        decision: Decision | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.present = present
        self.recount = recount
        if recount:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = gettext(
                "Say why the votes are counted again (recount)."
            )
        for country in present:
            field = forms.ChoiceField(
                label=country_name(country), choices=Ballot.Choice.choices, widget=forms.RadioSelect
            )
            field.error_messages["required"] = gettext(
                "Record the vote of %(country)s: yes, no or abstain."
            ) % {"country": country_name(country)}
            self.fields[self.field_name(country)] = field

    @staticmethod
    def field_name(country: Country) -> str:
        return f"vote_{country.code}"

    def country_fields(self) -> list[tuple[Country, forms.BoundField]]:
        return [(c, self[self.field_name(c)]) for c in self.present]

    def clean(self):
        """The count's rules (quorum…) in the same round as the missing
        votes; the action checks them again under its lock."""
        data = super().clean()
        if self.decision is not None:
            voted = not any(self.field_name(c) in self.errors for c in self.present)
            rules_onto_form(
                self,
                lambda: check_tally(
                    decision=self.decision,
                    choices=self.choices() if voted else None,
                    reason=data.get("reason"),
                ),
            )
        return data

    def choices(self) -> dict[Country, str]:
        """`{country: choice}` for `actions.record_tally`."""
        return {c: self.cleaned_data[self.field_name(c)] for c in self.present}
