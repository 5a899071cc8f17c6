"""Separating Safely (DOC-6): the at-risk payee's protected details (sentinels) never
appear in the other party's pages, API responses or letters; every page about the
at-risk customer shows the warning before any detail."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from cma.letters import services as letters
from cma.letters.errors import LetterRefused
from cma.notes import services
from cma.notes.errors import AlreadyAtRisk, NotAtRisk
from cma.notes.models import Note
from cma.privacy.checks import check_free_text
from cma.privacy.errors import ProtectedDetailsFound
from cma.privacy.separating import BANNER, is_at_risk, protected_elements, withheld_for

from .conftest import (
    SENTINEL_ADDRESS,
    SENTINEL_EMAIL,
    SENTINEL_LOCALITY,
    SENTINELS,
    client_for,
    contains_sentinel,
)

BANNER_HTML = escape(BANNER)
DEC_FIELDS = {
    "decision_summary": "Your child support will be $412.50 a month from 1 December 2026.",
    "review_options": "You can ask us to review it by lodging an objection within 28 days.",
}


def test_DOC_6_protected_values_of_an_at_risk_customer(payee, at_risk_payee, payer):
    protected = protected_elements(payee)
    for value in SENTINELS:
        assert [f.text for f in protected.find(f"x {value} y")] == [value], value
    assert not protected_elements(payer) and not is_at_risk(payer)
    # What is withheld from the other party is exactly the at-risk payee's elements.
    assert withheld_for(payer) == protected and not withheld_for(payee)


def test_DOC_6_mark_twice_refused_and_end_needs_a_privacy_role(payee, at_risk_payee, officer):
    with pytest.raises(AlreadyAtRisk):
        services.mark_at_risk(customer=payee, actor=at_risk_payee_marker(payee), reason="again")
    with pytest.raises(Exception, match="cannot end"):
        services.end_at_risk(customer=payee, actor=officer, reason="Order expired")


def at_risk_payee_marker(payee):
    return payee.safety_markers.get().marked_by


def test_DOC_6_end_restores_and_second_end_refused(payee, at_risk_payee, national_manager):
    services.end_at_risk(customer=payee, actor=national_manager, reason="Order expired")
    payee.refresh_from_db()
    assert not is_at_risk(payee) and not protected_elements(payee)
    with pytest.raises(NotAtRisk):
        services.end_at_risk(customer=payee, actor=national_manager, reason="again")


def test_DOC_6_redact_replaces_every_written_form(payer, at_risk_payee):
    text = (
        "Moved to 88 quokkaridge  parade, Zebrawood Heights 2899; mobile 0491 570 156. "
        "Paid $2899.50 and 12899 cents."
    )
    assert withheld_for(payer).redact(text) == (
        "Moved to [withheld], [withheld] [withheld]; mobile [withheld]. "
        "Paid $2899.50 and 12899 cents."
    )


@pytest.mark.parametrize(
    "written",
    [
        SENTINEL_EMAIL,
        SENTINEL_EMAIL.upper(),
        "Priya.Raman.Safe @ Example.org",
        "priya dot raman dot safe at example dot org",
        "priya.raman.safe (at) example (dot) org",
    ],
)
def test_DOC_6_the_at_risk_customers_email_is_protected(payer, at_risk_payee, written):
    """DOC-6: the at-risk customer's email address is one of their protected values,
    in any case and spelt out; a longer address that contains it is someone else's."""
    protected = withheld_for(payer)
    found = protected.find(f"Her email is {written}.")
    assert [(f.kind, f.text) for f in found] == [("protected-email", written)]
    assert protected.redact(f"Email {written} now") == "Email [withheld] now"
    assert not protected.find("Write to xpriya.raman.safe@example.org.au instead.")


def test_DOC_6_email_refused_on_the_other_partys_record_even_where_doc_3_is_exempt(
    payer, case, at_risk_payee
):
    with pytest.raises(ProtectedDetailsFound) as caught:
        check_free_text({"body": f"New email {SENTINEL_EMAIL}"}, customer=payer, exempt=["body"])
    assert caught.value.details[0]["kind"] == "protected-email"
    assert SENTINEL_EMAIL not in caught.value.message + str(caught.value.details)


def test_DOC_6_email_written_before_the_marking_is_masked_when_read(
    payer, case, at_risk_payee, officer
):
    Note(
        customer=payer, subject="x", body=f"Payee writes from {SENTINEL_EMAIL}", author=officer
    ).save()
    client = client_for(officer)
    page = client.get(reverse("notes:customer-notes", args=[payer.pk])).content.decode()
    assert SENTINEL_EMAIL not in page and "Payee writes from [withheld]" in page
    body = client.get(f"/api/v1/customers/{payer.pk}/notes").content.decode()
    assert SENTINEL_EMAIL not in body and "[withheld]" in body


def test_DOC_6_other_partys_page_never_shows_the_protected_values(
    payer, case, at_risk_payee, officer
):
    # A note on the payer's record written before the marking mentions the locality.
    Note(
        customer=payer,
        subject="Payee news",
        body=f"Payee said she moved to {SENTINEL_LOCALITY}.",
        author=officer,
    ).save()
    client = client_for(officer)
    for url in (
        reverse("web:customer-detail", args=[payer.pk]),
        reverse("notes:customer-notes", args=[payer.pk]),
        reverse("notes:note-detail", args=[Note.objects.get().pk]),
        reverse("notes:new-note", args=[payer.pk]),
        reverse("letters:new", args=[payer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert contains_sentinel(response.content.decode()) == [], url
    page = client.get(reverse("web:customer-detail", args=[payer.pk])).content.decode()
    assert "location and contact details withheld (Separating Safely)" in page
    assert (
        "[withheld]"
        in client.get(reverse("notes:customer-notes", args=[payer.pk])).content.decode()
    )


def test_DOC_6_other_partys_api_responses_never_contain_the_protected_values(
    payer, case, at_risk_payee, officer
):
    Note(customer=payer, subject="x", body=f"Lives near {SENTINEL_ADDRESS}", author=officer).save()
    client = client_for(officer)
    for url in (
        f"/api/v1/customers/{payer.pk}",
        f"/api/v1/cases/{case.pk}",
        f"/api/v1/customers/{payer.pk}/notes",
        f"/api/v1/customers/{payer.pk}/stacking-documents",
        f"/api/v1/customers/{payer.pk}/safety",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert contains_sentinel(response.content.decode()) == [], url


def test_DOC_6_letters_to_the_other_party_never_contain_the_protected_values(
    payer, case, at_risk_payee, officer
):
    leak = {**DEC_FIELDS, "decision_summary": f"The payee now lives in {SENTINEL_LOCALITY}."}
    with pytest.raises(LetterRefused) as caught:
        letters.prepare_letter(customer=payer, template_code="DEC-1", fields=leak, actor=officer)
    assert contains_sentinel(caught.value.message + str(caught.value.details)) == []
    draft = letters.prepare_letter(
        customer=payer, template_code="DEC-1", fields=DEC_FIELDS, actor=officer
    )
    assert contains_sentinel(str(draft.data)) == []


def test_DOC_6_every_page_about_the_at_risk_customer_shows_the_warning_first(
    payee, at_risk_payee, ps_case_manager
):
    client = client_for(ps_case_manager)
    document = services.create_stacking_document(
        customer=payee, actor=ps_case_manager, purpose="ps", referral_reason="Complaint"
    )
    for url in (
        reverse("web:customer-detail", args=[payee.pk]),
        reverse("notes:customer-notes", args=[payee.pk]),
        reverse("notes:new-note", args=[payee.pk]),
        reverse("notes:sensitive", args=[payee.pk]),
        reverse("notes:new-stacking", args=[payee.pk]),
        reverse("notes:stacking-detail", args=[document.pk]),
        reverse("letters:new", args=[payee.pk]),
    ):
        html = client.get(url).content.decode()
        main = html[html.index('<main id="main"') :]
        assert BANNER_HTML in main, url
        banner_at = main.index(BANNER_HTML)
        assert banner_at < main.index("<h1"), url
        details = [main.find(d) for d in (payee.crn, payee.family_name, "Raman")]
        assert all(at == -1 or banner_at < at for at in details), url


def test_DOC_6_the_other_party_sees_no_banner_and_ending_removes_it(
    payer, payee, at_risk_payee, officer, national_manager
):
    assert (
        BANNER_HTML
        not in client_for(officer)
        .get(reverse("web:customer-detail", args=[payer.pk]))
        .content.decode()
    )
    services.end_at_risk(customer=payee, actor=national_manager, reason="Order expired")
    page = client_for(national_manager).get(reverse("web:customer-detail", args=[payee.pk]))
    assert BANNER_HTML not in page.content.decode()
    other = client_for(officer).get(reverse("web:customer-detail", args=[payer.pk]))
    assert "withheld" not in other.content.decode()


def test_DOC_3_DOC_6_guard_refuses_the_other_partys_details_in_notes(
    payer, case, at_risk_payee, officer
):
    from cma.notes.errors import PersonalInformationFound

    for leak in (SENTINEL_ADDRESS, "0491 570 156", "Priya Raman"):
        with pytest.raises(PersonalInformationFound):
            services.add_note(
                customer=payer, actor=officer, subject="x", body=f"Payee: {leak}.", case=case
            )
    assert not Note.objects.exists()


def test_PRV_3_no_protected_value_reaches_the_logs(payer, case, at_risk_payee, officer, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    client = client_for(officer)
    client.get(reverse("web:customer-detail", args=[payer.pk]))
    client.get(reverse("web:customer-detail", args=[at_risk_payee.pk]))  # 404 for the officer
    client.post(
        reverse("notes:new-note", args=[payer.pk]),
        {"subject": "x", "body": f"Payee lives at {SENTINEL_ADDRESS}", "function": "general"},
    )
    client.post(
        f"/api/v1/customers/{payer.pk}/notes",
        {"subject": "x", "body": "Call 0491 570 156"},
        content_type="application/json",
    )
    assert contains_sentinel(caplog.text) == []
