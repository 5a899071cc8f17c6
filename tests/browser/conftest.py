"""Headless Chromium (Debian's, via Playwright's sync API) against pytest-django's
live_server. Every page a test visits is watched for CSP violations and console errors;
`Watched.check()` adds axe-core (WCAG 2.0/2.1/2.2 A and AA) and horizontal overflow."""

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
# axe-core (MPL-2.0), vendored for the tests only by scripts/refresh-frontend. The pages'
# CSP refuses inline script (what add_script_tag(path=...) would insert), so the browser
# is given axe at a same-origin URL that Playwright answers from the file: the CSP stays
# on and is still checked.
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_URL = "/__test__/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1280, 320)
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ` +
    v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
}"""
OVERFLOW = """() => { const e = document.documentElement;
  return e.scrollWidth > e.clientWidth ? `${e.scrollWidth} px wide in ${e.clientWidth}` : ""; }"""

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
        # A refusal (403) or a form with errors (422) is the page the test asked for:
        # Chromium reports its status as a console error, which is expected then.
        self.expected_status: dict[str, int] = {}

    def _expected(self, url: str, status: int) -> bool:
        return self.expected_status.get(url.split("#")[0]) == status

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        url = msg.location.get("url") or ""
        status = next((s for u, s in self.expected_status.items() if u == url), None)
        if status and f"status of {status}" in msg.text:
            return
        self.problems.append(f"console {msg.type}: {msg.text} ({url})")

    def _response(self, response) -> None:
        if response.status >= 400 and not self._expected(response.url, response.status):
            self.problems.append(f"HTTP {response.status} for {response.url}")

    def expect(self, path: str, status: int) -> None:
        """The next answer for `path` is meant to be `status` (a refusal, a 422 form)."""
        self.expected_status[self.base_url + path] = status

    def goto(self, path: str, status: int = 200) -> None:
        self.collect()
        if status != 200:
            self.expect(path, status)
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, (path, response.status)
        self.visited.append(path)

    def check(self, label: str, widths=WIDTHS) -> list[str]:
        """axe-core's WCAG A/AA rules, horizontal overflow and CSP violations of the page
        as it is now, at each width; returns the problems found, each naming the page."""
        page = self.page
        page.wait_for_load_state()
        found = []
        original = page.viewport_size
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(url=self.base_url + AXE_URL)
        for width in widths:
            page.set_viewport_size({"width": width, "height": original["height"]})
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                found.append(f"{label} @{width}: horizontal overflow, {overflow}")
            found += [f"{label} @{width}: {v}" for v in page.evaluate(RUN_AXE, WCAG_TAGS)]
        page.set_viewport_size(original)
        self.collect()
        found += [f"{label}: {p}" for p in self.problems]
        self.problems = []
        return found

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
    context.route(
        live_server.url + AXE_URL,
        lambda route: route.fulfill(path=AXE, content_type="text/javascript"),
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield Watched(page, live_server.url)
    context.close()


@pytest.fixture
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
