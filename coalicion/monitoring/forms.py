from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from coalicion.monitoring.evidence import EVIDENCE_MAX_BYTES, check_upload
from coalicion.monitoring.models import PERCENT_VALIDATORS

MAX_EVIDENCE_FILES = 10
MAX_NARRATIVE_CHARS = 20_000


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once; cleans to a list of (file, detected content type)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_EVIDENCE_FILES:
            raise ValidationError(
                ngettext(
                    "Attach at most %(limit)d file at a time.",
                    "Attach at most %(limit)d files at a time.",
                    MAX_EVIDENCE_FILES,
                )
                % {"limit": MAX_EVIDENCE_FILES},
                code="too_many_files",
            )
        checked, errors = [], []
        for uploaded in files:
            uploaded = super().clean(uploaded, initial)
            try:
                checked.append((uploaded, check_upload(uploaded)))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return checked


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
    evidence = EvidenceField(
        label=_("Evidence files (means of verification)"),
        required=False,
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = gettext(
            "PDF, images (PNG, JPEG), Word, Excel or PowerPoint documents, or text/CSV; "
            "up to %(limit)s MB each, %(count)s files at a time."
        ) % {"limit": EVIDENCE_MAX_BYTES // (1024 * 1024), "count": MAX_EVIDENCE_FILES}


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
