from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalicion.membership.models import Country, Person


class MemberCountryField(forms.ModelChoiceField):
    """A choice among the countries that are members today: the date is
    taken when each form is made, not when the module is imported."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Country.objects.none())
        super().__init__(**kwargs)

    def __deepcopy__(self, memo):
        field = super().__deepcopy__(memo)
        field.queryset = Country.objects.members(on=timezone.localdate()).order_by("name")
        return field


class PersonForm(forms.ModelForm):
    """A contact of the directory. A focal point's form has no country field:
    the country is always theirs (no mass assignment of `country`)."""

    class Meta:
        model = Person
        fields = list(Person.DIRECTORY_FIELDS)

    def __init__(self, *args, allowed_countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_countries is not None:
            del self.fields["country"]
        else:
            self.fields["country"].queryset = Country.objects.members(on=timezone.localdate())
            self.fields["country"].help_text = _("Empty for people who represent no country.")
