from django import forms
from django.utils.translation import gettext_lazy as _

from coalicion.membership.models import Person


class PersonForm(forms.ModelForm):
    """A contact of the directory. A focal point's form has no country field:
    the country is always theirs (no mass assignment of `country`)."""

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "email",
            "phone",
            "institution",
            "position",
            "country",
        ]

    def __init__(self, *args, allowed_countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_countries is not None:
            del self.fields["country"]
        else:
            self.fields["country"].queryset = self.fields["country"].queryset.filter(is_member=True)
            self.fields["country"].help_text = _("Empty for people who represent no country.")
