"""Page tests can use the seeded office of the whole-API tests."""

from tests.api.conftest import office  # noqa: F401
