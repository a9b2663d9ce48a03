"""Links that lead somewhere (issue 12): for each role and in each language
of the site, every link and form on the main pages — the menus' pages, "My
work", "My account" and the pages they link to — answers something else
than 403 to the person who sees it."""

import re
from urllib.parse import urldefrag, urlparse

import pytest
from django.test import Client

from tests.test_permission_matrix import fixtures  # noqa: F401 (a fixture)

ROLES = ["observer", "focal_point", "focal_point_other", "presidency", "secretariat"]
LANGUAGES = ["es", "en"]
DEPTH = 2
LIMIT = 400  # pages per role; the fixtures' site has fewer

HREF = re.compile(r'<a\s[^>]*href="([^"#][^"]*)"')
FORM = re.compile(r"<form\b([^>]*)>", re.S)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def start(language: str) -> list[str]:
    return [f"/{language}/my-work/", f"/{language}/my-account/", f"/{language}/"]


def skip(language: str) -> re.Pattern:
    """Not followed: signing out, the other language (the same pages, crawled
    in their own run), files and the administration's own pages beyond its
    index (Django's, one per model)."""
    other = next(code for code in LANGUAGES if code != language)
    return re.compile(rf"/accounts/logout/|^/{other}/|\.(xlsx|pdf|ics|json|csv)$|/admin/.+")


def internal(url: str) -> str | None:
    url = urldefrag(url.replace("&amp;", "&"))[0]
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/"):
        return None
    return url


def links_and_forms(html: str):
    links = {u for u in (internal(h) for h in HREF.findall(html)) if u}
    forms = []
    for attributes in FORM.findall(html):
        found = dict(ATTR.findall(attributes))
        forms.append((found.get("method", "get").lower(), found.get("action", "")))
    return links, forms


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_no_link_or_form_on_the_main_pages_answers_403(role, language, fixtures):  # noqa: F811
    client = Client()
    client.force_login(fixtures["users"][role])
    SKIP = skip(language)
    seen: dict[str, int] = {}
    posts: set[str] = set()
    problems = []
    frontier = start(language)
    for depth in range(DEPTH + 1):
        following = []
        for url in frontier:
            if url in seen or SKIP.search(urlparse(url).path) or len(seen) >= LIMIT:
                continue
            response = client.get(url)
            seen[url] = response.status_code
            if response.status_code == 403:
                problems.append(f"GET {url}")
                continue
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            links, forms = links_and_forms(response.content.decode())
            following.extend(sorted(links))
            for method, action in forms:
                target = internal(action) if action else url
                if target and method == "post" and not SKIP.search(urlparse(target).path):
                    posts.add(target)
                elif target and method == "get":
                    following.append(target)
        if depth < DEPTH:
            frontier = following
    for url in sorted(posts):
        # An empty form: refused with a message, or a redirect; never a 403.
        if client.post(url, {}).status_code == 403:
            problems.append(f"POST {url}")
    assert sum(url.startswith(f"/{language}/") for url in seen) > 20
    assert not problems, f"{role} is shown what answers 403 ({language}): {problems}"


def test_the_administration_lists_what_the_secretariat_administers(client_as, english):
    html = client_as("secretariat").get("/en/admin/").content.decode()
    assert "have permission to view or edit anything" not in html
    assert "/en/admin/membership/person/" in html
    assert "/en/admin/meetings/event/" in html


@pytest.mark.parametrize("role", ["observer", "focal_point", "presidency"])
def test_the_administration_is_not_offered_to_whom_it_refuses(role, client_as):
    html = client_as(role).get("/es/my-work/").content.decode()
    assert "/es/admin/" not in html
    assert client_as(role).get("/es/admin/").status_code == 403
