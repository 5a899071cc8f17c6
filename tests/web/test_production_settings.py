"""Issue 23: production keeps its database connections between requests (a new one
costs ~26 ms under load), checked before reuse, and a read does not save its session."""

import importlib
import sys


def test_production_keeps_checked_connections_and_does_not_save_every_session(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 50)
    monkeypatch.setenv("CMA_TELEPHONY_SECRET", "t" * 40)
    monkeypatch.delenv("DB_CONN_MAX_AGE", raising=False)
    sys.modules.pop("cma.settings.production", None)
    production = importlib.import_module("cma.settings.production")
    sys.modules.pop("cma.settings.production", None)
    database = production.DATABASES["default"]
    assert database["CONN_MAX_AGE"] >= 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert production.SESSION_SAVE_EVERY_REQUEST is False
    assert "cma.web.middleware.IdleTimerMiddleware" in production.MIDDLEWARE
