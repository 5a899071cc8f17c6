"""Settings shared by every environment."""

from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(env_str("CMA_VAR_DIR", str(PROJECT_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules",
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",
    "cma.audit",
    "cma.policy",
    "cma.calendar",
    "cma.staff",
    "cma.customers",
    "cma.privacy",
    "cma.work",
    "cma.notes",
    "cma.letters",
    "cma.contact",
    "cma.decisions",
    "cma.personalised",
    "cma.collection",
    "cma.reporting",
    "cma.web",
    "cma.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cma.web.middleware.AbsoluteLifetimeMiddleware",
    "cma.web.middleware.IdleTimerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cma.policy.middleware.PolicyReadsMiddleware",
    "cma.web.middleware.NoStoreForAuthenticatedMiddleware",
    "cma.web.middleware.RestrictedNoticeMiddleware",
]

ROOT_URLCONF = "cma.urls"
WSGI_APPLICATION = "cma.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cma.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while the single writer commits; IMMEDIATE takes the
    # write lock at BEGIN so two writers queue instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "staff.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "cma.staff.backends.OneQueryModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Agency, product and role names (AUTH-3). No composition rules: Django's
    # NumericPasswordValidator is left out on purpose (ASVS 6.2.5).
    {"NAME": "cma.staff.validators.ContextWordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

SESSION_ENGINE = "cma.web.sessions"
SESSION_COOKIE_AGE = 30 * 60  # idle timeout (SES-1)
# The idle timer is refreshed by `cma.web.middleware.IdleTimerMiddleware` at most once a
# minute, not by saving the session on every request (a write per read).
SESSION_SAVE_EVERY_REQUEST = False
CMA_SESSION_REFRESH_SECONDS = 60
# Absolute session lifetime from sign-in, whatever the activity (SES-1).
CMA_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-au"
TIME_ZONE = "Australia/Canberra"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Working-day calendar: the state used when a team has none recorded.
CMA_DEFAULT_STATE = "ACT"
# How often `cma worker` runs the sweeps, in seconds.
CMA_WORKER_INTERVAL = env_int("CMA_WORKER_INTERVAL", 60)
# Largest page an API list or search returns.
CMA_MAX_PAGE_SIZE = 200
# Largest import file accepted by the API and CLI, in bytes.
CMA_MAX_IMPORT_BYTES = env_int("CMA_MAX_IMPORT_BYTES", 50 * 1024 * 1024)
# Most rows one import may hold (FILE-3); larger feeds are split.
CMA_MAX_IMPORT_ROWS = env_int("CMA_MAX_IMPORT_ROWS", 200_000)
# SMS to customers' mobiles (CON-3 pre-call notices): the backend (a dotted path to a
# `cma.contact.sms` backend) and, for the gateway, its URL, bearer token and timeout.
CMA_SMS_BACKEND = env_str("CMA_SMS_BACKEND", "cma.contact.sms.ConsoleBackend")
CMA_SMS_DIR = Path(env_str("CMA_SMS_DIR", str(VAR_DIR / "sms")))
CMA_SMS_GATEWAY_URL = env_str("CMA_SMS_GATEWAY_URL", "")
CMA_SMS_GATEWAY_TOKEN = env_str("CMA_SMS_GATEWAY_TOKEN", "")
CMA_SMS_GATEWAY_TIMEOUT = env_int("CMA_SMS_GATEWAY_TIMEOUT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # PDF rendering libraries narrate every step at INFO; keep CLI output clean.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# The key the telephony platform signs its events with (HMAC-SHA256). Empty refuses
# every event; production requires it, local and test settings set their own.
CMA_TELEPHONY_SECRET = env_str("CMA_TELEPHONY_SECRET", "")
