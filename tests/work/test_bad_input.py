"""VAL-1 over WRK-1 and CMA-5: bad input is refused with a field and writes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cma.audit.models import AuditRecord
from cma.errors import DomainError
from cma.work import services
from cma.work.models import CustomerLock, Intray

pytestmark = pytest.mark.django_db

KNOWN = {"general-follow-up", "client-call-back", "add-a-child"}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    type_code=st.text(max_size=70).filter(lambda s: s not in KNOWN),
    # Letters and digits: whitespace would be trimmed under the limit (a valid note).
    note=st.text(alphabet=st.characters(categories=("L", "N")), min_size=2001, max_size=2100),
)
def test_VAL_1_WRK_1_bad_intray_input_writes_nothing(officer, customer, type_code, note):
    intrays, ok_audits = Intray.objects.count(), AuditRecord.objects.filter(outcome="ok").count()
    for kwargs in ({"type_code": type_code}, {"type_code": "general-follow-up", "note": note}):
        with pytest.raises(DomainError) as err:
            services.create_intray(customer=customer, actor=officer, **kwargs)
        assert 400 <= err.value.http_status < 500 and err.value.field
    assert Intray.objects.count() == intrays
    assert AuditRecord.objects.filter(outcome="ok").count() == ok_audits


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reason=st.one_of(st.just(""), st.text(alphabet=" \t\n", max_size=5), st.text(min_size=301)))
def test_VAL_1_CMA_5_bad_lock_reason_writes_nothing(officer, customer, reason):
    with pytest.raises(DomainError) as err:
        services.lock_customer(customer=customer, actor=officer, reason=reason)
    assert err.value.http_status == 422 and err.value.field == "reason"
    assert not CustomerLock.objects.exists()
