"""Settings for the test suite."""

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django runs the suite against its own throwaway database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": None}
# A fixed key so tests can sign events; not a secret anywhere.
CMA_TELEPHONY_SECRET = "test-telephony-key-0123456789abcdef0123456789"  # noqa: S105
# SMS go to a file outbox (tests point CMA_SMS_DIR at their own temporary directory).
CMA_SMS_BACKEND = "cma.contact.sms.FileBackend"
CMA_SMS_DIR = VAR_DIR / "test-sms"
