"""Policy parameters read once per request (one query, however many are used), and a
safe request's repeated reads remembered (`cma.memo`)."""

from contextlib import nullcontext

from django.http import HttpRequest, HttpResponse

from cma.memo import remembering

from .services import reads_once


class PolicyReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        safe = request.method in ("GET", "HEAD")
        with reads_once(), remembering() if safe else nullcontext():
            return self.get_response(request)
