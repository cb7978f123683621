"""The people of the load scenario (``benchmarks/load.py`` runs this with locust).

Each locust user is one demo user signed in once through the login form (CSRF token
and all), then working as that role does, with a pause of 1-5 s between pages:

* analysts search the holdings, open the documents and entities they find, and read
  products;
* screening officers (``uvo``, ``kmar`` under mandate) work their screening queues and
  open cases;
* employers' security officers look up their staff in the register of
  vertrouwensfunctionarissen and follow their screenings in the employer portal;
* a partner (``nctv``) reads the products released to it.

Every answer is checked: status 200, signed in as that user (the header names them),
and the page that was asked for (its heading, in Dutch: the default language, or a link
only that page has). Anything else is a failure.

``BAKEN_LOAD_PASSWORD`` is the demo password. ``BAKEN_LOAD_WAIT=0`` drops the pauses
and takes each role's first account: one user then measures the unloaded latency of the
same work (the baseline).

Only loaded by locust (which patches the standard library with gevent on import), never
by the test suite or the rest of ``benchmarks``.
"""

from __future__ import annotations

import html
import os
import random
import re
from typing import ClassVar

from locust import HttpUser, between, constant, task

PASSWORD = os.environ.get("BAKEN_LOAD_PASSWORD", "")
BASELINE = os.environ.get("BAKEN_LOAD_WAIT", "1") == "0"
WAIT = constant(0) if BASELINE else between(1, 5)

SEARCH_TERMS = (
    "Orlov",
    "Noordzee Logistiek",
    "Ocean Bridge",
    "haven",
    "sancties",
    "spionage",
    "cyber",
    "Rotterdam",
    "financiering",
    "drones",
    "beïnvloeding",
    "export",
)
REGISTER = "<h1>Register van vertrouwensfunctionarissen<"
WHO = re.compile(r'class="who">([^<]*)</a>')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# A hit: its marking badge, then the link to the document or entity.
HIT = re.compile(r'</span> <a href="(/(?:documenten|entiteiten)/[^"]+)">')
ENTITY = re.compile(r'href="(/entiteiten/[^"/]+)"')
PRODUCT = re.compile(r'href="(/producten/\d+)"')
RELEASE = re.compile(r'href="(/portaal/\d+)"')
SCREENING = re.compile(r'href="(/veiligheidsonderzoeken/\d+)"')
EMPLOYER_CASE = re.compile(r'href="(/werkgever/onderzoeken/\d+)"')


class BakenUser(HttpUser):
    """A demo user of one role; subclasses name the accounts and the work."""

    abstract = True
    wait_time = WAIT
    accounts: ClassVar[tuple[str, ...]] = ()

    def on_start(self) -> None:
        # The baseline is the same account every run (the first of the role).
        self.username = self.accounts[0] if BASELINE else random.choice(self.accounts)
        self.who = ""
        page = self.client.get("/login", name="sign-in form")
        token = CSRF.search(page.text)
        form = {
            "username": self.username,
            "password": PASSWORD,
            "csrf_token": token.group(1) if token else "",
            "next": "/",
        }
        with self.client.post(
            "/login", data=form, name="sign-in", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 303:
                answer.failure(f"sign-in as {self.username}: {answer.status_code}")
                return
        with self.client.get("/", name="home", catch_response=True) as home:
            found = WHO.search(home.text or "")
            self.who = found.group(1) if found else ""
            if home.status_code != 200 or not self.who:
                home.failure(f"sign-in as {self.username}: not signed in")

    def page(self, url: str, name: str, marker: str) -> str:
        """GET ``url`` and check it is the page asked for, seen by this user."""
        with self.client.get(url, name=name, catch_response=True) as answer:
            text = answer.text or ""
            if answer.status_code == 0:  # no answer: the connection failed
                answer.failure(f"{url}: {answer.error!r}")
            elif answer.status_code != 200:
                answer.failure(f"{url}: status {answer.status_code}")
            elif answer.url is not None and "/login" in answer.url:
                answer.failure(f"{url}: sent to the login page")
            elif not self.who or f'class="who">{self.who}</a>' not in text:
                answer.failure(f"{url}: not signed in as {self.username}")
            elif marker not in text:
                answer.failure(f"{url}: not the expected page (no {marker!r})")
            else:
                answer.success()
            return text

    @staticmethod
    def pick(pattern: re.Pattern[str], text: str) -> str | None:
        found = pattern.findall(text)
        return html.unescape(random.choice(found)) if found else None


class Analyst(BakenUser):
    weight = 6
    accounts = ("analist.zg", "analist.g", "analist.c", "analist.dv", "analist.mivd")

    def on_start(self) -> None:
        super().on_start()
        self.hits: list[str] = []
        self.entities: list[str] = []

    @task(4)
    def search(self) -> None:
        term = random.choice(SEARCH_TERMS)
        text = self.page(f"/zoeken?q={term}", "search", "<h1>Zoeken<")
        self.hits = [html.unescape(h) for h in HIT.findall(text)] or self.hits

    @task(3)
    def open_hit(self) -> None:
        if not self.hits:
            return self.search()
        url = random.choice(self.hits)
        if url.startswith("/entiteiten/"):
            self.page(url, "entity view", "<h1")
            return None
        text = self.page(url, "document view", "<h1")
        self.entities = [html.unescape(e) for e in ENTITY.findall(text)] or self.entities
        return None

    @task(2)
    def open_entity(self) -> None:
        if not self.entities:
            return self.open_hit()
        self.page(random.choice(self.entities), "entity view", "<h1")
        return None

    @task(1)
    def products(self) -> None:
        text = self.page("/producten", "product list", "<h1>Producten<")
        url = self.pick(PRODUCT, text)
        if url:
            self.page(url, "product view", f'href="{url}/pdf"')


class ScreeningOfficer(BakenUser):
    weight = 2
    accounts = ("uvo", "kmar")
    tabs: ClassVar[tuple[str, ...]] = ("mijn", "intake", "te-laat", "risico", "alle")

    @task(3)
    def queue(self) -> None:
        tab = random.choice(self.tabs)
        text = self.page(
            f"/veiligheidsonderzoeken?wachtrij={tab}",
            "screening queue",
            "<h1>Veiligheidsonderzoeken<",
        )
        url = self.pick(SCREENING, text)
        if url:
            self.page(url, "screening view", "<h1")

    @task(1)
    def register(self) -> None:
        employer = random.choice(("EMPLOYER-A", "EMPLOYER-B"))
        self.page(f"/register?werkgever={employer}", "register look-up", REGISTER)


class EmployerOfficer(BakenUser):
    weight = 2
    accounts = ("werkgever", "werkgever.b")

    @task(2)
    def register(self) -> None:
        suffix = random.choice(("", "?verleden=1"))
        self.page(f"/register{suffix}", "register look-up", REGISTER)

    @task(2)
    def portal(self) -> None:
        text = self.page("/werkgever", "employer portal", "<h1>Werkgeversportaal<")
        url = self.pick(EMPLOYER_CASE, text)
        if url:
            self.page(url, "employer case", "<h1")


class Partner(BakenUser):
    weight = 1
    accounts = ("nctv",)

    @task
    def received(self) -> None:
        text = self.page("/portaal", "received products", "<h1>Ontvangen producten<")
        url = self.pick(RELEASE, text)
        if url:
            self.page(url, "received product", "<h1")
