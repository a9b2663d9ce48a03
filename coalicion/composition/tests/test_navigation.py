"""The layout shows what the apps declare (`coalicion.core.navigation`): the
menus by role, the sub-navigation and stylesheets of an app's pages, and
the member countries of today in the footer."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.composition import context_processors
from coalicion.core import navigation
from coalicion.membership.models import Country

MAIN = [
    "Plan",
    "Indicators",
    "Operating plans",
    "Member countries",
    "Organs",
    "Glossary",
    "Legal framework",
    "Statistics",
]
INTERNAL = ["Monitoring", "Meetings", "Agreements", "Cooperation", "Reports"]
SECRETARIAT = ["Users", "Audit log", "Administration"]


def menu(html: str, selector: str) -> list[str]:
    """The link texts of the header's menu `selector` (an `<ul>` opening tag)."""
    start = html.index(selector)
    block = html[start : html.index("</ul>", start)]
    return re.findall(r"<li><a href=\"[^\"]*\"[^>]*>([^<]+)</a></li>", block)


def main_menu(html: str) -> list[str]:
    return menu(html, '<ul class="main-menu">')


def footer(html: str) -> str:
    return html[html.index('<footer class="container site-footer">') :]


@pytest.fixture
def english_pages():
    with translation.override("en"):
        yield


@pytest.mark.usefixtures("english_pages")
class TestMenus:
    def test_anonymous_visitors_see_the_public_sections_in_order(self, client, plan):
        html = client.get("/en/").content.decode()
        assert main_menu(html) == MAIN
        assert f'href="/en/plans/{plan.code}/indicators/"' in html
        assert "Sign in" in html and "Audit log" not in html

    def test_an_observer_also_sees_the_internal_sections_but_not_the_directory(
        self, observer_client
    ):
        html = observer_client.get("/en/").content.decode()
        assert main_menu(html) == MAIN + INTERNAL
        assert menu(html, '<ul class="account-menu">') == ["My work", "My account"]

    def test_a_focal_point_sees_the_directory(self, client_as):
        html = client_as("focal_point").get("/en/").content.decode()
        assert main_menu(html) == [*MAIN, *INTERNAL, "Directory"]

    def test_the_secretariat_sees_its_tools(self, secretariat_client):
        html = secretariat_client.get("/en/").content.decode()
        assert menu(html, '<ul class="account-menu">') == ["My work", *SECRETARIAT, "My account"]
        assert f'href="{reverse("admin:index")}"' in html

    def test_without_a_plan_its_entries_are_left_out(self, client, db, monkeypatch):
        monkeypatch.setattr("coalicion.plans.navigation.current_plan", lambda request=None: None)
        assert main_menu(client.get("/en/members/").content.decode()) == MAIN[3:]


@pytest.mark.usefixtures("english_pages")
class TestAreas:
    def test_monitoring_pages_carry_its_sub_navigation_by_role(self, client_as):
        html = client_as("observer").get("/en/monitoring/").content.decode()
        assert '<nav aria-label="Monitoring" class="subnav">' in html
        assert menu(html, 'class="subnav"') == ["Dashboard", "Monitoring matrix", "Completeness"]
        html = client_as("secretariat").get("/en/monitoring/").content.decode()
        assert menu(html, 'class="subnav"')[-3:] == [
            "Reports to review",
            "Indicator values to review",
            "Periods",
        ]

    def test_other_pages_have_no_sub_navigation(self, observer_client):
        assert 'class="subnav"' not in observer_client.get("/en/members/").content.decode()

    def test_meetings_pages_load_their_stylesheet_and_no_other_page_does(self, observer_client):
        assert "css/meetings.css" in observer_client.get("/en/meetings/").content.decode()
        assert "css/meetings.css" not in observer_client.get("/en/monitoring/").content.decode()


@pytest.fixture
def kept_countries():
    """The process's list of member countries, put back after the test."""
    kept = dict(context_processors._members)
    yield
    context_processors._members.clear()
    context_processors._members.update(kept)


class TestFooter:
    def test_it_lists_the_member_countries_of_today_in_the_page_language(self, client, plan):
        assert (
            "Belice · Costa Rica · El Salvador · Guatemala · Honduras · México · Nicaragua · "
            "Panamá · República Dominicana"
        ) in footer(client.get("/es/").content.decode())
        assert "Belize · Costa Rica" in footer(client.get("/en/").content.decode())
        assert "Mexico · Nicaragua · Panama · Dominican Republic" in footer(
            client.get("/en/").content.decode()
        )

    def test_a_country_that_left_is_not_listed_once_the_change_is_committed(
        self, client, plan, kept_countries, django_capture_on_commit_callbacks
    ):
        nicaragua = Country.objects.get(code="NI")
        nicaragua.member_until = timezone.localdate() - datetime.timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=True):
            nicaragua.save()
        html = footer(client.get("/es/").content.decode())
        assert "Nicaragua" not in html and "Costa Rica" in html

    def test_a_change_not_committed_leaves_the_list_as_it_was(
        self, client, plan, kept_countries, django_capture_on_commit_callbacks
    ):
        belize = Country.objects.get(code="BZ")
        belize.member_since = timezone.localdate() + datetime.timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=False):
            belize.save()
        assert "Belice" in footer(client.get("/es/").content.decode())

    def test_a_new_day_reads_the_list_again(self, client, plan, kept_countries, monkeypatch):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        Country.objects.filter(code="NI").update(member_until=tomorrow - datetime.timedelta(days=1))
        assert "Nicaragua" in footer(client.get("/es/").content.decode())
        monkeypatch.setattr(context_processors.timezone, "localdate", lambda: tomorrow)
        assert "Nicaragua" not in footer(client.get("/es/").content.decode())

    def test_the_countries_are_read_once_not_on_every_page(self, client, plan):
        client.get("/es/legal/glossary/")
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/es/legal/glossary/").content.decode()
        assert "Guatemala" in footer(html)
        assert not [q for q in queries.captured_queries if "membership_country" in q["sql"]]


class TestRegistry:
    def test_an_entry_is_registered_once(self):
        with pytest.raises(ValueError, match="registered twice"):
            navigation.add_entry("main", key="plan", order=1, label="x", url_name="plans:plan")

    def test_there_are_two_menus(self):
        with pytest.raises(ValueError, match="no menu 'footer'"):
            navigation.add_entry("footer", key="x", order=1, label="x", url_name="home")

    def test_an_area_is_registered_once(self):
        with pytest.raises(ValueError, match="registered twice"):
            navigation.add_area("meetings")
