"""The embedded default (`make run`): SQLite and files under var/, a generated secret key."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR
from .env import env_bool, env_list, env_str

DEBUG = env_bool("DEBUG", True)


def _development_secret_key() -> str:
    """Read the key from var/secret_key, creating it once so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") or _development_secret_key()
CAPTCHA_TEST_MODE = env_bool("CAPTCHA_TEST_MODE", False)
CHORALE_WEBHOOKS_ALLOW_LOOPBACK = env_bool("CHORALE_WEBHOOKS_ALLOW_LOOPBACK", True)
# On a laptop, /metrics answers the machine itself.
CHORALE_METRICS_ALLOWED_IPS = env_list("CHORALE_METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
