"""CMA-6, CMA-7, CON-17: a decision from draft to notified, and every refusal on the way
naming every unmet condition and writing nothing but the audited refusal."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cma.audit.models import AuditRecord, Outcome
from cma.contact import services as contact
from cma.contact.models import ContactPlan, PlanState
from cma.decisions import checks, services
from cma.decisions.errors import DecisionClosed, DecisionRefused, NotYourDecision
from cma.decisions.models import AffectedParty, Decision, State
from cma.letters.models import Letter
from cma.work import services as work
from cma.work.models import CustomerLock
from tests.decisions.conftest import confirmed_call
from tests.factories import CustomerFactory


def _head() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _rows_since(before):
    return list(AuditRecord.objects.filter(pk__gt=before).values_list("action", "outcome"))


def _explain(decision, customer, officer, line, **kw):
    call = confirmed_call(customer, officer, line=line)
    return services.record_explanation(
        decision=decision, interaction=call, customer=customer, actor=officer, **kw
    )


def _fields(err):
    return [d["field"] for d in err.value.details]


def test_CMA_6_a_decision_affects_every_party_of_its_case(decision, case, officer):
    assert decision.state == State.DRAFT and decision.decision_maker == officer
    assert set(decision.parties.values_list("customer_id", flat=True)) == {
        case.payer_id,
        case.payee_id,
    }
    row = AuditRecord.objects.get(action="decisions.decision.created")
    assert row.changes["parties"] == [case.payer_id, case.payee_id]


def test_CMA_6_bad_input_unknown_kind_and_blank_reasons_are_both_named(case, officer):
    before = _head()
    with pytest.raises(DecisionRefused) as err:
        services.create_decision(
            case=case, actor=officer, kind="astrology", reasons="  ", effective_on=date.today()
        )
    assert _fields(err) == ["kind", "reasons"]
    assert not Decision.objects.exists()
    assert _rows_since(before) == [("decisions.decision.created", Outcome.REFUSED)]


def test_CMA_6_bad_input_finalising_with_unexplained_parties_lists_each(decision, case, officer):
    before = _head()
    with pytest.raises(DecisionRefused) as err:
        services.finalise(decision=decision, actor=officer)
    assert _fields(err) == ["state", f"parties.{case.payer_id}", f"parties.{case.payee_id}"]
    assert "the payer" in err.value.message and "the payee" in err.value.message
    assert case.payer.family_name not in err.value.message
    decision.refresh_from_db()
    assert decision.state == State.DRAFT
    assert _rows_since(before) == [("decisions.decision.finalised", Outcome.REFUSED)]


def test_CMA_6_explained_or_completed_plan_lets_it_finalise(decision, case, officer):
    services.mark_ready(decision=decision, actor=officer)
    _explain(decision, case.payer, officer, "d1")
    with pytest.raises(DecisionRefused) as err:
        services.finalise(decision=decision, actor=officer)
    assert _fields(err) == [f"parties.{case.payee_id}"]
    # The payee could not be reached: the required attempts were made and recorded.
    plan = contact.create_plan(
        customer=case.payee, actor=officer, purpose="explain-decision", subject=decision.subject
    )
    ContactPlan.objects.filter(pk=plan.pk).update(state=PlanState.UNSUCCESSFUL)
    before = _head()
    done = services.finalise(decision=decision, actor=officer)
    assert done.state == State.FINALISED and done.finalised_at
    assert _rows_since(before) == [("decisions.decision.finalised", Outcome.OK)]


def test_CMA_6_a_plan_for_another_subject_does_not_count(decision, case, officer):
    services.mark_ready(decision=decision, actor=officer)
    _explain(decision, case.payer, officer, "d1")
    plan = contact.create_plan(
        customer=case.payee, actor=officer, purpose="explain-decision", subject="decision:999999"
    )
    ContactPlan.objects.filter(pk=plan.pk).update(state=PlanState.UNSUCCESSFUL)
    with pytest.raises(DecisionRefused):
        services.finalise(decision=decision, actor=officer)


def test_CMA_6_explanation_is_recorded_with_its_interaction(decision, case, officer):
    party = _explain(
        decision,
        case.payer,
        officer,
        "d1",
        disagreed=True,
        review_option="objection",
        answer="Thinks the care figure is wrong and will object.",
    )
    assert party.interaction.customer == case.payer and party.explained_by == officer
    row = AuditRecord.objects.get(action="decisions.decision.explained", outcome=Outcome.OK)
    assert row.customer_id == case.payer_id
    assert "care figure" not in str(row.changes)


def test_CON_17_disagreeing_needs_a_review_option_from_policy(decision, case, officer):
    call = confirmed_call(case.payer, officer, line="d1")
    for option, expected in (("", "CON-17"), ("astrology", "unknown review option")):
        with pytest.raises(DecisionRefused) as err:
            services.record_explanation(
                decision=decision,
                interaction=call,
                customer=case.payer,
                actor=officer,
                disagreed=True,
                review_option=option,
            )
        assert expected in err.value.message
    assert not AffectedParty.objects.filter(explained_at__isnull=False).exists()


def test_CMA_6_bad_input_explaining_to_someone_not_affected(decision, officer):
    stranger = CustomerFactory()
    call = contact.open_interaction(
        customer=stranger, actor=officer, direction="inbound", channel="phone", line="d9"
    )
    before = _head()
    with pytest.raises(DecisionRefused) as err:
        services.record_explanation(
            decision=decision, interaction=call, customer=stranger, actor=officer
        )
    # Every unmet condition at once: not affected, and identity not confirmed.
    assert _fields(err) == ["customer_id", "identity"]
    assert _rows_since(before) == [("decisions.decision.explained", Outcome.REFUSED)]


def test_CMA_6_the_interaction_must_be_the_customers_and_the_officers(
    decision, case, officer, other_officer
):
    call = confirmed_call(case.payee, officer, line="d1")
    with pytest.raises(DecisionRefused) as err:
        services.record_explanation(
            decision=decision, interaction=call, customer=case.payer, actor=other_officer
        )
    messages = [d["message"] for d in err.value.details]
    assert "the interaction is with another customer" in messages
    assert "only the officer on the interaction may record it" in messages


def test_CMA_7_bad_input_notifying_before_finalising(decision, officer):
    before = _head()
    with pytest.raises(DecisionRefused) as err:
        services.notify(decision=decision, actor=officer)
    assert _fields(err) == ["state"]
    assert not Letter.objects.exists()
    assert _rows_since(before) == [("decisions.decision.notified", Outcome.REFUSED)]


def _finalised(decision, case, officer):
    services.mark_ready(decision=decision, actor=officer)
    _explain(decision, case.payer, officer, "d1")
    _explain(decision, case.payee, officer, "d2")
    return services.finalise(decision=decision, actor=officer)


def test_CMA_6_bad_input_editing_a_finalised_decision(decision, case, officer):
    _finalised(decision, case, officer)
    before = _head()
    with pytest.raises(DecisionRefused) as err:
        services.update_decision(decision=decision, actor=officer, kind="astrology", reasons="")
    assert _fields(err) == ["state", "kind", "reasons"]
    decision.refresh_from_db()
    assert decision.kind == "change-of-assessment"
    assert _rows_since(before) == [("decisions.decision.updated", Outcome.REFUSED)]
    with pytest.raises(DecisionClosed):
        services.finalise(decision=decision, actor=officer)


def test_CMA_6_only_the_decision_maker_moves_it(decision, other_officer):
    with pytest.raises(NotYourDecision):
        services.mark_ready(decision=decision, actor=other_officer)


def test_CMA_7_notifying_issues_advice_to_every_party_and_starts_the_auto_unlock(
    decision, case, officer
):
    work.lock_customer(customer=case.payer, actor=officer, reason="Decision in progress")
    _finalised(decision, case, officer)
    before = _head()
    done = services.notify(decision=decision, actor=officer)
    assert done.state == State.NOTIFIED
    letters = Letter.objects.without_pdf().filter(template_code="DEC-1")
    assert {letter.customer_id for letter in letters} == {case.payer_id, case.payee_id}
    assert set(done.parties.values_list("advice_letter", flat=True)) == {
        letter.pk for letter in letters
    }
    lock = CustomerLock.objects.get(customer=case.payer, released_at=None)
    issued = letters.get(customer=case.payer).issued_at
    assert lock.expires_at == issued + timedelta(days=14)
    assert _rows_since(before) == [("decisions.decision.notified", Outcome.OK)]
    with pytest.raises(DecisionClosed):
        services.notify(decision=decision, actor=officer)
    # Contact attempts may continue within those days (CMA-7).
    assert lock.expires_at > timezone.now()


def test_CMA_6_a_registered_finalisation_check_is_called_and_listed(decision, case, officer):
    def consulted(d):
        return [("case_manager", "the case manager was not consulted")] if d.pk else []

    checks.register_finalisation_check(consulted)
    try:
        services.mark_ready(decision=decision, actor=officer)
        _explain(decision, case.payer, officer, "d1")
        with pytest.raises(DecisionRefused) as err:
            services.finalise(decision=decision, actor=officer)
        assert _fields(err) == [f"parties.{case.payee_id}", "case_manager"]
    finally:
        checks.unregister(consulted)


def test_CMA_7_a_registered_notification_check_blocks_notifying(decision, case, officer):
    def hold(d):
        return [("hold", "held for a review")]

    _finalised(decision, case, officer)
    checks.register_notification_check(hold)
    try:
        with pytest.raises(DecisionRefused) as err:
            services.notify(decision=decision, actor=officer)
        assert _fields(err) == ["hold"]
        assert not Letter.objects.exists()
    finally:
        checks.unregister(hold)


def test_CMA_6_CON_4_real_attempts_then_mx1_1_complete_the_plan_that_lets_it_finalise(
    decision, case, officer
):
    """The contact-attempt route through the real services: the payee's mobile called
    without answer (CON-1), then the MX1-1 letter (CON-4); only then may it finalise."""
    services.mark_ready(decision=decision, actor=officer)
    _explain(decision, case.payer, officer, "d1")
    plan = contact.create_plan(
        customer=case.payee, actor=officer, purpose="explain-decision", subject=decision.subject
    )
    contact.record_attempt(
        plan=plan, actor=officer, channel="phone", number_type="mobile", outcome="no-answer"
    )
    with pytest.raises(DecisionRefused):  # attempts made, but the letter is still owed
        services.finalise(decision=decision, actor=officer)
    contact.issue_plan_letter(plan=plan, actor=officer, template="MX1-1")
    plan.refresh_from_db()
    assert plan.state == PlanState.LETTER_ISSUED
    assert services.finalise(decision=decision, actor=officer).state == State.FINALISED
