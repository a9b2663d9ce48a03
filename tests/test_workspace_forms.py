"""Forms and errors (issue 12): every `aria-describedby` names an element
of the page, on every page of the permission matrix and on every form sent
empty; a refused form lists its problems at the top, each linking to its field."""

import re

import pytest
from django.test import Client

from tests.test_permission_matrix import MATRIX, fixtures, resolve_url  # noqa: F401

IDS = re.compile(r'\sid="([^"]+)"')
DESCRIBED = re.compile(r'aria-describedby="([^"]+)"')
SUMMARY_LINK = re.compile(r'<div class="error-summary"[^>]*>.*?</div>', re.S)


def missing_references(html: str) -> list[str]:
    ids = set(IDS.findall(html))
    return sorted(
        {name for value in DESCRIBED.findall(html) for name in value.split() if name not in ids}
    )


def html_pages(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("role", ["focal_point", "secretariat"])
def test_every_described_field_points_to_an_element_of_the_page(
    role,
    fixtures,  # noqa: F811
):
    client = Client()
    client.force_login(fixtures["users"][role])
    problems = []
    for name, row in sorted(MATRIX.items()):
        if name.startswith("account_") or name.startswith("mfa_"):
            continue  # allauth's pages, signed out or pending
        url = resolve_url(name, row, fixtures)
        responses = [client.get(url, row.query)]
        if row.write is not None and row.write[role] == "allowed":
            responses.append(client.post(url, {}))
        for response in responses:
            if not html_pages(response):
                continue
            html = response.content.decode()
            if missing := missing_references(html):
                problems.append(f"{response.request['REQUEST_METHOD']} {url}: {missing}")
            if 'aria-invalid="true"' in html:
                summary = SUMMARY_LINK.search(html)
                if summary is None:
                    problems.append(f"{url}: errors without a summary at the top")
    assert not problems, "\n".join(problems)


def test_the_summary_lists_every_problem_with_a_link_to_its_field(client_as, fixtures, english):  # noqa: F811
    from django.urls import reverse

    client = client_as("secretariat")
    url = reverse("meetings:event_create")
    html = client.post(url, {"start": "not a date", "end": "2026-01-01T10:00"}).content.decode()
    summary = SUMMARY_LINK.search(html).group(0)
    assert 'tabindex="-1"' in summary
    links = re.findall(r'href="#([^"]+)"', summary)
    assert "id_title" in links and "id_start" in links and "id_kind" in links
    for target in links:
        assert f'id="{target}"' in html


def test_the_summary_lists_the_actions_rules_beside_the_forms_own(client_as, fixtures, english):  # noqa: F811
    """Issue 12: a rule the action checks (a meeting number already taken)
    is in the same summary as a missing title and a bad date, each linked."""
    from django.urls import reverse

    from coalicion.meetings.models import Event

    client = client_as("secretariat")
    before = Event.objects.count()
    html = client.post(
        reverse("meetings:event_create"),
        {
            "kind": "ordinary",
            "number": "12",
            "title": "",
            "start": "not a date",
            "end": "2026-12-10T17:00",
            "city": "Tegucigalpa",
        },
    ).content.decode()
    summary = SUMMARY_LINK.search(html).group(0)
    links = re.findall(r'href="#([^"]+)"', summary)
    assert {"id_title", "id_start", "id_number"} <= set(links)
    assert "There is already a meeting of this kind with number 12." in summary
    assert Event.objects.count() == before
