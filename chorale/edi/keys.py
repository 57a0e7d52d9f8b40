"""The public parts a connection declares, checked with `cryptography` before they are kept:
an SSH public key (OpenSSH's one-line form) and an AS2 certificate (PEM X.509)."""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

MIN_RSA_BITS = 2048
MAX_TEXT = 16_384  # a key or a certificate chain is never larger


def ssh_public_key(text: str) -> str:
    """The key on one line (« ssh-ed25519 AAAA… comment »), or a ValidationError saying why."""
    line = " ".join((text or "").split())
    if not line or len(line) > MAX_TEXT:
        raise ValidationError(gettext("Collez la clé publique SSH sur une ligne (ssh-ed25519 …)."))
    try:
        key = serialization.load_ssh_public_key(line.encode())
    except (ValueError, TypeError, UnicodeError):
        raise ValidationError(
            gettext(
                "Ce n'est pas une clé publique SSH lisible : collez la ligne du fichier .pub "
                "(ssh-ed25519, ecdsa-sha2-nistp256 ou ssh-rsa)."
            )
        ) from None
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_BITS:
        raise ValidationError(
            gettext("Une clé RSA doit compter au moins %(bits)s bits.") % {"bits": MIN_RSA_BITS}
        )
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey):
        raise ValidationError(gettext("Type de clé non accepté (ed25519, ECDSA ou RSA)."))
    return line


def certificate(text: str, now: datetime.datetime | None = None) -> tuple[str, datetime.datetime]:
    """The certificate (PEM) and when it expires; refused when unreadable or already expired."""
    pem = (text or "").strip()
    if not pem or len(pem) > MAX_TEXT:
        raise ValidationError(
            gettext("Collez le certificat au format PEM (-----BEGIN CERTIFICATE-----).")
        )
    try:
        parsed = x509.load_pem_x509_certificate(pem.encode())
    except (ValueError, TypeError, UnicodeError):
        raise ValidationError(
            gettext("Ce n'est pas un certificat X.509 lisible au format PEM.")
        ) from None
    expires = parsed.not_valid_after_utc
    if expires <= (now or timezone.now()):
        raise ValidationError(
            gettext("Ce certificat a expiré le %(date)s.") % {"date": f"{expires:%d/%m/%Y}"}
        )
    return pem, expires
