from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coalicion.core.permissions import check_perm, permission_required
from coalicion.core.sections import sections
from coalicion.core.submit import submit
from coalicion.membership import actions, selectors
from coalicion.membership.forms import PersonForm
from coalicion.membership.models import Country, Person
from coalicion.membership.roles import roles_of


def country_list(request):
    return render(request, "membership/countries.html", {"countries": selectors.member_countries()})


def country_detail(request, code):
    """The country's profile: what membership knows, then the sections the
    other apps contribute (`coalicion.core.sections`, page "country_profile")."""
    country = selectors.country_detail(code=code)
    shown = sections(
        "country_profile", user=request.user, country=country, as_of=timezone.localdate()
    )
    return render(request, "membership/country.html", {"country": country, "shown_sections": shown})


def organ_list(request):
    today = timezone.localdate()
    return render(
        request,
        "membership/organs.html",
        {"organs": selectors.organs_with_functions(today=today), "today": today},
    )


@permission_required("membership.view_directory")
def directory(request):
    country = request.GET.get("country", "")[:2]
    return render(
        request,
        "membership/directory.html",
        {
            "people": selectors.directory(day=timezone.localdate(), country_code=country),
            "countries": Country.objects.members(on=timezone.localdate()),
            "country": country.upper(),
        },
    )


def _own_country(request) -> Country | None:
    """A focal point (not the Secretariat) writes only for their own country."""
    roles = roles_of(request.user)
    if roles.is_secretariat:
        return None
    return Country.objects.filter(pk__in=roles.focal_point_of).order_by("name").first()


def _person_fields(form: PersonForm, own: Country | None) -> dict:
    """The entry as typed; a focal point's entries are always of their country."""
    fields = dict(form.cleaned_data)
    if own is not None:
        fields["country"] = own
    return fields


@permission_required("membership.add_person")
def person_create(request):
    own = _own_country(request)
    form = PersonForm(request.POST or None, allowed_countries=own and [own])
    if request.method == "POST":
        added = submit(
            request,
            lambda: actions.save_person(actor=request.user, **_person_fields(form, own)),
            form=form,
            done=lambda person: _("%(person)s was added to the directory.") % {"person": person},
        )
        if added:
            return redirect("membership:directory")
    return render(request, "membership/person_form.html", {"form": form, "own_country": own})


@permission_required("membership.view_directory")
def person_edit(request, pk):
    person = get_object_or_404(Person, pk=pk)
    check_perm(request, "membership.change_person", person)
    own = None if roles_of(request.user).is_secretariat else person.country
    form = PersonForm(request.POST or None, instance=person, allowed_countries=own and [own])
    if request.method == "POST":
        saved = submit(
            request,
            lambda: actions.save_person(
                actor=request.user,
                person=person,
                version=request.POST.get("version", ""),
                **_person_fields(form, own),
            ),
            form=form,
            done=_("The directory entry was saved."),
        )
        if saved:
            return redirect("membership:directory")
    return render(
        request, "membership/person_form.html", {"form": form, "person": person, "own_country": own}
    )
