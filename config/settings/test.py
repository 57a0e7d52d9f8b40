"""Automated tests: the development settings, tasks run at once, captcha in test mode."""

from .development import *  # noqa: F403

DEBUG = False
CAPTCHA_TEST_MODE = True
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
CHORALE_LOG_EMAIL_LINKS = False

# Test mode is on here on purpose; the captcha package's alarm about it would only add noise.
LOGGING["loggers"]["captcha.conf.settings"] = {"level": "CRITICAL"}  # noqa: F405
