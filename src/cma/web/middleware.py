import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .sessions import SAVED_AT, SIGNED_IN_AT


class NoStoreForAuthenticatedMiddleware:
    """Pages and API answers for a signed-in user are never cached (browser or proxy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response


def _restricted(exc: BaseException | None):
    from cma.customers.access import RestrictedRecord

    while exc is not None:
        if isinstance(exc, RestrictedRecord):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


class RestrictedNoticeMiddleware:
    """SEC-1: a page about a customer the officer has no need to know about shows the
    restricted notice (who manages them, where to transfer the caller, the
    break-the-glass button) instead of "Page not found". The door has already
    audited the refusal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        found = _restricted(exception)
        if found is None or request.path.startswith("/api/"):
            return None
        from .views_access import restricted_page

        return restricted_page(request, found.notice)


class IdleTimerMiddleware:
    """SES-1: the session idles out `SESSION_COOKIE_AGE` after the last activity. The
    timer (the session's expiry) is moved on at most once every
    `CMA_SESSION_REFRESH_SECONDS`, not on every request, so a read writes only its
    audit row; every save, sign-in included, stamps its time (`cma.web.sessions`).
    Runs after the view, so a view that leaves the session idle (`del
    request.session`) is honoured."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        saved = session.get(SAVED_AT)
        if (
            not isinstance(saved, int)
            or time.time() - saved >= settings.CMA_SESSION_REFRESH_SECONDS
        ):
            session.modified = True  # SessionMiddleware saves it with a new expiry
        return response


class AbsoluteLifetimeMiddleware:
    """SES-1: a session ends `CMA_SESSION_ABSOLUTE_SECONDS` after sign-in however
    active it is (the idle timer never moves this). Sign-in stamps the start
    (`cma.web.sessions.stamp_sign_in`); a signed-in session without the stamp, or
    stamped in the future, is ended too (fail closed). The request then carries on
    signed out: a page sends it to the login page, the API answers 401. One audit row
    (`staff.session.expired`); the session row is deleted, so it is audited once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            started = session.get(SIGNED_IN_AT)
            age = time.time() - started if isinstance(started, int) else None
            if age is None or not 0 <= age < settings.CMA_SESSION_ABSOLUTE_SECONDS:
                self._end(request, user)
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, user) -> None:
        from django.contrib.auth.models import AnonymousUser

        from cma.audit.services import record

        record(
            actor=user,
            action="staff.session.expired",
            obj=user,
            reason="absolute-lifetime",
        )
        request.session.flush()  # deletes the row; not `logout()`, which audits a sign-out
        request.user = AnonymousUser()
