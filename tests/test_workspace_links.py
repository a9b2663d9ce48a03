"""Links that lead somewhere (issue 12): for each role and in each language
of the site, every link and form on the main pages — the menus' pages, "My
work", "My account" and the pages they link to — answers something else
than 403 to the person who sees it. Forms are sent as the page fills them
(hidden fields, chosen options, the submit button's value) and empty."""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.test import Client

from tests.test_permission_matrix import fixtures  # noqa: F401 (a fixture)

ROLES = ["observer", "focal_point", "focal_point_other", "presidency", "secretariat"]
LANGUAGES = ["es", "en"]
DEPTH = 2
LIMIT = 400  # pages per role; the fixtures' site has fewer

HREF = re.compile(r'<a\s[^>]*href="([^"#][^"]*)"')


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


class FormReader(HTMLParser):
    """Each form of a page with the data it would send as shown: its fields'
    values, the checked boxes, each select's chosen (or first) option, the
    text areas' text and its first submit button's name and value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None  # (name, first option value, chosen?)
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {
                "method": found.get("method", "get").lower(),
                "action": found.get("action", ""),
                "data": {},
                "button": False,
            }
            self.forms.append(self._form)
            return
        form, name = self._form, found.get("name")
        if form is None:
            return
        if tag == "button" or (tag == "input" and found.get("type") == "submit"):
            if name and not form["button"] and found.get("type", "submit") == "submit":
                form["data"][name] = found.get("value", "")
                form["button"] = True
            return
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in found:
                return
            if kind != "file":
                default = "on" if kind == "checkbox" else ""
                form["data"].setdefault(name, found.get("value", default))
        elif tag == "select" and name:
            self._select = [name, None, False]
        elif tag == "option" and self._select is not None:
            value = found.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in found and not self._select[2]:
                form["data"][self._select[0]] = value
                self._select[2] = True
        elif tag == "textarea" and name:
            self._textarea = name
            form["data"][name] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["data"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, first, chosen = self._select
            if not chosen and first is not None and self._form is not None:
                self._form["data"][name] = first
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def links_and_forms(html: str):
    links = {u for u in (internal(h) for h in HREF.findall(html)) if u}
    reader = FormReader()
    reader.feed(html)
    return links, reader.forms


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_no_link_or_form_on_the_main_pages_answers_403(role, language, fixtures):  # noqa: F811
    client = Client()
    client.force_login(fixtures["users"][role])
    SKIP = skip(language)
    seen: dict[str, int] = {}
    posts: dict[str, list[dict]] = {}
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
            for form in forms:
                target = internal(form["action"]) if form["action"] else url
                if not target or SKIP.search(urlparse(target).path):
                    continue
                if form["method"] == "post":
                    posts.setdefault(target, []).append(form["data"])
                else:
                    following.append(target)
        if depth < DEPTH:
            frontier = following
    for url in sorted(posts):
        # Sent empty (refused with a message, or a redirect), then as the page
        # filled it: never a 403.
        for data in [{}, *posts[url]]:
            # Signed in again each time: a form may end the person's own
            # sessions ("sign out everywhere"), after which nothing would answer 403.
            client.force_login(fixtures["users"][role])
            if client.post(url, data).status_code == 403:
                problems.append(f"POST {url} {sorted(data)}")
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
