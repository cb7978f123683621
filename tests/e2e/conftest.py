"""Browser journeys: each role's main work in Debian's headless Chromium (driven by
Playwright, never a downloaded browser) against the real server.

One demo world per run: a fresh data dir, the real migrations and ``load_demo`` in
process, then ``baken serve`` in a subprocess on 127.0.0.1 and a free port, stopped at
the end however the run ends. One browser for the session, a fresh context per test.

Every step saves a full-page screenshot (1300×900 viewport) as
``<shots>/<journey>/<NN>-<slug>.png``; ``<shots>`` is ``$BAKEN_E2E_SHOTS`` or
``test-artifacts/e2e-shots`` in the repository (gitignored). The user guide takes its
pictures from here (``BAKEN_E2E_SHOTS=docs/guide/img``), so the names are stable.

Without ``chromium`` the tests are skipped, except under CI (``CI`` set): there they fail.
While writing a journey, ``BAKEN_E2E_URL`` (with ``BAKEN_E2E_PASSWORD``) points the tests
at a server already running a demo world instead of starting one.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Response, sync_playwright

from baken.core.config import Settings
from baken.demo import load_demo
from baken.holdings.nlp.loopback import check_loopback_only
from baken.migrations import upgrade
from baken.testing.serving import NotServing, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "e2e-demowereld-wachtwoord"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1300, "height": 900}
# The machine is shared: generous waits, so a slow moment is not a failure.
STARTUP_SECONDS = 240
STEP_MS = 60_000


def shots_root() -> Path:
    return Path(os.environ.get("BAKEN_E2E_SHOTS") or ROOT / "test-artifacts" / "e2e-shots")


@dataclass(frozen=True)
class Server:
    url: str
    password: str


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=20)


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    try:
        wait_until_serving(proc, url, log, STARTUP_SECONDS)
    except NotServing as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo world behind the real server, on loopback only."""
    if os.environ.get("BAKEN_E2E_URL"):
        yield Server(os.environ["BAKEN_E2E_URL"].rstrip("/"), os.environ["BAKEN_E2E_PASSWORD"])
        return
    data = tmp_path_factory.mktemp("e2e-data")
    database_url = f"sqlite:///{data / 'baken.sqlite'}"
    # argon2 at its cheapest: every step signs in again, all from 127.0.0.1, so the
    # sign-in rate limit (20 a minute per address by default) is raised as well.
    cheap = {"argon2_time_cost": "1", "argon2_memory_kib": "64", "rate_login": "600/minute"}
    settings = Settings(data_dir=data, database_url=database_url, **cheap)  # type: ignore[arg-type]
    upgrade(settings)
    load_demo(settings, password=PASSWORD, size="small")  # no mass documents
    # Only what this run means: no BAKEN_* of the caller's shell reaches the server.
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAKEN_")}
    env |= {"BAKEN_DATA_DIR": str(data), "BAKEN_DATABASE_URL": database_url}
    env |= {f"BAKEN_{k.upper()}": v for k, v in cheap.items()}
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = data / "server.log"
    baken = Path(sys.executable).with_name("baken")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(baken), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=data,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(proc, url, log)
        check_loopback_only(port)  # the same check that keeps Frog on loopback
        yield Server(url, PASSWORD)
    finally:
        _stop(proc)


def _chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("CI is set but Debian's chromium is missing (scripts/system-deps installs it)")
    pytest.skip("no chromium on this machine (scripts/system-deps installs Debian's)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


STATUS = re.compile(r"status of (\d{3})")
_STARTED: set[Path] = set()


@dataclass
class Journey:
    """One role's walk through the UI: a page, where its screenshots go, and the
    console errors seen so far."""

    page: Page
    server: Server
    name: str
    errors: list[str]
    allowed: set[int] = field(default_factory=set)
    step: int = 0

    def __post_init__(self) -> None:
        # A run replaces a journey's old pictures; a second journey with the same name in
        # the same run (a role met in two tests) numbers on after the first.
        self.dir = shots_root() / self.name
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.dir not in _STARTED:
            _STARTED.add(self.dir)
            for old in self.dir.glob("*.png"):
                old.unlink()
        self.step = len(list(self.dir.glob("*.png")))

    def section(self, name: str) -> Journey:
        """Another role's screenshots in the same browser page (one shared error list)."""
        return Journey(self.page, self.server, name, self.errors, self.allowed)

    def url(self, path: str) -> str:
        return self.server.url + path

    def login(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.goto("/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", self.server.password)
        self.submit("form[action='/login'] button.primary")
        assert "/login" not in self.page.url, f"{username} could not sign in"

    def goto(self, path: str, status: int = 200) -> None:
        if status >= 400:
            self.allowed.add(status)
        answer = self.page.goto(self.url(path))
        assert answer is not None, path
        assert answer.status == status, (path, answer.status)

    def submit(self, selector: str) -> int:
        """Click a form's button and wait for the page it leads to; return its status."""
        with self.page.expect_navigation() as navigation:
            self.page.locator(selector).first.click()
        answer: Response | None = navigation.value
        return answer.status if answer else 0

    def refused(self, selector: str, status: int = 422) -> str:
        """Submit a form that must be refused; return the message the page shows."""
        self.allowed.add(status)
        got = self.submit(selector)
        assert got == status, f"expected {status}, got {got}"
        message = self.alert()
        assert message, f"no message on the refused page: {self.main()[:600]}"
        return message

    def alert(self) -> str:
        found = self.page.locator("main [role=alert]")
        return found.first.inner_text() if found.count() else ""

    def main(self) -> str:
        return self.page.locator("main").inner_text()

    def shot(self, slug: str) -> Path:
        self.step += 1
        path = self.dir / f"{self.step:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def unguard(self, selector: str) -> None:
        """Drop the browser's own checks (required, min, max) so the server's are tried."""
        self.page.evaluate(
            "s => document.querySelectorAll(s).forEach(e => "
            "['required', 'min', 'max', 'pattern'].forEach(a => e.removeAttribute(a)))",
            selector,
        )


@pytest.fixture
def journey(browser: Browser, server: Server) -> Iterator[Callable[[str], Journey]]:
    """``journey(name)``: a fresh browser context (nothing shared with other tests) and
    the journey's screenshots; fails on console errors the journey did not provoke."""
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")  # type: ignore[arg-type]
    context.set_default_timeout(STEP_MS)
    context.set_default_navigation_timeout(STEP_MS)
    page = context.new_page()
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def page_error(error: Error) -> None:
        errors.append(f"uncaught: {error.message}")

    page.on("console", console)
    page.on("pageerror", page_error)
    made: list[Journey] = []

    def start(name: str) -> Journey:
        made.append(Journey(page, server, name, errors))
        return made[-1]

    try:
        yield start
    finally:
        context.close()
    allowed = set().union(*(j.allowed for j in made)) if made else set()
    unexpected = [e for e in errors if not ((m := STATUS.search(e)) and int(m.group(1)) in allowed)]
    assert not unexpected, f"browser console errors: {unexpected}"
