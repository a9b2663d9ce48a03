"""The load test's users (locust): each signs in through the real flow —
password, then a TOTP code — and then uses the site as a focal point does,
pausing between requests (LOAD_PAUSE=1, 1–3 s) or not at all (LOAD_PAUSE=0,
to find the saturation throughput). Run by bench/load.py; not by hand.

The server runs the production configuration behind no proxy: every request
says it came over HTTPS from its user's own address (X-Forwarded-Proto and
X-Forwarded-For, as the front proxy would), and
the session and CSRF cookies (marked Secure) are carried by hand, since the
HTTP client keeps Secure cookies to HTTPS addresses.
"""

import itertools
import json
import os
import re
from urllib.parse import urlsplit

from locust import HttpUser, between, constant, task

from bench.load import totp

with open(os.environ["LOAD_USERS_FILE"], encoding="utf-8") as handle:
    ACCOUNTS = json.load(handle)
NEXT_ACCOUNT = itertools.count()
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REPORT_FORM = re.compile(r'href="(/es/monitoring/reports/\d+/\d+/)"')
STYLESHEET = re.compile(r'href="(/static/[^"]+\.css)"')


class FocalPoint(HttpUser):
    wait_time = between(1, 3) if os.environ.get("LOAD_PAUSE", "1") == "1" else constant(0)

    def on_start(self):
        self.cookies: dict[str, str] = {}
        self.report_form = None
        self.stylesheet = None
        n = next(NEXT_ACCOUNT)
        # Each person from their own address, as the front proxy reports it
        # (the server trusts one proxy): sign-in limits are per address.
        self.address = f"10.0.{n // 250}.{n % 250 + 1}"
        self.sign_in(ACCOUNTS[n % len(ACCOUNTS)])

    # --- HTTP with the cookies and headers a browser behind the proxy sends --

    def send(self, method: str, path: str, *, name: str | None = None, **kwargs):
        host = urlsplit(self.host).netloc
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Referer": f"https://{host}{path}",
            "Accept-Encoding": "br, gzip",
            "Accept-Language": "es",
        }
        if method == "POST":
            headers["Origin"] = f"https://{host}"
        response = self.client.request(
            method,
            path,
            name=name or path,
            headers=headers,
            cookies=dict(self.cookies),
            allow_redirects=False,
            **kwargs,
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def sign_in(self, account: dict) -> None:
        page = self.send("GET", "/es/accounts/login/", name="sign-in")
        token = CSRF_FIELD.search(page.text).group(1)
        data = {
            "login": account["email"],
            "password": account["password"],
            "csrfmiddlewaretoken": token,
        }
        answer = self.send("POST", "/es/accounts/login/", name="sign-in", data=data)
        if answer.status_code != 302:
            raise RuntimeError(f"sign-in answered {answer.status_code} for {account['email']}")
        page = self.send("GET", answer.headers["Location"], name="second factor")
        token = CSRF_FIELD.search(page.text).group(1)
        data = {"code": totp(account["secret"]), "csrfmiddlewaretoken": token}
        answer = self.send("POST", answer.headers["Location"], name="second factor", data=data)
        if answer.status_code != 302:
            raise RuntimeError(f"the second factor answered {answer.status_code}")

    def page(self, path: str, name: str):
        with self.client.request(
            "GET",
            path,
            name=name,
            headers={
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": self.address,
                "Accept-Encoding": "br, gzip",
                "Accept-Language": "es",
            },
            cookies=dict(self.cookies),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
            self.cookies.update(response.cookies.get_dict())
            return response

    # --- What a focal point does ------------------------------------------

    @task(3)
    def my_work(self):
        response = self.page("/es/my-work/", "my work")
        found = STYLESHEET.search(response.text or "")
        if found:
            self.stylesheet = found.group(1)

    @task(3)
    def dashboard(self):
        self.page("/es/monitoring/", "dashboard (charts embedded)")

    @task(2)
    def matrix(self):
        self.page("/es/monitoring/matrix/", "matrix")

    @task(2)
    def agreements(self):
        self.page("/es/meetings/agreements/", "agreements")

    @task(2)
    def calendar(self):
        self.page("/es/meetings/", "calendar")

    @task(2)
    def my_reports(self):
        response = self.page("/es/monitoring/reports/", "my reports")
        found = REPORT_FORM.search(response.text or "")
        if found:
            self.report_form = found.group(1)

    @task(1)
    def report_form(self):
        if self.report_form:
            self.page(self.report_form, "report form")

    @task(2)
    def stylesheet_file(self):
        if self.stylesheet:
            self.page(self.stylesheet, "static CSS")

    @task(1)
    def matrix_xlsx(self):
        self.page("/es/monitoring/matrix.xlsx", "matrix XLSX")
