"""CON-3, CON-8, PRV-3: SMS to a customer's mobile: queued in the request, sent once it
commits, by the configured backend; the gateway backend against a real local server."""

import contextlib
import json
import logging
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction

from cma.audit.models import AuditRecord, Outcome
from cma.contact import services
from cma.contact.errors import NoSuchSms, SmsRefused
from cma.contact.models import Sms, SmsStatus
from cma.contact.sms import FileBackend, GatewayBackend, SmsSendError, backend
from cma.customers.models import agency_today
from cma.policy.models import BusinessArea
from tests.factories import ContactDetailFactory, CustomerFactory, TeamFactory, UserFactory

NUMBER = "+61491570156"


@pytest.fixture
def outbox(settings, tmp_path):
    settings.CMA_SMS_BACKEND = "cma.contact.sms.FileBackend"
    settings.CMA_SMS_DIR = tmp_path
    return FileBackend(tmp_path)


@pytest.fixture
def customer(db):
    customer = CustomerFactory()
    ContactDetailFactory(customer=customer, kind="home", number="+61255501234")
    ContactDetailFactory(customer=customer, kind="mobile", number=NUMBER)
    return customer


def _queue(customer, officer, **kw):
    if "text" not in kw:
        kw.setdefault("template_code", "pre-call")
    return services.queue_sms(customer=customer, actor=officer, **kw)


def _no_number_anywhere():
    for row in AuditRecord.objects.all():
        assert "491570156" not in json.dumps(row.changes) + row.reason


def test_CON_3_a_pre_call_sms_is_sent_once_the_request_commits(
    customer, officer, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sms = _queue(customer, officer)
        assert outbox.sent() == []  # not before the commit
    assert len(callbacks) == 1
    sms.refresh_from_db()
    assert sms.status == SmsStatus.SENT and sms.backend == "file"
    assert sms.template == "pre-call" and "131 272" in sms.text
    [line] = outbox.sent()
    assert line["to"] == NUMBER and line["id"] == sms.provider_id and line["text"] == sms.text
    actions = list(AuditRecord.objects.order_by("pk").values_list("action", "actor_id"))
    assert actions == [("contact.sms.queued", officer.pk), ("contact.sms.sent", None)]
    _no_number_anywhere()


def test_nothing_is_sent_when_the_request_rolls_back(
    customer, officer, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _queue(customer, officer)
            raise RuntimeError("the rest of the request failed")
    assert callbacks == [] and outbox.sent() == [] and Sms.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_on_commit_for_real_sent_after_commit_and_never_after_rollback(outbox):
    customer = CustomerFactory()
    ContactDetailFactory(customer=customer, kind="mobile", number=NUMBER)
    officer = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(customer, officer)
        raise RuntimeError
    assert outbox.sent() == [] and not Sms.objects.exists()
    sms = _queue(customer, officer)
    sms.refresh_from_db()
    assert sms.status == SmsStatus.SENT and len(outbox.sent()) == 1


def test_an_sms_goes_only_to_a_mobile_on_record(customer, officer, outbox):
    before = AuditRecord.objects.count()
    with pytest.raises(SmsRefused, match="only to a mobile"):
        _queue(customer, officer, to_kind="home")
    landline_only = CustomerFactory()
    ContactDetailFactory(customer=landline_only, kind="home")
    with pytest.raises(SmsRefused, match="no mobile number"):
        _queue(landline_only, officer)
    assert Sms.objects.count() == 0
    rows = AuditRecord.objects.order_by("pk")[before:]
    assert [(r.action, r.outcome) for r in rows] == [("contact.sms.queued", Outcome.REFUSED)] * 2


def test_CON_8_an_sms_never_carries_a_consequence_statement(customer, officer, outbox):
    with pytest.raises(SmsRefused, match="CON-8") as refused:
        _queue(customer, officer, text="Call us or we will take Enforcement Action")
    assert "enforcement action" in refused.value.message and "we will take" in refused.value.message
    assert Sms.objects.count() == 0


def test_CON_8_only_the_parent_support_team_messages_a_customer_under_18(officer, outbox):
    young = CustomerFactory(date_of_birth=agency_today() - timedelta(days=365 * 16))
    ContactDetailFactory(customer=young, kind="mobile")
    with pytest.raises(SmsRefused, match="Parent Support Team"):
        _queue(young, officer)
    pst = TeamFactory(business_area=BusinessArea.objects.get(code="parent-support"))
    assert _queue(young, UserFactory(team=pst)).status == SmsStatus.QUEUED


def test_an_sms_text_comes_from_policy_or_is_checked(customer, officer, outbox):
    sms = _queue(customer, officer, template_code="voicemail-callback")
    assert sms.text.startswith("Hello, this is")
    with pytest.raises(SmsRefused, match="not an SMS template"):
        _queue(customer, officer, template_code="third-party-callback")
    with pytest.raises(SmsRefused, match="either a template code or the text"):
        services.queue_sms(customer=customer, actor=officer)
    from cma.privacy.errors import PersonalInformationFound

    with pytest.raises(PersonalInformationFound):
        _queue(customer, officer, text="Please ring 0491 570 156")
    assert Sms.objects.count() == 1


def test_cma_sms_send_queued_sends_what_is_still_queued(customer, officer, outbox):
    # In a test transaction on_commit never runs: the SMS stays queued, as after a crash.
    sms = _queue(customer, officer)
    call_command("sms", "send-queued", "--min-age", "0")
    sms.refresh_from_db()
    assert sms.status == SmsStatus.SENT and len(outbox.sent()) == 1
    call_command("sms", "send-queued", "--min-age", "0")
    assert len(outbox.sent()) == 1  # sent once


def test_a_delivery_receipt_is_recorded(customer, officer, outbox):
    sms = _queue(customer, officer)
    services.deliver(sms_id=sms.pk)
    sms.refresh_from_db()
    services.record_delivery_status(provider_id=sms.provider_id, status="delivered")
    sms.refresh_from_db()
    assert sms.status == SmsStatus.DELIVERED and sms.delivered_at is not None
    with pytest.raises(NoSuchSms):
        services.record_delivery_status(provider_id="nope", status="delivered")


def test_PRV_3_the_console_backend_logs_no_number(customer, officer, settings, caplog):
    settings.CMA_SMS_BACKEND = "cma.contact.sms.ConsoleBackend"
    sms = _queue(customer, officer)
    with caplog.at_level(logging.DEBUG):
        services.deliver(sms_id=sms.pk)
    assert "console backend" in caplog.text
    assert "491570156" not in caplog.text and sms.text not in caplog.text


def test_a_backend_that_is_not_one_fails_loudly(settings):
    settings.CMA_SMS_BACKEND = "collections.OrderedDict"
    with pytest.raises(ImproperlyConfigured):
        backend()
    settings.CMA_SMS_BACKEND = "cma.contact.sms.NoSuchBackend"
    with pytest.raises(ImproperlyConfigured):
        backend()


# --- The gateway backend, against a real HTTP server -----------------------------------


class _Gateway(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append(
            {"auth": self.headers["Authorization"], "type": self.headers["Content-Type"]}
            | json.loads(body)
        )
        mode = self.server.mode
        if mode == "slow":
            time.sleep(1.0)
        if mode == "redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.end_headers()
            return
        status, payload = {
            "ok": (200, b'{"id": "gw-123"}'),
            "down": (503, b'{"error": "busy"}'),
            "garbage": (200, b"<html>"),
        }.get(mode, (200, b'{"id": "gw-slow"}'))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        # The client may have given up waiting (the timeout test).
        with contextlib.suppress(BrokenPipeError):
            self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    server.seen, server.mode = [], "ok"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CMA_SMS_BACKEND = "cma.contact.sms.GatewayBackend"
    settings.CMA_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/v1/messages"
    settings.CMA_SMS_GATEWAY_TOKEN = "test-token-123"
    settings.CMA_SMS_GATEWAY_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()


def test_the_gateway_backend_posts_json_with_the_bearer_token(gateway):
    assert GatewayBackend().send(NUMBER, "Hello") == "gw-123"
    assert gateway.seen == [
        {
            "auth": "Bearer test-token-123",
            "type": "application/json",
            "to": NUMBER,
            "text": "Hello",
        }
    ]


@pytest.mark.parametrize(
    ("mode", "code"),
    [
        ("down", "gateway-http-503"),
        ("garbage", "gateway-bad-response"),
        ("redirect", "gateway-http-302"),
    ],
)
def test_the_gateway_backend_names_what_went_wrong_without_the_number(gateway, mode, code):
    gateway.mode = mode
    with pytest.raises(SmsSendError) as failed:
        GatewayBackend().send(NUMBER, "Hello")
    assert failed.value.code == code and "491570156" not in str(failed.value)


def test_the_gateway_backend_times_out(gateway):
    gateway.mode = "slow"
    with pytest.raises(SmsSendError) as failed:
        GatewayBackend(timeout=0.2).send(NUMBER, "Hello")
    assert failed.value.code == "gateway-timeout"


def test_an_unreachable_gateway_is_reported():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sender = GatewayBackend(url=f"http://127.0.0.1:{port}/", token="t", timeout=2)
    with pytest.raises(SmsSendError) as failed:
        sender.send(NUMBER, "Hello")
    assert failed.value.code == "gateway-unreachable"


def test_the_gateway_backend_needs_a_url_and_a_token():
    with pytest.raises(ImproperlyConfigured):
        GatewayBackend(url="file:///etc/passwd", token="t")
    with pytest.raises(ImproperlyConfigured):
        GatewayBackend(url="https://sms.example/", token="")


def test_a_failed_send_is_recorded_with_its_code_only(customer, officer, gateway):
    gateway.mode = "down"
    sms = _queue(customer, officer)
    services.deliver(sms_id=sms.pk)
    sms.refresh_from_db()
    assert (sms.status, sms.error, sms.backend) == (SmsStatus.FAILED, "gateway-http-503", "gateway")
    row = AuditRecord.objects.order_by("pk").last()
    assert row.action == "contact.sms.failed" and row.changes["error"] == "gateway-http-503"
    _no_number_anywhere()
    gateway.mode = "ok"
    call_command("sms", "send-queued", "--min-age", "0")
    sms.refresh_from_db()
    assert sms.status == SmsStatus.FAILED  # a failed SMS is not resent behind anyone's back
