"""Signed, expiring, single-use links (account activation, password reset).

A token carries the user id and a fingerprint of the account's state (password hash, activity,
login): once the link has been used the state changes, so the same link no longer opens.
"""

from enum import Enum

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import User


class Purpose(Enum):
    ACTIVATION = "activation"
    PASSWORD_RESET = "password-reset"  # noqa: S105 — a purpose, not a secret


class TokenError(Exception):
    """The link is unusable; `expired` tells an old link from a forged or used one."""

    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _salt(purpose: Purpose) -> str:
    return f"chorale.accounts.{purpose.value}"


def _fingerprint(user: User, purpose: Purpose) -> str:
    state = f"{user.pk}|{user.password}|{user.is_active}|{user.email}"
    return salted_hmac(_salt(purpose), state, algorithm="sha256").hexdigest()[:32]


def token_make(user: User, purpose: Purpose) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user, purpose)}, salt=_salt(purpose))


def token_read(token: str, purpose: Purpose, max_age: int) -> User:
    """Return the user a valid token names, or raise TokenError."""
    try:
        data = signing.loads(token, salt=_salt(purpose), max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenError(expired=True) from exc
    except signing.BadSignature as exc:
        raise TokenError(expired=False) from exc
    user = User.objects.filter(pk=data.get("u")).first()
    if user is None or not constant_time_compare(data.get("f", ""), _fingerprint(user, purpose)):
        raise TokenError(expired=False)
    return user
