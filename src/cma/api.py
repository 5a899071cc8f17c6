"""The JSON API under /api/v1/: one NinjaAPI, one error shape, session or token auth."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from cma.errors import DomainError
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


class SessionAuth(APIKeyCookie):
    """The browser's session cookie, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest):
        from django.conf import settings

        return request.COOKIES.get(settings.SESSION_COOKIE_NAME)

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


api = NinjaAPI(
    title="CMA Workbench API",
    version="1",
    urls_namespace="api",
    auth=[SessionAuth(), TokenAuth()],
    docs_decorator=login_required,
)


def _error(request, status: int, code: str, message: str, field=None, details=None):
    body = {"code": code, "message": message, "field": field, "details": details or []}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    details = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        details.append({"field": ".".join(loc) or None, "message": err.get("msg", "invalid")})
    first = details[0] if details else {"field": None, "message": "invalid request"}
    message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return _error(request, 422, "invalid-input", message, first["field"], details)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(request, 401, "not-authenticated", "sign in or send a valid API token")


@api.get("/health", auth=None, tags=["system"])
def health(request):
    return {"status": "ok", "time": timezone.now().isoformat()}


def _register_routers() -> None:
    from cma.customers.api import router as customers_router
    from cma.letters.api import router as letters_router
    from cma.notes.api import router as notes_router
    from cma.work.api import router as work_router

    api.add_router("/", customers_router)
    api.add_router("/", work_router)
    api.add_router("/", notes_router)
    api.add_router("/", letters_router)


_register_routers()
