"""Forms of the cooperation pages. A focal point's forms offer only their
own countries (`kept`: None for the Secretariat, who may also leave the
country empty for a regional record)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalicion.cooperation.actions import (
    check_actor,
    check_alliance,
    check_instrument,
    check_joint_action,
    check_practice,
    check_replication,
    check_resource_request,
    check_stage_change,
)
from coalicion.cooperation.models import (
    Actor,
    Alliance,
    Area,
    GoodPractice,
    InstrumentType,
    JointAction,
    ResourceRequest,
)
from coalicion.cooperation.selectors import countries_for_forms
from coalicion.core.actions import rules_onto_form
from coalicion.core.i18n import localized
from coalicion.core.uploads import FilesField, accepted_types_help
from coalicion.meetings.models import Event
from coalicion.membership.models import Country
from coalicion.plans.models import Activity, Axis, MilestoneStage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LocalizedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return localized(obj, "name")


def _country_field(kept, *, label=None, regional_allowed: bool = True):
    """A focal point chooses among their countries (required); the
    Secretariat among all, empty meaning regional when allowed."""
    return LocalizedChoice(
        queryset=countries_for_forms(kept),
        label=label or _("Country"),
        required=kept is not None or not regional_allowed,
        empty_label=_("Regional (no country)") if regional_allowed else "---------",
    )


class RulesMixin:
    """A form whose action's rules (`rules`, a function of the values) run
    beside its own in one round, with the values that passed them."""

    rules = None

    def clean(self):
        data = super().clean()
        if self.rules is not None:
            rules_onto_form(self, lambda: self.rules(dict(data)))
        return data


class EvidenceMixin(forms.Form):
    evidence = FilesField(label=_("Evidence files"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = accepted_types_help()


class StageChangeForm(EvidenceMixin):
    stage = LocalizedChoice(queryset=None, label=_("New stage"))
    day = forms.DateField(label=_("Date of the change"), widget=DATE)
    act = forms.CharField(
        label=_("Approving act or document"),
        max_length=300,
        required=False,
        help_text=_("The decree, resolution or agreement that made the change, if any."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required to go back to an earlier stage."),
    )
    field_order = ["stage", "day", "act", "reason", "evidence"]

    def __init__(self, *args, instrument=None, **kwargs):
        """`instrument`: the one whose stage changes, for the action's rules."""
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["stage"].queryset = MilestoneStage.objects.filter(
            plan__in=_current_plan_ids()
        ).order_by("order")
        self.fields["day"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if self.instrument is not None:
            rules_onto_form(self, lambda: check_stage_change(self.instrument, dict(data)))
        return data


class InstrumentForm(StageChangeForm):
    type = forms.ModelChoiceField(queryset=InstrumentType.objects.all(), label=_("Type"))
    title = forms.CharField(label=_("Title (Spanish)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    field_order = [
        "type",
        "country",
        "title",
        "title_en",
        "description",
        "stage",
        "day",
        "act",
        "reason",
        "evidence",
    ]

    def __init__(self, *args, kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = _country_field(kept)
        self.fields["stage"].label = _("Stage")
        self.fields["day"].label = _("Stage reached on")
        self.fields["reason"].help_text = ""
        self.order_fields(self.field_order)
        if kept is not None:
            self.fields["type"].queryset = InstrumentType.objects.filter(scope="national")

    def clean(self):
        data = super().clean()
        rules_onto_form(self, lambda: check_instrument(dict(data)))
        return data

    def instrument_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "type": data["type"],
            "country": data.get("country"),
            "title": data["title"],
            "title_en": data["title_en"],
            "description": data["description"],
            "stage": data["stage"],
            "day": data["day"],
            "act": data["act"],
            "reason": data["reason"],
            "evidence": data["evidence"],
        }


class InstrumentEditForm(forms.Form):
    title = forms.CharField(label=_("Title (Spanish)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PracticeForm(RulesMixin, EvidenceMixin, forms.ModelForm):
    rules = staticmethod(check_practice)

    class Meta:
        model = GoodPractice
        fields = [
            "title",
            "title_en",
            "country",
            "axis",
            "area",
            "description",
            "evidence_note",
            "registered_on",
            "presented_at",
        ]
        widgets = {"registered_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = _country_field(
            kept, label=_("Country of origin"), regional_allowed=False
        )
        self.fields["axis"] = LocalizedChoice(
            queryset=Axis.objects.filter(plan__in=_current_plan_ids()).order_by("order"),
            label=_("Strategic axis"),
            required=False,
        )
        self.fields["presented_at"].queryset = Event.objects.order_by("-start")
        self.fields["presented_at"].required = False
        if not self.instance.pk:
            self.fields["registered_on"].initial = timezone.localdate()


def _current_plan_ids() -> list[int]:
    from coalicion.plans.selectors import current_plan

    plan = current_plan()
    return [plan.pk] if plan else []


class ReplicationForm(EvidenceMixin):
    country = forms.ModelChoiceField(queryset=Country.objects.none(), label=_("Adopting country"))
    day = forms.DateField(label=_("Adopted on"), widget=DATE)
    description = forms.CharField(
        label=_("How it was adopted"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence_note = forms.CharField(label=_("Evidence"), max_length=300, required=False)

    def __init__(self, *args, kept=None, practice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = _country_field(
            kept, label=_("Adopting country"), regional_allowed=False
        )
        self.practice = practice
        if practice is not None:
            self.fields["country"].queryset = self.fields["country"].queryset.exclude(
                pk=practice.country_id
            )
        self.fields["day"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if self.practice is not None:
            rules_onto_form(self, lambda: check_replication(self.practice, dict(data)))
        return data


class ActorForm(RulesMixin, forms.ModelForm):
    rules = staticmethod(check_actor)

    class Meta:
        model = Actor
        fields = [
            "name",
            "acronym",
            "level",
            "kind",
            "country",
            "topics",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]

    def __init__(self, *args, kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = _country_field(kept)
        if kept is not None:
            self.fields["level"].choices = [(Actor.Level.NATIONAL, Actor.Level.NATIONAL.label)]


class AllianceForm(RulesMixin, forms.ModelForm):
    rules = staticmethod(check_alliance)

    class Meta:
        model = Alliance
        fields = ["actor", "country", "kind", "instrument", "status", "start", "end"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args, kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = _country_field(kept, label=_("Member country"))


class JointActionForm(RulesMixin, EvidenceMixin, forms.ModelForm):
    rules = staticmethod(check_joint_action)

    class Meta:
        model = JointAction
        fields = [
            "title",
            "day",
            "country",
            "actors",
            "alliance",
            "event",
            "description",
            "evidence_note",
        ]
        widgets = {"day": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = _country_field(kept, label=_("Member country"))
        self.fields["actors"].queryset = Actor.objects.order_by("name")
        self.fields["alliance"].queryset = Alliance.objects.select_related("actor")
        self.fields["event"].queryset = Event.objects.order_by("-start")
        self.fields["day"].initial = timezone.localdate()


class ResourceRequestForm(RulesMixin, forms.ModelForm):
    rules = staticmethod(check_resource_request)

    class Meta:
        model = ResourceRequest
        fields = [
            "donor",
            "country",
            "purpose",
            "status",
            "requested_on",
            "currency",
            "amount_requested",
            "amount_obtained",
            "obtained_on",
            "activities",
            "instruments",
        ]
        widgets = {"requested_on": DATE, "obtained_on": DATE}

    def __init__(self, *args, kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = _country_field(kept, label=_("Member country"))
        self.fields["donor"].queryset = Actor.objects.order_by("name")
        self.fields["instruments"].required = False
        self.fields["activities"].required = False
        self.fields["activities"].queryset = Activity.objects.filter(
            objective__operating_plan__plan__in=_current_plan_ids()
        ).order_by("objective__operating_plan__year", "code")


class ListFilters(forms.Form):
    """The filters of the instruments' and practices' lists."""

    country = forms.CharField(required=False, max_length=10)
    type = forms.CharField(required=False, max_length=50)
    stage = forms.CharField(required=False, max_length=50)
    area = forms.ChoiceField(required=False, choices=[("", ""), *Area.choices])
