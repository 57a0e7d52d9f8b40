"""The validation engine's settings, one place for both ways it runs: inside the platform they
are Django's (config/settings/base.py takes them from here), in the standalone validator
(`chorale-validate`, no Django settings nor database) they come from the same environment
variables with the same defaults."""

import functools
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import empty

from config.settings.env import env_bool, env_int, env_str

ENGINES = ("native", "official", "both")
FR_RULES = ("off", "warning", "fatal")


def from_environment() -> dict:
    """The engine's settings from the environment, checked."""
    found = {
        # Largest invoice XML accepted (bytes).
        "CHORALE_MAX_XML_BYTES": env_int("CHORALE_MAX_XML_BYTES", 20 * 1024 * 1024),
        # native (Python rules), official (published rule sets run by SaxonC-HE) or both
        # (official verdict, native in shadow); isolated runs Saxon in a child process.
        "CHORALE_VALIDATION_ENGINE": env_str("CHORALE_VALIDATION_ENGINE", "native"),
        "CHORALE_VALIDATION_ISOLATED": env_bool("CHORALE_VALIDATION_ISOLATED", False),
        # The French reform's rules (BR-FR-Flux2) on invoices between French parties.
        "CHORALE_FR_RULES": env_str("CHORALE_FR_RULES", "off"),
    }
    if found["CHORALE_VALIDATION_ENGINE"] not in ENGINES:
        raise ImproperlyConfigured("CHORALE_VALIDATION_ENGINE must be native, official or both")
    if found["CHORALE_FR_RULES"] not in FR_RULES:
        raise ImproperlyConfigured("CHORALE_FR_RULES must be off, warning or fatal")
    return found


@functools.cache
def _standalone() -> dict:
    return from_environment()


def option(name: str):
    """One setting: the platform's when Django's settings are in use, else the environment's.
    (Asked a few times per invoice: a setting Django has read before is taken from its own
    cache, which it empties whenever the settings change, as @override_settings does.)"""
    found = _DJANGO_READ.get(name, empty)
    if found is not empty:
        return found
    if _DJANGO_READ.get("_wrapped", empty) is not empty or _named_in_environment():
        return getattr(settings, name)
    return _standalone()[name]


# Django's settings object keeps each setting read, and its own state, in its __dict__ (the
# same dict for the life of the process; its attributes pass through a Python method).
_DJANGO_READ: dict = object.__getattribute__(settings, "__dict__")


@functools.cache
def _named_in_environment() -> bool:
    """Whether Django's settings module is named (read once, as Django reads it once)."""
    return bool(os.environ.get("DJANGO_SETTINGS_MODULE"))
