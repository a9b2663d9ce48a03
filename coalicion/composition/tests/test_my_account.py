""" "My account": one page for the person's account."""

from django.urls import reverse
from django.utils import translation


def account_url():
    with translation.override("en"):
        return reverse("my_account")


def test_my_account_shows_name_roles_security_and_calendar(client_as, users, english):
    page = client_as("focal_point").get(account_url()).content.decode()
    assert "focal.cr@test.invalid" in page
    assert "Country focal point" in page
    assert reverse("account_change_password") in page
    assert reverse("mfa_index") in page
    assert reverse("meetings:my_calendar") in page
    assert "You have no private calendar address." in page


def test_a_person_chooses_the_language_of_their_emails(client_as, users, english):
    client = client_as("focal_point")
    response = client.post(account_url(), {"language": "en"})
    assert response.status_code == 302
    person = users["focal_point"].person
    person.refresh_from_db()
    assert person.language == "en"
    assert person.preferred_language() == "en"
    assert person.history.count() == 2  # created, then changed: who and when are kept


def test_an_unknown_language_is_refused_with_its_message(client_as, users, english):
    response = client_as("focal_point").post(account_url(), {"language": "xx"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_my_account_issues_few_queries(client_as, users, django_assert_max_num_queries):
    client = client_as("secretariat")
    client.get(account_url())
    with django_assert_max_num_queries(15):
        client.get(account_url())
