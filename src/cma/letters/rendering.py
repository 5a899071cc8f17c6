"""Letters to HTML and PDF (WeasyPrint).

FILE-4: the PDF fetches nothing external. WeasyPrint sends every URL (stylesheets,
images, fonts, even data: URLs) through our `StaticOnlyFetcher`, which answers only
`https://letters.cma.invalid/static/<path>` from this project's own static files
(found by Django's staticfiles finders, never from STATIC_URL, which may be a CDN)
and refuses everything else. `.invalid` can never resolve, so a mistake here still
could not reach the network.
"""

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint reports every rendering step at INFO; keep its warnings, drop the chatter.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

BASE_URL = "https://letters.cma.invalid/"
_STATIC_PREFIX = BASE_URL + "static/"
_ALLOWED_SUFFIXES = {".css", ".svg", ".png"}

DEFAULT_LETTERHEAD = {
    "agency": "Child Support",
    "address_lines": ["PO Box 9815", "Canberra ACT 2601"],
    "phone": "1800 975 707",
    "international_phone": "+61 2 5550 1000",
    "hours": "Monday to Friday, 8 am to 5 pm",
    "website": "childsupport.example.gov.au",
}

# Country lines for overseas addresses; anything else prints its ISO code.
COUNTRY_NAMES = {
    "NZ": "NEW ZEALAND",
    "GB": "UNITED KINGDOM",
    "US": "UNITED STATES OF AMERICA",
    "CA": "CANADA",
    "NF": "NORFOLK ISLAND",
    "IE": "IRELAND",
    "ZA": "SOUTH AFRICA",
    "SG": "SINGAPORE",
    "IN": "INDIA",
    "PH": "PHILIPPINES",
}


def letterhead() -> dict[str, Any]:
    return {**DEFAULT_LETTERHEAD, **getattr(settings, "CMA_LETTERHEAD", {})}


class StaticOnlyFetcher(URLFetcher):
    """Serves our own static files and refuses every other URL. `requested` keeps
    every URL WeasyPrint asked for, so a test can prove nothing else was tried."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=["https"], allow_redirects=False)
        self.requested: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.requested.append(url)
        path = self._static_path(url)
        if path is None:
            raise ValueError("letters may only use the agency's own static files")
        found = finders.find(path)
        if not found:
            raise ValueError("no such static file")
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        self.served.append(path)
        return URLFetcherResponse(
            url, body=Path(found).read_bytes(), headers={"Content-Type": mime}
        )

    @staticmethod
    def _static_path(url: str) -> str | None:
        if not url.startswith(_STATIC_PREFIX):
            return None
        parts = urlsplit(url)
        rel = unquote(parts.path)[len("/static/") :]
        pure = PurePosixPath(rel)
        if (
            not rel
            or parts.query
            or rel.startswith("/")
            or "\\" in rel
            or any(p in ("", ".", "..") for p in rel.split("/"))
            or pure.suffix not in _ALLOWED_SUFFIXES
        ):
            return None
        return rel


@dataclass
class Rendered:
    pdf: bytes
    page_count: int


def address_lines(customer: Any) -> list[str]:
    """The address block as Australia Post asks: locality, state and postcode on one
    line in capitals; the country in capitals for overseas addresses."""
    lines = [customer.full_name, customer.address_line]
    if customer.is_overseas:
        lines.append(" ".join(p for p in (customer.locality, customer.postcode) if p).upper())
        lines.append(COUNTRY_NAMES.get(customer.country, customer.country.upper()))
    else:
        place = " ".join(p for p in (customer.locality.upper(), customer.state, customer.postcode))
        lines.append(place.strip())
    return [line for line in lines if line]


def document_html(data: dict[str, Any], *, preview: bool = False) -> str:
    """The whole printable document. Autoescaped: every customer value is text."""
    return render_to_string(
        "letters/pdf/letter.html",
        {"data": data, "preview": preview, "logo_url": _STATIC_PREFIX + "letters/logo.svg"},
    )


def render_pdf(html: str, fetcher: StaticOnlyFetcher | None = None) -> Rendered:
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    return Rendered(pdf=document.write_pdf(), page_count=len(document.pages))
