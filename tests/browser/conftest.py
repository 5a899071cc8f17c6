"""Headless Chromium (Debian's, via Playwright's sync API) against pytest-django's
live_server. Every page a test visits is watched for CSP violations and console errors."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"

# Records CSP violations before any page script runs.
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def browser(django_db_setup):
    """One Chromium per test module. Playwright's sync API keeps an event loop running
    in this thread while it lives, and Django refuses database calls from a thread with
    a running loop; the tests' own setup and the flush after each test run here, so the
    check is lifted for exactly the browser's lifetime (the live server has its own
    thread and is unaffected)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-packages (make test does)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Watched:
    """A page plus everything it reported: CSP violations, console errors, page errors."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("response", self._response)
        self.visited: list[str] = []

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        self.problems.append(f"console {msg.type}: {msg.text} ({msg.location.get('url')})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} for {response.url}")

    def goto(self, path: str) -> None:
        self.collect()
        self.page.goto(self.base_url + path)
        self.visited.append(path)

    def collect(self) -> None:
        """Move the current document's CSP violations into `problems`."""
        try:
            found = self.page.evaluate("window.__csp || []")
        except Exception:  # the page is mid-navigation: nothing to read yet
            found = []
        self.problems += [f"CSP violation on {self.page.url}: {v}" for v in found]
        if found:
            self.page.evaluate("window.__csp = []")

    def focused(self) -> dict:
        return self.page.evaluate(
            """() => { const e = document.activeElement;
                return {tag: e.tagName.toLowerCase(), id: e.id, name: e.name || '',
                        cls: e.className || '', text: (e.innerText || '').trim()}; }"""
        )


@pytest.fixture
def watched(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield Watched(page, live_server.url)
    context.close()


@pytest.fixture
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
