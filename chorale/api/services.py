"""Raccordements API: technical accounts, their secrets, tokens and webhooks (one function per
use case). Secrets are shown once, when made, and kept only as digests."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chorale.accounts.models import NotificationSettings, User
from chorale.core.errors import BusinessError
from chorale.core.feed import CATEGORIES
from chorale.structures.models import Structure
from chorale.structures.selectors import membership_for
from chorale.structures.services import technical_member_add

from .models import ApiAccount, ApiFile, Webhook

PASSWORD_LIFETIME = datetime.timedelta(days=424)  # the technical password's 14 months
TOKEN_LIFETIME = 3600
_TOKEN_SALT = "chorale.api.token"  # noqa: S105 (a signing namespace, not a secret)


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


def _matches(salt: str, secret: str, digest: str) -> bool:
    return hmac.compare_digest(_digest(salt, secret), digest)


def _new_password(account: ApiAccount) -> str:
    password = secrets.token_urlsafe(24)
    account.password_digest = _digest(account.salt, password)
    account.password_expires_at = timezone.now() + PASSWORD_LIFETIME
    return password


def _manager_structure(user, structure_id: int) -> Structure:
    return membership_for(user, structure_id, manager=True).structure


@transaction.atomic
def api_account_create(*, structure: Structure, label: str = "", created_by=None) -> dict:
    """A new raccordement for the structure; returns its secrets (shown once)."""
    if structure.is_draft or not structure.is_active:
        raise BusinessError(gettext("Cette structure n'est pas active."), "structure_inactive")
    number = ApiAccount.objects.filter(structure=structure).count() + 1
    login = f"TECH_{structure.pk}_{number}_{secrets.token_hex(3)}@cpro.fr"
    user = User.objects.create_user(
        email=f"technique-{secrets.token_hex(8)}@api.invalid",
        first_name="Compte technique",
        last_name=label or login,
    )  # no usable password: a technical user never signs in to the portal
    NotificationSettings.objects.create(user=user, muted_categories=list(CATEGORIES))
    technical_member_add(structure=structure, user=user)
    account = ApiAccount(
        structure=structure,
        user=user,
        created_by=created_by,
        label=label or f"Raccordement {number}",
        client_id=secrets.token_hex(16),
        login=login,
        salt=secrets.token_hex(16),
    )
    client_secret = secrets.token_urlsafe(32)
    account.client_secret_digest = _digest(account.salt, client_secret)
    password = _new_password(account)
    account.save()
    return {
        "account": account,
        "client_id": account.client_id,
        "client_secret": client_secret,
        "login": login,
        "password": password,
    }


def api_account_create_for(*, user, structure_id: int, label: str = "") -> dict:
    """« Créer un compte technique » on Raccordements API (managers only)."""
    return api_account_create(
        structure=_manager_structure(user, structure_id), label=label, created_by=user
    )


def _managed[M: (ApiAccount, Webhook)](model: type[M], user, structure_id: int, pk: int) -> M:
    """One of a structure's raccordements or webhooks, for a manager of that structure only."""
    found = model.objects.filter(pk=pk, structure=_manager_structure(user, structure_id)).first()
    if found is None:
        raise BusinessError(f"{model._meta.verbose_name.capitalize()} introuvable.", "not_found")
    return found


def _managed_account(user, structure_id: int, account_id: int) -> ApiAccount:
    return _managed(ApiAccount, user, structure_id, account_id)


@transaction.atomic
def api_account_renew_password(*, user, structure_id: int, account_id: int) -> str:
    """A new technical password for 424 days (the old one stops working at once)."""
    account = _managed_account(user, structure_id, account_id)
    if account.revoked_at:
        raise BusinessError(gettext("Ce raccordement est révoqué."), "revoked")
    password = _new_password(account)
    account.save(update_fields=["password_digest", "password_expires_at"])
    return password


@transaction.atomic
def api_account_revoke(*, user, structure_id: int, account_id: int) -> None:
    account = _managed_account(user, structure_id, account_id)
    if account.revoked_at is None:
        account.revoked_at = timezone.now()
        account.save(update_fields=["revoked_at"])


def api_file_store(
    *, account: ApiAccount, name: str, content: bytes, mime: str, extracted=None
) -> ApiFile:
    """Keep a file sent by ajouter/fichier or deposer/pdf for the technical account's structure."""
    api_file = ApiFile(
        structure=account.structure,
        created_by=account.user,
        name=name[:255],
        mime_type=mime,
        size=len(content),
        extracted=extracted or {},
    )
    api_file.file.save(f"{hashlib.sha256(content).hexdigest()[:16]}.bin", ContentFile(content))
    return api_file


# Authentication -------------------------------------------------------------------------------


def client_authenticate(client_id: str, client_secret: str) -> ApiAccount | None:
    """The active raccordement with these OAuth2 client credentials, or None."""
    account = ApiAccount.objects.filter(client_id=client_id, revoked_at=None).first()
    if account and _matches(account.salt, client_secret, account.client_secret_digest):
        return account
    return None


def token_issue(account: ApiAccount) -> str:
    """A bearer token for an hour, bound to the client and its current secret."""
    payload = {"c": account.client_id, "s": account.client_secret_digest[:12]}
    return signing.dumps(payload, salt=_TOKEN_SALT, compress=False)


def token_client(token: str) -> ApiAccount | None:
    """The raccordement a token was issued to, if the token is genuine, unexpired and the
    client is still active with the same secret."""
    try:
        payload = signing.loads(token, salt=_TOKEN_SALT, max_age=TOKEN_LIFETIME)
    except signing.BadSignature:
        return None
    account = ApiAccount.objects.filter(client_id=payload.get("c"), revoked_at=None).first()
    if account is None or account.client_secret_digest[:12] != payload.get("s"):
        return None
    return account


def technical_authenticate(login: str, password: str) -> tuple[ApiAccount | None, str]:
    """The technical account behind `cpro-account`, or None and why (a stable code)."""
    account = (
        ApiAccount.objects.select_related("user", "structure").filter(login__iexact=login).first()
    )
    if account is None or not _matches(account.salt, password, account.password_digest):
        return None, "compte_technique_invalide"
    if account.revoked_at:
        return None, "compte_technique_revoque"
    if account.password_expires_at <= timezone.now():
        return None, "mot_de_passe_expire"
    return account, ""


# Webhooks ---------------------------------------------------------------------------------------


def _webhook_url_check(url: str) -> None:
    """HTTPS to a public address (http:// to loopback in development only); the name is
    resolved now and every address it gives must be public (checked again at each call)."""
    from urllib.parse import urlsplit

    from chorale.core.outbound import AddressRefused, public_addresses

    parts = urlsplit(url)
    loopback_http = parts.scheme == "http" and settings.CHORALE_WEBHOOKS_ALLOW_LOOPBACK
    if not parts.hostname or (parts.scheme != "https" and not loopback_http):
        raise BusinessError(
            gettext(
                "L'adresse doit commencer par https:// (http:// n'est admis qu'en développement)."
            ),
            "webhook_url",
        )
    try:
        addresses = public_addresses(parts.hostname, parts.port or 443)
    except (AddressRefused, ValueError) as error:
        raise BusinessError(
            gettext("Adresse refusée : %(error)s.")
            % {
                "error": error,
            },
            "webhook_url",
        ) from error
    if parts.scheme == "http" and not all(a in ("127.0.0.1", "::1") for a in addresses):
        raise BusinessError(
            gettext("http:// n'est admis que pour une adresse locale."), "webhook_url"
        )


@transaction.atomic
def webhook_create(*, user, structure_id: int, url: str) -> Webhook:
    structure = _manager_structure(user, structure_id)
    _webhook_url_check(url)
    return Webhook.objects.create(
        structure=structure, url=url, secret=secrets.token_hex(32), created_by=user
    )


def managed_webhook(user, structure_id: int, webhook_id: int) -> Webhook:
    return _managed(Webhook, user, structure_id, webhook_id)


@transaction.atomic
def webhook_delete(*, user, structure_id: int, webhook_id: int) -> None:
    webhook = managed_webhook(user, structure_id, webhook_id)
    webhook.is_active = False
    webhook.save(update_fields=["is_active"])
