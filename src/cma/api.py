"""The JSON API under /api/v1/: one NinjaAPI, one error shape, session or token auth."""

import copy
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from cma.audit.services import record_refusal
from cma.errors import DomainError, PermissionDenied
from cma.staff.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cma_…` for integrations; only the digest is stored."""

    def authenticate(self, request: HttpRequest, token: str):
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at=None, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        request.user = row.user
        request.api_token = row
        return row.user


class CsrfFailed(PermissionDenied):
    code = "csrf-failed"


class SessionAuth(APIKeyCookie):
    """The browser's session cookie, with Django's CSRF check on unsafe methods (SES-4).

    A request that carries an Authorization header is left to TokenAuth: integrations
    send no cookie and no CSRF token, and a cross-site page cannot set that header.
    The OpenAPI schema names the cookie the server sets (`__Host-sessionid` in
    production), read from the settings when the scheme is built."""

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest):
        if "authorization" in request.headers:
            return None
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        user = getattr(request, "user", None)
        if not key or user is None or not user.is_authenticated:
            return None
        if self.csrf and check_csrf(request) is not None:
            raise CsrfFailed("CSRF check failed: send the X-CSRFToken header")
        return key

    def authenticate(self, request: HttpRequest, key):
        if not key:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


class AgencySwagger(Swagger):
    """ninja's Swagger UI page with `lang` on <html>, a title and contrast fixes (WCAG
    3.1.1, 1.4.3). No deep links: Swagger UI puts them inside the operation's toggle
    button, a link inside a button (WCAG 4.1.2)."""

    template = "web/api_docs.html"
    # The models section redraws every schema (over 300): on a 2-core machine Swagger
    # took ~9 s to first paint with it; each operation still shows its own schemas.
    default_settings = {
        **Swagger.default_settings,
        "deepLinking": False,
        "defaultModelsExpandDepth": -1,
    }


class UnsupportedMediaType(Exception):
    """A body sent as something other than JSON."""


class JsonParser(Parser):
    """Bodies are JSON objects sent as `application/json` (or `…+json`). Anything else
    is refused before parsing: 415 for another media type, 400 for text that is not
    JSON (`http_error` below tells the two apart by the cause ninja keeps)."""

    def parse_body(self, request: HttpRequest):
        media_type = request.content_type.lower()
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise UnsupportedMediaType(media_type)
        return json.loads(request.body)


class AgencyAPI(NinjaAPI):
    """ninja builds the OpenAPI schema on every request (2-5 s for 138 operations on
    this machine kind, which made /api/v1/docs slow to draw). It changes only when a
    router is mounted, so it is built once per path prefix and handed out as a copy."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        built = self.__dict__.setdefault("_built_schemas", {})
        if path_prefix not in built:
            built[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return copy.deepcopy(built[path_prefix])

    def add_router(self, *args, **kwargs):
        self.__dict__.pop("_built_schemas", None)
        return super().add_router(*args, **kwargs)


api = AgencyAPI(
    title="CMA Workbench API",
    version="1",
    urls_namespace="api",
    auth=[SessionAuth(), TokenAuth()],
    docs=AgencySwagger(),
    docs_decorator=login_required,
    parser=JsonParser(),
)


def _error(request, status: int, code: str, message: str, field=None, details=None):
    body = {"code": code, "message": message, "field": field, "details": details or []}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    if isinstance(exc, PermissionDenied) and not getattr(exc, "audited", False):
        # Every refusal is audited (SEC-1, AC-1). Selectors audit their own with the
        # customer involved; this catches any raised without a record.
        user = getattr(request, "user", None)
        record_refusal(
            actor=user if user is not None and user.is_authenticated else None,
            action=f"api.{request.method.lower()}.refused",
            error=exc,
            object_type="endpoint",
            object_id=(request.resolver_match.route if request.resolver_match else "")[:64],
        )
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


def _field_of(loc) -> str | None:
    """ninja's error location without its prefix: ("body", <argument>, *field) for a
    body schema, ("query" | "path" | ..., *field) for parameters. Only the prefix is
    dropped, so a field that happens to be called "query" keeps its name."""
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:]
    elif parts[:1] and parts[0] in ("query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
    return ".".join(parts) or None


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    details = [
        {"field": _field_of(err.get("loc", [])), "message": err.get("msg", "invalid")}
        for err in exc.errors
    ]
    first = details[0] if details else {"field": None, "message": "invalid request"}
    message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return _error(request, 422, "invalid-input", message, first["field"], details)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(request, 401, "not-authenticated", "sign in or send a valid API token")


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """ninja's own errors in the one error shape. The body's are the only ones it
    raises: 415 for a body that is not JSON, 400 for JSON that cannot be read."""
    if isinstance(exc.__cause__, RequestDataTooBig):
        return too_big(request, exc.__cause__)
    if isinstance(exc.__cause__, UnsupportedMediaType):
        message = "send the body as JSON with Content-Type: application/json"
        return _error(request, 415, "unsupported-media-type", message, "body")
    if exc.status_code == 400:
        message = "the request body is not valid JSON (UTF-8)"
        return _error(request, 400, "malformed-body", message, "body")
    return _error(request, exc.status_code, f"http-{exc.status_code}", exc.message)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = f"request body is larger than {limit} bytes; send large feeds with `cma import`"
    return _error(request, 413, "too-large", message)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not-found", "not found")


@api.get("/health", auth=None, tags=["system"])
def health(request):
    return {"status": "ok", "time": timezone.now().isoformat()}


def _register_routers() -> None:
    from cma.collection.api import router as collection_router
    from cma.contact.api import router as contact_router
    from cma.contact.api_calls import router as contact_calls_router
    from cma.contact.api_plans import router as contact_plans_router
    from cma.contact.api_telephony import router as telephony_router
    from cma.customers.api import router as customers_router
    from cma.customers.api_access import router as access_router
    from cma.decisions.api import router as decisions_router
    from cma.letters.api import router as letters_router
    from cma.notes.api import router as notes_router
    from cma.personalised.api import router as personalised_router
    from cma.personalised.api_contact import router as ps_contact_router
    from cma.reporting.api import router as reporting_router
    from cma.work.api import router as work_router

    api.add_router("/", customers_router)
    api.add_router("/", access_router)
    api.add_router("/", work_router)
    api.add_router("/", notes_router)
    api.add_router("/", letters_router)
    api.add_router("/", contact_router)
    api.add_router("/", contact_calls_router)
    api.add_router("/", telephony_router)
    api.add_router("/", contact_plans_router)
    api.add_router("/", decisions_router)
    api.add_router("/", personalised_router)
    api.add_router("/", collection_router)
    api.add_router("/", ps_contact_router)
    api.add_router("/", reporting_router)


_register_routers()
