"""Every staff page, as each demo persona uses it, in headless Chromium at 1280 and 320
CSS px: axe-core's WCAG 2.0/2.1/2.2 A and AA rules find nothing, nothing scrolls sideways
(WCAG 1.4.10), no CSP violation (CFG-3, CFG-4), no console error; error summaries take
focus after a full load and after an htmx swap. The demo office (`cma demo load`) is the
data. A refusal (403) or a form's errors (422) is expected where the test says so.

Each test collects every problem of its persona's pages and reports them all at once."""

import pytest
from django.conf import settings
from django.test import Client

from cma.contact import services as contact
from cma.customers.models import Customer
from cma.decisions.models import Decision
from cma.demo import core, extra_steps
from cma.demo.core import _crn
from cma.demo.personalised import STAGES
from cma.notes.models import Note, RestrictedServiceReview, StackingDocument
from cma.personalised.models import FaceToFace, PsPlan, Referral
from cma.staff.models import User
from cma.work.models import Intray

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Demo customers by their index in `cma demo load` (see cma.demo).
LOCKED_TO_OFFICER, AT_RISK, RESTRICTED, NORFOLK, PS_CUSTOMER, UNLOCKED = 0, 41, 42, 13, 22, 44
NOTES_CUSTOMER = 40


@pytest.fixture
def demo(live_server):
    for step in [core.load_staff, core.load_customers, *extra_steps()]:
        step()


def customer(index: int) -> Customer:
    return Customer.objects.get(crn=_crn(index))


def sign_in(watched, username: str) -> None:
    """A session made on the server side, handed to the browser as its cookie."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    watched.page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": watched.base_url}]
    )


def focused_class(watched) -> str:
    return watched.page.evaluate("document.activeElement.className || ''")


def assert_no_problems(found: list[str]) -> None:
    assert found == [], "\n".join(found)


def visit(watched, found: list[str], path: str, status: int = 200) -> None:
    watched.goto(path, status)
    found += watched.check(path)


def submit(watched, selector: str, path: str, status: int = 422) -> None:
    """Press a form's button; the browser navigates to the answer (a 422 page)."""
    watched.expect(path, status)
    with watched.page.expect_navigation():
        watched.page.click(selector)


def swap(watched, selector: str, result: str, path: str | None = None) -> None:
    """Press a button whose form htmx sends; wait for `result` to be swapped in. With
    `path`, the answer is a 422 (the form and its errors, which htmx swaps in too)."""
    if path:
        watched.expect(path, 422)
    watched.page.click(selector)
    watched.page.wait_for_selector(result)


def test_CFG_3_officer_pages(watched, demo, output_dir):
    sign_in(watched, "officer")
    found: list[str] = []
    page = watched.page
    for path in ["/", "/letters/", "/contact/receipts/", f"/customers/{customer(NORFOLK).pk}/"]:
        visit(watched, found, path)

    # Search: results and the error summary come back over htmx.
    visit(watched, found, "/customers/search/")
    page.fill("#id_query", customer(LOCKED_TO_OFFICER).crn)
    swap(watched, "#main button[type=submit]", "#results-heading")
    found += watched.check("search results")
    page.fill("#id_query", " ")
    swap(watched, "#main button[type=submit]", "#search-results .govuk-error-summary")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("search with no query")

    # The customer page, locked to the officer; the at-risk payee (warning first).
    locked = customer(LOCKED_TO_OFFICER)
    visit(watched, found, f"/customers/{locked.pk}/")
    visit(watched, found, f"/customers/{customer(AT_RISK).pk}/")

    # The customer page's timeline filtered to notes, then its older page: first by
    # link (the server's keyset page), then by htmx swapping the section alone.
    author = User.objects.get(username="officer")
    Note.objects.bulk_create(
        Note(customer=locked, subject=f"Follow-up {i}", body="Discussed care.", author=author)
        for i in range(25)
    )
    visit(watched, found, f"/customers/{locked.pk}/?kind=note#timeline-heading")
    older = page.get_attribute("#timeline-section a[rel=next]", "href")
    assert older and "before=" in older
    visit(watched, found, older)
    assert page.locator("#timeline-section a[rel=first]").count() == 1
    visit(watched, found, f"/customers/{locked.pk}/")
    page.check("#timeline-kind-note")
    page.click("#timeline-section button:has-text('Filter timeline')")
    page.wait_for_function(
        "!document.querySelector('#timeline-section [data-kind]:not([data-kind=note])')"
    )
    page.click("#timeline-section a[rel=next]")
    page.wait_for_selector("#timeline-section a[rel=first]")
    found += watched.check("timeline filtered, older page by htmx")

    # Recording a decision on one of the customer's cases: the form, its refusal beside
    # the fields; then a decision's edit page.
    visit(watched, found, f"/decisions/new/{locked.pk}/")
    submit(watched, "button:has-text('Record the decision')", f"/decisions/new/{locked.pk}/")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("decision form refused")
    first = Decision.objects.order_by("pk").first()
    visit(watched, found, f"/decisions/{first.pk}/edit/")
    # The decision maker's list, sorted on the server either way (CMA-6).
    visit(watched, found, "/decisions/")
    visit(watched, found, "/decisions/?sort=effective&order=desc")

    # Lock a customer with no reason: the lock page shows its error summary, focused.
    unlocked = customer(UNLOCKED)
    visit(watched, found, f"/customers/{unlocked.pk}/")
    page.click("text=Lock this customer")
    submit(watched, "button:has-text('Lock customer')", f"/work/customers/{unlocked.pk}/lock/")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("lock with no reason")

    # My work, with Get next work swapped in.
    visit(watched, found, "/work/")
    swap(watched, "button:has-text('Get next work')", "#next-result h3")
    found += watched.check("get next work")

    # An intray and a refused action; a new intray with nothing chosen.
    item = Intray.objects.filter(owner_user__username="officer", status="open").first()
    visit(watched, found, f"/work/intrays/{item.pk}/")
    submit(watched, "button:has-text('Delete intray')", f"/work/intrays/{item.pk}/delete/")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("delete an intray with no reason")
    visit(watched, found, f"/work/customers/{locked.pk}/intrays/new/")
    page.select_option("#id_type_code", index=0)
    submit(watched, "button:has-text('Create intray')", f"/work/customers/{locked.pk}/intrays/new/")
    found += watched.check("new intray refused")

    # Where should this go? Errors and advice over htmx.
    visit(watched, found, f"/work/customers/{locked.pk}/route/")
    route = f"/work/customers/{locked.pk}/route/"
    swap(watched, "button:has-text('Show where to route')", "#advice .govuk-error-summary", route)
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("route with nothing ticked")
    page.check("#id_issues_0")
    swap(watched, "button:has-text('Show where to route')", "#advice-heading")
    found += watched.check("routing advice")

    # Notes: search over htmx, a macro note, a refused note, a note.
    noted = customer(NOTES_CUSTOMER)
    visit(watched, found, f"/notes/customers/{noted.pk}/")
    page.fill("#id_subject", "arrears")
    swap(watched, "#main form[role=search] button", "#results-heading")
    found += watched.check("note search")
    visit(watched, found, f"/notes/customers/{noted.pk}/new/?macro=contact-attempt")
    visit(watched, found, f"/notes/customers/{noted.pk}/new/")
    page.fill("#id_subject", "Call")
    page.fill("#id_body", "Called 0413 222 901 and emailed jo@example.com")
    submit(watched, "button:has-text('Save note')", f"/notes/customers/{noted.pk}/new/")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("note with personal information")
    visit(watched, found, f"/notes/{Note.objects.filter(customer=noted).first().pk}/")

    # A letter: the preview's errors, then the preview, both swapped in by htmx.
    visit(watched, found, f"/letters/customers/{locked.pk}/new/?template=MX1-1")
    swap(watched, "button:has-text('Preview the letter')", "#letter-work .govuk-error-summary")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("letter preview refused")
    # A full-page screenshot leaves style="" on the form's inputs (as browser extensions
    # do); htmx must not copy such attributes when it settles the next swap (CSP).
    page.screenshot(path=str(output_dir / "letter-preview-refused.png"), full_page=True)
    page.check("#id_employer_notice_outstanding_0")
    page.select_option("#id_reason", index=1)
    page.select_option("#id_request_type", index=1)
    swap(watched, "button:has-text('Preview the letter')", "#preview-heading")
    found += watched.check("letter preview")

    # The API documentation as drawn, then with one operation opened.
    watched.goto("/api/v1/docs")
    # Swagger UI resolves the whole schema (138 operations, ~330 KB) in the browser
    # before it draws: 6-9 s on this 2-core machine kind, more under load.
    page.wait_for_selector(".opblock-summary-control", timeout=60_000)
    found += watched.check("/api/v1/docs")
    page.click(".opblock-summary-control")
    page.wait_for_selector(".opblock-body")
    found += watched.check("API docs, one operation open")
    assert_no_problems(found)


def test_CFG_3_team_leader_national_manager_and_ps_pages(watched, demo):
    found: list[str] = []
    page = watched.page
    sign_in(watched, "teamleader")
    visit(watched, found, "/work/team/")
    row = page.locator("tr[id^=intray-row-]").first
    row_id = row.get_attribute("id")
    pk = row_id.removeprefix("intray-row-")
    # One form for the queue: a row's Re-assign with no owner chosen comes back (422)
    # with the error summary; then one owner for the ticked rows.
    submit(watched, f"#{row_id} button:has-text('Re-assign')", "/work/team/reassign/")
    page.wait_for_selector(".govuk-error-summary")
    found += watched.check("re-assign with no owner")
    page.locator("#bulk_owner").select_option("me")
    page.locator(f"#pick-{pk}").check(force=True)
    with page.expect_navigation():
        page.click("button:has-text('Re-assign chosen work')")
    assert f"Intray {pk} now with" in page.inner_text("main")
    found += watched.check("re-assigned")
    # Sorted and filtered on the server: the column's header says how.
    visit(watched, found, "/work/team/?sort=-priority&status=open")
    assert page.get_attribute("th[aria-sort=descending] a", "href").endswith("sort=priority")
    visit(watched, found, f"/customers/{customer(AT_RISK).pk}/")

    # A call an officer ended against the customer's wishes: the notification (CON-15).
    officer = User.objects.get(username="officer")
    call = contact.open_interaction(
        customer=customer(UNLOCKED), actor=officer, direction="inbound", channel="phone"
    )
    contact.end_interaction(
        interaction=call, actor=officer, reason="against-wishes", wishes_reason="Kept shouting"
    )
    visit(watched, found, "/")
    assert "Notifications (1 open)" in page.inner_text("nav")
    visit(watched, found, "/contact/notifications/")
    swap(watched, "button:has-text('Acknowledge')", "#main [role=status]")
    found += watched.check("notification acknowledged")
    # Collection figures (CMA-1, REP-1): the team's, and a period refused beside its field.
    visit(watched, found, "/collection/figures/")
    visit(watched, found, "/collection/figures/?start=2026-12-01&end=2026-11-01", status=422)

    sign_in(watched, "nmqcc")
    visit(watched, found, "/collection/figures/")
    visit(watched, found, "/notes/restricted-service/approvals/")
    review = RestrictedServiceReview.objects.get()
    page.check(f"#id_review{review.pk}_decision_1")  # do not approve, without a comment
    submit(
        watched,
        "button:has-text('Record decision')",
        f"/notes/restricted-service/reviews/{review.pk}/decide/",
    )
    assert "govuk-error-summary" in focused_class(watched)
    assert page.is_checked(f"#id_review{review.pk}_decision_1")
    found += watched.check("approval refused")
    visit(watched, found, f"/customers/{customer(RESTRICTED).pk}/")

    sign_in(watched, "pscm")
    restricted = customer(RESTRICTED)
    document = StackingDocument.objects.get(customer=restricted)
    for path in [
        f"/customers/{customer(PS_CUSTOMER).pk}/",
        f"/customers/{restricted.pk}/",
        f"/notes/customers/{restricted.pk}/sensitive/",
        f"/notes/stacking/{document.pk}/",
        f"/notes/customers/{restricted.pk}/stacking/new/",
        f"/letters/customers/{restricted.pk}/new/?template=UQ140.00",
        "/ps/caseload/",
        "/ps/caseload/?sort=-due",
        *[f"/ps/plans/{pk}/contact/" for pk in PsPlan.objects.values_list("pk", flat=True)],
    ]:
        visit(watched, found, path)

    # PS-12: the specialist's decision on the PS customer, its mandate page (the case
    # manager, their availability), and the consultation recorded with nothing filled in.
    sign_in(watched, "specialist")
    ps_decision = Decision.objects.filter(ps_consultations__isnull=False).first()
    mandate_page = f"/ps/mandate/decisions/{ps_decision.pk}/"
    visit(watched, found, f"/decisions/{ps_decision.pk}/")
    visit(watched, found, mandate_page)
    record_path = f"{mandate_page}{ps_decision.ps_consultations.get().customer_id}/record/"
    submit(watched, "button:has-text('Record the consultation')", record_path)
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("consultation refused")

    # The other roles' own pages.
    sign_in(watched, "pstl")
    visit(watched, found, f"/notes/customers/{restricted.pk}/sensitive/")
    visit(watched, found, "/ps/approvals/")
    meeting = FaceToFace.objects.get()
    page.check(f"#id_meet{meeting.pk}_decision_1")  # do not approve, without a comment
    submit(
        watched,
        "button:has-text('Record decision')",
        f"/ps/face-to-face/{meeting.pk}/decide/",
    )
    found += watched.check("face-to-face decline refused")
    for persona in ("specialist", "officer2"):
        sign_in(watched, persona)
        visit(watched, found, "/")
        visit(watched, found, "/work/")
    assert_no_problems(found)


def test_CFG_3_sign_in_and_staff_without_customer_access(watched, demo):
    found: list[str] = []
    page = watched.page
    visit(watched, found, "/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "not-the-password")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("/login/ with a wrong password")
    for persona in ("admin", "auditor"):
        sign_in(watched, persona)
        visit(watched, found, "/")
        visit(watched, found, f"/customers/{customer(LOCKED_TO_OFFICER).pk}/", status=403)
        visit(watched, found, "/customers/search/")
        page.fill("#id_query", "Smith")
        swap(watched, "#main button[type=submit]", "#search-results .govuk-error-summary")
        found += watched.check(f"search refused to {persona}")
    assert_no_problems(found)


def _ps_referrals() -> dict[str, Referral]:
    """The demo's PS customers, one at each stage of part 1 (cma.demo.personalised)."""
    return dict(zip(STAGES, Referral.objects.order_by("pk"), strict=False))


def test_CFG_3_PS_1_PS_6_ps_core_pages(watched, demo):
    """The PS core's pages as the PS case manager and the PS Team Leader use them: the
    referral form and its refusal, the referral page at each stage with a refused and a
    recorded step swapped in, the plan page (a refused status move swapped in), its edit
    page and one version, and segment 3 awaiting the PS Team Leader's approval."""
    found: list[str] = []
    page = watched.page
    stages = _ps_referrals()
    sign_in(watched, "pscm")
    received = stages["received"]
    visit(watched, found, f"/customers/{received.primary_customer_id}/")
    visit(watched, found, f"/ps/referrals/{received.pk}/")

    # A referral from the customer page: the form, then refused (no type chosen).
    referred = Referral.objects.values_list("primary_customer_id", flat=True)
    fresh = Customer.objects.exclude(pk__in=list(referred)).filter(role="payer").first()
    visit(watched, found, f"/ps/referrals/new/{fresh.pk}/")
    submit(watched, "button:has-text('Make the referral')", f"/ps/referrals/new/{fresh.pk}/")
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("referral form refused")

    # The checklist part-way: the case review with no text (422 swapped in), then done.
    part_way = stages["part-way"]
    step_url = f"/ps/referrals/{part_way.pk}/steps/complete-case-review/"
    visit(watched, found, f"/ps/referrals/{part_way.pk}/")
    swap(
        watched,
        "button:has-text('Record this step')",
        "#ps-checklist .govuk-error-summary",
        step_url,
    )
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("checklist step refused")
    page.fill("#id_complete-case-review_text", "Reviewed the assessments and the notepads.")
    swap(watched, "button:has-text('Record this step')", "#ps-checklist [role=status]")
    found += watched.check("checklist step recorded")

    # The plan being completed: its page, a status move with nothing chosen, edit, version.
    draft = PsPlan.objects.get(referral=stages["plan-draft"])
    visit(watched, found, f"/ps/referrals/{stages['plan-draft'].pk}/")
    visit(watched, found, f"/ps/plans/{draft.pk}/")
    issue = draft.issues.order_by("position").first()
    page.click(f"text=Move: {issue.title}")
    swap(
        watched, f"button:has-text('Save the status of {issue.title}')", "#ps-issues [role=status]"
    )
    found += watched.check("issue status moved")
    swap(
        watched,
        "button:has-text('Add the issue')",
        "#ps-issues .govuk-error-summary",
        f"/ps/plans/{draft.pk}/issues/",
    )
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("further issue refused")
    visit(watched, found, f"/ps/plans/{draft.pk}/edit/")
    visit(watched, found, f"/ps/plans/{draft.pk}/versions/1/")
    approved = PsPlan.objects.get(referral=stages["approved"])
    visit(watched, found, f"/ps/plans/{approved.pk}/")

    # Segment 3 awaiting approval: the PS Team Leader refuses without a reason (422).
    pending = PsPlan.objects.get(referral=stages["segment-3-pending"])
    visit(watched, found, f"/ps/plans/{pending.pk}/")
    sign_in(watched, "pstl")
    visit(watched, found, f"/ps/plans/{pending.pk}/")
    decision = pending.segment_decisions.get(approval="pending")
    page.check("#id_approval_approve_1")
    swap(
        watched,
        "button:has-text('Record the approval decision')",
        "#ps-segment .govuk-error-summary",
        f"/ps/segment-decisions/{decision.pk}/approval/",
    )
    assert "govuk-error-summary" in focused_class(watched)
    found += watched.check("segment 3 refused without a reason")
    visit(watched, found, f"/ps/referrals/{received.pk}/")
    assert_no_problems(found)
