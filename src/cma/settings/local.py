"""Developer settings: `make run` uses these."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
# A development key for `cma telephony simulate` and a local platform; never used
# elsewhere (production requires its own).
CMA_TELEPHONY_SECRET = env_str("CMA_TELEPHONY_SECRET", "dev-only-telephony-key-0123456789abcdef")
