"""CMA-4 (issue 23): the customer page's timeline, newest first, filtered by kind on the
server and paged by keyset; each section refreshable alone; the lock form loaded only
when opened."""

from django.urls import reverse

from cma.web.timeline import timeline
from tests.factories import CustomerFactory
from tests.web.history import add_history


def _customer(officer, **sizes):
    customer = CustomerFactory(
        address_line="12 Example Street", locality="Parramatta", state="NSW", postcode="2150"
    )
    add_history(customer, officer, CustomerFactory(role="payee"), **sizes)
    return customer


def test_CMA_4_the_timeline_pages_by_keyset_without_gaps_or_repeats(officer):
    # Copies tied at one instant, across two kinds.
    customer = _customer(officer, notes_n=30, letters_n=12, tied=True)
    seen, before = [], None
    while True:
        page = timeline(officer, customer, before=before, size=7)
        seen += [(e.at, e.kind, e.id) for e in page.entries]
        if page.older is None:
            break
        before = page.older
    keys = [(k, i) for _, k, i in seen]
    assert len(keys) == len(set(keys))
    assert sum(1 for k, _ in keys if k == "note") == 30
    assert sum(1 for k, _ in keys if k == "letter") == 12
    assert {"interaction", "attempt", "intray", "decision", "lock"} <= {k for k, _ in keys}
    times = [at for at, _, _ in seen]
    assert times == sorted(times, reverse=True)


def test_CMA_4_the_timeline_filters_by_kind_on_the_server(officer_client, officer):
    customer = _customer(officer, letters_n=3)
    url = reverse("web:customer-detail", args=[customer.pk])
    html = officer_client.get(url, {"kind": "letter"}).content.decode()
    section = html[html.index('id="timeline-section"') : html.index('id="work-section"')]
    assert section.count('data-kind="letter"') == 3
    assert 'data-kind="note"' not in section and 'data-kind="interaction"' not in section
    assert "Download PDF of letter" in section


def test_CMA_4_the_older_link_carries_the_last_entry_and_the_filter(officer_client, officer):
    customer = _customer(officer, notes_n=25)
    url = reverse("web:customer-section", args=[customer.pk, "timeline"])
    first = officer_client.get(url, {"kind": "note"})
    html = first.content.decode()
    assert "<html" not in html and 'id="timeline-section"' in html  # the partial alone
    assert html.count('data-kind="note"') == 20
    token = html.split("before=")[1].split('"')[0].split("#")[0]
    second = officer_client.get(url, {"kind": "note", "before": token}).content.decode()
    assert second.count('data-kind="note"') == 5 and 'rel="next"' not in second
    assert 'rel="first"' in second


def test_a_bad_timeline_link_says_so_and_shows_the_newest(officer_client, officer):
    customer = _customer(officer)
    url = reverse("web:customer-detail", args=[customer.pk])
    response = officer_client.get(url, {"kind": "gossip", "before": "yesterday"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "That link to older entries is not valid: showing the newest." in html
    assert "Some kinds asked for do not exist" in html
    assert 'data-kind="note"' in html


def test_every_section_refreshes_alone(officer_client, officer):
    customer = _customer(officer)
    for section in ("alerts", "identity", "summary", "cases", "work", "decisions", "more"):
        url = reverse("web:customer-section", args=[customer.pk, section])
        response = officer_client.get(url)
        assert response.status_code == 200, section
        html = response.content.decode()
        assert "<html" not in html and f'id="{section}-section"' in html, section
    url = reverse("web:customer-section", args=[customer.pk, "nonsense"])
    assert officer_client.get(url).status_code == 404


def test_CMA_5_the_lock_form_loads_only_when_opened(officer_client, officer):
    customer = CustomerFactory()
    page = officer_client.get(reverse("web:customer-detail", args=[customer.pk]))
    assert 'name="owner"' not in page.content.decode()  # no team or officer list
    url = reverse("work:customer-lock", args=[customer.pk, "lock"])
    fragment = officer_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'name="owner"' in fragment
    assert "Lock customer" in fragment
    full = officer_client.get(url).content.decode()
    assert "<html" in full and 'name="owner"' in full


def test_the_identity_bar_and_summary_strip(officer_client, officer):
    customer = _customer(officer)
    html = officer_client.get(reverse("web:customer-detail", args=[customer.pk])).content
    html = html.decode()
    bar = html[html.index('id="identity-section"') : html.index('id="summary-section"')]
    assert customer.crn in bar and "Age " in bar and "Locked to" in bar and "New issues" in bar
    strip = html[html.index('id="summary-section"') : html.index('id="cases-section"')]
    for label in ("Arrears", "Ongoing liability", "Last payment", "Open work", "Last contact"):
        assert label in strip
    assert "$1,200.00" in strip and "none recorded" not in strip
    assert html.index('id="alerts-section"') < html.index('id="identity-section"')
