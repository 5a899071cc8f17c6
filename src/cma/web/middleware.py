from django.http import HttpRequest, HttpResponse


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
