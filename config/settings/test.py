"""Automated tests: the development settings, tasks run at once, captcha in test mode."""

from .development import *  # noqa: F403

DEBUG = False
CAPTCHA_TEST_MODE = True
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CHORALE_LOG_EMAIL_LINKS = False
