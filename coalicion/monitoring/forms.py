from django import forms
from django.utils.translation import gettext_lazy as _

from coalicion.core.uploads import FilesField, accepted_types_help
from coalicion.monitoring.models import PERCENT_VALIDATORS

MAX_NARRATIVE_CHARS = 20_000


class ReportForm(forms.Form):
    """Progress of an activity in a period; `version` is the report's version
    when the form was shown (0 for a new report), for optimistic locking."""

    percent = forms.DecimalField(
        label=_("Percent complete"),
        help_text=_("From 0 to 100: how much of the activity is done by the end of the period."),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.01"}),
    )
    narrative = forms.CharField(
        label=_("Narrative"),
        help_text=_("What was done in the period, with whom, and what remains."),
        required=False,
        max_length=MAX_NARRATIVE_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    evidence = FilesField(
        label=_("Evidence files (means of verification)"),
        required=False,
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = accepted_types_help()


class ReviewForm(forms.Form):
    """The Secretariat's decision on one submitted report."""

    VALIDATE = "validate"
    RETURN = "return"

    decision = forms.ChoiceField(
        choices=[(VALIDATE, _("Validate")), (RETURN, _("Return with a comment"))],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Comment to the responsible party"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what must be corrected before returning the report."))
        return data
