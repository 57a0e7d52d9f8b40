"""Automated tests: the development settings, tasks run at once, captcha in test mode."""

from .development import *  # noqa: F403

DEBUG = False
CAPTCHA_TEST_MODE = True
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "webhooks", "edi"],
    }
}
CHORALE_LOG_EMAIL_LINKS = False

# Test mode is on here on purpose; the captcha package's alarm about it would only add noise.
LOGGING["loggers"]["captcha.conf.settings"] = {"level": "CRITICAL"}  # noqa: F405

# SQLite tests use a file, not shared-cache memory: its locking is the real one (WAL, busy
# timeout), so concurrency tests mean on SQLite what they mean in `make run`.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
CHORALE_WEBHOOKS_ALLOW_LOOPBACK = True
