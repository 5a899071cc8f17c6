"""AUD-1 in the browser (issue 23 item 7): the auditor searches the demo office's trail
for the customer an officer holds, pages to older records, refuses a bad search with
every problem listed, exports the search and checks the whole chain. Every state passes
axe at 1280 and 320 px."""

import pytest

from tests.browser.test_every_page import (
    LOCKED_TO_OFFICER,
    assert_no_problems,
    customer,
    demo,
    focused_class,
    sign_in,
    submit,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["demo"]


def test_AUD_1_the_auditor_searches_pages_exports_and_checks_the_chain(watched, demo):
    found: list[str] = []
    page = watched.page
    sign_in(watched, "auditor")
    visit(watched, found, "/reporting/trail/")
    assert page.locator("#trail tbody tr").count() == 50
    with page.expect_navigation():
        page.click("#trail-older")
    found += watched.check("older records")
    held = customer(LOCKED_TO_OFFICER)
    visit(watched, found, f"/reporting/trail/?customer={held.crn}")
    results = page.inner_text("#trail")
    assert "work.customer.locked" in results and held.family_name not in results
    page.fill("#id_customer", "not a reference")
    page.fill("#id_start", "2026-02-01")
    page.fill("#id_end", "2026-01-01")
    refused = (
        "/reporting/trail/?customer=not+a+reference&actor=&action=&start=2026-02-01&end=2026-01-01"
    )
    submit(watched, "button:has-text('Search the trail')", refused)
    assert "govuk-error-summary" in focused_class(watched)
    assert page.locator(".govuk-error-summary__list li").count() == 2
    found += watched.check("a bad search")
    visit(watched, found, f"/reporting/trail/?customer={held.crn}")
    with page.expect_download() as download:
        page.click("#trail-export")
    assert download.value.suggested_filename.startswith("cma-audit-trail-")
    with page.expect_navigation():
        page.click("button:has-text('Check the whole chain')")
    assert "The chain verifies" in page.inner_text("main")
    found += watched.check("chain checked")
    assert_no_problems(found)
