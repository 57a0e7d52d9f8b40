"""Account use cases. Each is atomic; e-mails are queued in the same transaction."""

import datetime
import logging
import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language, gettext

from chorale.core.mail import email_send

from .models import OidcIdentity, User
from .tokens import Purpose, token_make

logger = logging.getLogger(__name__)

LinkBuilder = Callable[[str], str]
"""Turns a token into the absolute URL of the page that consumes it."""

PROFILE_FIELDS = [
    "contact_email",
    "last_name",
    "first_name",
    "address",
    "address_complement_1",
    "address_complement_2",
    "postal_code",
    "city",
    "country",
    "phone",
    "fax",
]


def _normalize_answer(answer: str) -> str:
    """Answers match whatever the case, accents and spacing: « Étoile » = « etoile »."""
    decomposed = unicodedata.normalize("NFKD", answer.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def user_register(*, email: str, fields: dict, activation_link: LinkBuilder) -> None:
    """Create an inactive account and mail its activation link.

    The answer is the same whether the address is known or not (no enumeration): a pending
    account gets a fresh link, an active one a notice pointing to « Mot de passe oublié ? ».
    """
    email = User.objects.normalize_login(email)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, None, language=get_language(), **fields)
        elif user.is_active:
            email_send(user.notification_email, "accounts/email/already_registered", {"user": user})
            return
        link = activation_link(token_make(user, Purpose.ACTIVATION))
        email_send(
            user.notification_email, "accounts/email/activation", {"user": user, "link": link}
        )


def user_activate(*, user: User, password: str, question: str, answer: str) -> None:
    with transaction.atomic():
        user.set_password(password)
        user.secret_question = question
        user.secret_answer = make_password(_normalize_answer(answer))
        user.is_active = True
        user.activated_at = timezone.now()
        user.save()
        logger.info("Account %s activated", user.pk)


def user_update_secret(*, user: User, question: str, answer: str) -> None:
    user.secret_question = question
    user.secret_answer = make_password(_normalize_answer(answer))
    user.secret_answer_failures = 0
    user.save(update_fields=["secret_question", "secret_answer", "secret_answer_failures"])


def password_reset_request(*, email: str, reset_link: LinkBuilder) -> None:
    """Mail a reset link to an active account; say nothing either way (no enumeration)."""
    user = User.objects.filter(email=User.objects.normalize_login(email), is_active=True).first()
    if user is None:
        return
    with transaction.atomic():
        # A new link does not reset the count of wrong secret answers (it lapses by itself).
        link = reset_link(token_make(user, Purpose.PASSWORD_RESET))
        email_send(
            user.notification_email, "accounts/email/password_reset", {"user": user, "link": link}
        )


def _failures_lapsed(user: User) -> bool:
    lapse = datetime.timedelta(hours=settings.CHORALE_SECRET_ANSWER_LOCK_HOURS)
    return (
        user.secret_answer_failed_at is None
        or timezone.now() - user.secret_answer_failed_at > lapse
    )


def secret_answer_locked(user: User) -> bool:
    """Too many wrong secret answers for this account, whatever the link they came through,
    and the last one recent (CHORALE_SECRET_ANSWER_LOCK_HOURS)."""
    if _failures_lapsed(user):
        return False
    return user.secret_answer_failures >= settings.CHORALE_SECRET_ANSWER_MAX_FAILURES


def password_reset_confirm(*, user: User, answer: str, password: str) -> bool:
    """Set the new password if the secret answer matches; count the failures otherwise."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if secret_answer_locked(user):
            return False
        if not check_password(_normalize_answer(answer), user.secret_answer):
            earlier = 0 if _failures_lapsed(user) else F("secret_answer_failures")
            User.objects.filter(pk=user.pk).update(
                secret_answer_failures=earlier + 1, secret_answer_failed_at=timezone.now()
            )
            return False
        user.set_password(password)
        user.secret_answer_failures = 0
        user.secret_answer_failed_at = None
        user.save(update_fields=["password", "secret_answer_failures", "secret_answer_failed_at"])
        logger.info("Password of account %s reset", user.pk)
        return True


class OidcRefused(Exception):
    """The provider's answer cannot sign anyone in; the message says why, in French."""


@transaction.atomic
def oidc_sign_in(*, issuer: str, claims: dict, emails_verified: bool) -> User:
    """The account for an identity the provider vouched for: the one already linked to it,
    else the active account with the same verified e-mail address (now linked), else a new
    active account. A deactivated account stays closed."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise OidcRefused(gettext("Le fournisseur d'identité n'a pas indiqué qui vous êtes."))
    now = timezone.now()
    identity = (
        OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    )
    if identity is None:
        email = User.objects.normalize_login(str(claims.get("email") or ""))
        verified = emails_verified or claims.get("email_verified") is True
        if not email or not verified:
            raise OidcRefused(
                gettext(
                    "Le fournisseur d'identité n'a pas transmis d'adresse "
                    "électronique vérifiée : créez votre compte avec le "
                    "formulaire d'inscription."
                )
            )
        user = User.objects.select_for_update().filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                None,
                last_name=str(claims.get("family_name") or "")[:100],
                first_name=str(claims.get("given_name") or "")[:100],
                is_active=True,
                activated_at=now,
            )
        elif not user.is_active and user.activated_at is None and user.last_login is None:
            # Registered but never activated: the provider has just proved the address.
            user.is_active, user.activated_at = True, now
            user.save(update_fields=["is_active", "activated_at"])
        identity = OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    user = identity.user
    if not user.is_active:
        raise OidcRefused(
            gettext("Ce compte est désactivé. Contactez le support de la plateforme.")
        )
    identity.last_login_at = now
    identity.save(update_fields=["last_login_at"])
    return user


def user_language_set(*, user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
