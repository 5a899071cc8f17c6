"""Staff pages: the customer page's letters panel, write → preview → issue, download.
Accessible markup without inline script or style (CFG-3, CFG-4)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from cma.audit.models import AuditRecord
from cma.letters import services
from cma.letters.models import Letter

from .conftest import SAMPLE_FIELDS, letter_kwargs

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _no_inline_script_or_style(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html and "hx-on" not in html


def _form(code: str, **extra) -> dict:
    return {"template": code, **SAMPLE_FIELDS[code], **extra}


def test_customer_page_lists_letters_with_download_links(officer_client, officer, customer):
    letter = services.issue_letter(**letter_kwargs("DEC-1", customer, officer))
    page = officer_client.get(reverse("web:customer-detail", args=[customer.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="letters-heading"' in html and letter.reference in html
    assert reverse("letters:download", args=[letter.pk]) in html
    assert reverse("letters:new", args=[customer.pk]) in html
    _no_inline_script_or_style(html)


def test_write_page_offers_the_templates_and_the_chosen_templates_inputs(officer_client, customer):
    url = reverse("letters:new", args=[customer.pk])
    page = officer_client.get(url)
    assert page.status_code == 200 and "UQ140.02" in page.content.decode()
    page = officer_client.get(url, {"template": "MX1-1"})
    html = page.content.decode()
    assert 'name="reason"' in html and 'name="request_type"' in html
    assert 'name="employer_notice_outstanding"' in html
    assert "Issue this letter" not in html  # only after a preview
    _no_inline_script_or_style(html)


def test_CON_4_htmx_preview_shows_the_letter_and_the_issue_button(officer_client, customer):
    url = reverse("letters:preview", args=[customer.pk])
    response = officer_client.post(url, _form("MX1-1", employer_notice_outstanding="no"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="letter-work">')
    assert "up-to-date details of your income" in html
    assert "Check response to letter" in html and "Issue this letter" in html
    assert 'name="request_key"' in html
    assert not Letter.objects.exists()
    _no_inline_script_or_style(html)


def test_CON_4_preview_refusal_is_shown_beside_the_fields(officer_client, customer):
    url = reverse("letters:preview", args=[customer.pk])
    form = _form("MX1-1", employer_notice_outstanding="yes")
    response = officer_client.post(url, form, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only 2xx
    assert "error-summary" in html and "CON-4" in html
    assert "Issue this letter" not in html
    assert officer_client.post(url, form).status_code == 422


def test_issue_from_the_page_redirects_to_the_customer_with_a_message(officer_client, customer):
    url = reverse("letters:issue", args=[customer.pk])
    form = _form("DEC-1", request_key="a" * 24)
    response = officer_client.post(url, form, follow=True)
    letter = Letter.objects.get()
    assert response.redirect_chain[-1][0] == reverse("web:customer-detail", args=[customer.pk])
    assert f"Letter {letter.reference} (DEC-1) issued." in response.content.decode()
    # A second click of the same button does not issue a second letter.
    officer_client.post(url, form)
    assert Letter.objects.count() == 1


def test_issue_refusal_re_renders_the_form(officer_client, customer):
    url = reverse("letters:issue", args=[customer.pk])
    response = officer_client.post(url, {"template": "MX0-1", "reason": "Check care"})
    assert response.status_code == 422
    assert "CON-2" in response.content.decode()
    assert not Letter.objects.exists()


def test_page_download_is_a_pdf_attachment_and_audited(officer_client, officer, customer):
    letter = services.issue_letter(**letter_kwargs("DEC-1", customer, officer))
    response = officer_client.get(reverse("letters:download", args=[letter.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert AuditRecord.objects.filter(action="letters.letter.downloaded").count() == 1


def test_catalogue_page_and_nav(officer_client):
    page = officer_client.get(reverse("letters:catalogue"))
    html = page.content.decode()
    assert page.status_code == 200 and "income-details" in html
    assert 'aria-current="page"' in html
    _no_inline_script_or_style(html)


@pytest.mark.parametrize("persona", ["auditor", "administrator"])
def test_SEC_1_roles_without_customer_access_are_refused(request, persona, customer):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("letters:catalogue")).status_code == 403
    assert client.get(reverse("letters:new", args=[customer.pk])).status_code == 403
    response = client.post(reverse("letters:issue", args=[customer.pk]), _form("DEC-1"))
    assert response.status_code == 403 and not Letter.objects.exists()


def test_missing_letter_download_is_404(officer_client):
    assert officer_client.get(reverse("letters:download", args=[99999])).status_code == 404
