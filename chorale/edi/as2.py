"""AS2 (RFC 4130) for the EDI connections, with pyas2lib (edi.md §5.1–5.2).

Chorale is one AS2 organisation under two names: CHORALE_EDI_AS2_NAME for production and the
same name followed by `_QUALIF` for qualification, as Chorus Pro has one address per
environment. A partner is a connection in qualification or production: its certificate
verifies its signatures and encrypts what Chorale sends it. Every message must be signed and
encrypted (AES); its payload is taken as a file of `depot/` is. The MDN is synchronous, or
asynchronous (queued, retried) when the partner gives a Receipt-Delivery-Option; a refusal says
why in its human-readable part."""

import datetime
import importlib.util
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chorale.core.files import safe_filename

from . import files, outbox
from .models import AS2Message, Connection, Protocol, Stage

QUALIF = "_QUALIF"
ENCRYPTION = "aes_256_cbc"  # pyas2lib's default is 3DES; AES is what partners expect now


def _oscrypto_fixed() -> None:
    """pyas2lib signs and encrypts through oscrypto, whose last release (1.3.0) cannot read the
    version of OpenSSL 3.0.10 and later (« 3.0.19 »: two digits) and refuses to load
    (wbond/oscrypto#75, fixed on its master, never released). Load its libcrypto module with
    the fixed pattern — the same one-character change as the distributions' patch — before
    anything imports it; once a fixed release exists the pattern is absent and nothing
    changes."""
    import oscrypto

    name = f"oscrypto._openssl._libcrypto_{oscrypto.ffi()}"
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    source = spec.loader.get_source(name) or ""  # type: ignore[attr-defined]
    broken = r"'\\b(\\d\\.\\d\\.\\d[a-z]*)\\b'"
    if broken not in source:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    fixed = source.replace(broken, r"'\\b(\\d\\.\\d\\.\\d+[a-z]*)\\b'")
    exec(compile(fixed, spec.origin or name, "exec"), module.__dict__)  # noqa: S102


_oscrypto_fixed()

from pyas2lib import Mdn, Message, Organization, Partner  # noqa: E402
from pyas2lib.exceptions import AS2Exception  # noqa: E402


def names() -> tuple[str, str]:
    """Chorale's AS2 names: production, qualification."""
    return settings.CHORALE_EDI_AS2_NAME, settings.CHORALE_EDI_AS2_NAME + QUALIF


def self_signed(name: str, *, days: int, key_size: int = 3072) -> tuple[bytes, bytes]:
    """An RSA key and a self-signed certificate for `name` (PEM), valid for `days` from now
    (already expired when `days` is negative)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=max(1, 1 - days)))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return (
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert.public_bytes(serialization.Encoding.PEM),
    )


def _key_file() -> Path:
    """Chorale's AS2 key and certificate (PEM): CHORALE_EDI_AS2_KEY, or one made at first use
    under CHORALE_EDI_ROOT/as2/ (self-signed, RSA 3072, two years)."""
    if settings.CHORALE_EDI_AS2_KEY:
        return Path(settings.CHORALE_EDI_AS2_KEY)
    path = Path(settings.CHORALE_EDI_ROOT) / "as2" / "chorale.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key, cert = self_signed(names()[0], days=730, key_size=3072)
        part = path.with_suffix(".part")
        part.write_bytes(key + cert)
        part.chmod(0o600)
        part.replace(path)
    return path


@cache
def _key_pem(path: str) -> bytes:
    return Path(path).read_bytes()


def certificate_pem() -> bytes:
    """Chorale's public certificate, for partners to verify and encrypt."""
    pem = _key_pem(str(_key_file()))
    start = pem.index(b"-----BEGIN CERTIFICATE-----")
    return pem[start:]


def organization(as2_name: str, signing: bool = True) -> Organization:
    key = _key_pem(str(_key_file()))
    if not signing:  # an unknown partner: an unsigned MDN (no partner to sign for)
        return Organization(as2_name=as2_name)
    return Organization(
        as2_name=as2_name,
        sign_key=key,
        decrypt_key=key,
        mdn_url=settings.CHORALE_BASE_URL.rstrip("/") + "/edi/as2/",
        domain=settings.CHORALE_DOMAIN,
    )


def partner(connection: Connection) -> Partner:
    cert = connection.as2_certificate.encode()
    return Partner(
        as2_name=connection.as2_identifier,
        verify_cert=cert,
        encrypt_cert=cert,
        sign=True,
        encrypt=True,
        enc_alg=ENCRYPTION,
        mdn_mode="SYNC",
        mdn_digest_alg="sha256",
    )


class Refused(AS2Exception):
    """A message Chorale will not take; the text (in French) goes into the MDN."""

    disposition_type = "processed/Error"


@dataclass
class Parsed:
    """What parsing a message gave: the connection it came from (when known), its payload
    when all checks passed, the MDN to answer with, and the reason of a refusal."""

    message: Message
    connection: Connection | None
    mdn: Mdn | None
    payload: bytes | None
    filename: str
    reason: str
    qualification: bool


def _find(as2_to: str, as2_from: str, found: dict) -> tuple[Organization | None, Partner | None]:
    if as2_to not in names():
        return None, None
    connection = (
        Connection.objects.select_related("structure", "declared_by")
        .filter(protocol=Protocol.AS2, as2_identifier=as2_from)
        .first()
    )
    found["connection"] = connection
    if connection is None:
        return organization(as2_to, signing=False), None
    if not connection.may_exchange:
        raise Refused(
            gettext("Le raccordement %(code)s n'est pas ouvert aux échanges (étape : %(stage)s).")
            % {"code": connection.partner_code, "stage": Stage(connection.stage).label},
            "authentication-failed",
        )
    expires = connection.certificate_expires_at
    if expires and expires <= timezone.now():
        raise Refused(
            gettext(
                "Le certificat AS2 du raccordement %(code)s a expiré le %(date)s : déclarez-en "
                "un nouveau dans « Raccordements EDI »."
            )
            % {"code": connection.partner_code, "date": f"{expires:%d/%m/%Y}"},
            "authentication-failed",
        )
    if as2_to == names()[0] and connection.stage == Stage.QUALIFICATION:
        raise Refused(
            gettext(
                "Le raccordement %(code)s est en qualification : adressez vos fichiers de test "
                "à %(name)s, pas à l'adresse de production."
            )
            % {"code": connection.partner_code, "name": names()[1]},
            "unexpected-processing-error",
        )
    return organization(as2_to), partner(connection)


def parse(raw: bytes) -> Parsed:
    """Decrypt, verify and unpack one message (HTTP headers, a blank line, the body)."""
    message, found = Message(), {}
    status, (error, _trace), mdn = message.parse(
        raw, find_org_partner_cb=lambda to, frm: _find(to, frm, found)
    )
    ok = status == "processed" and error is None
    reason = ""
    if not ok:
        reason = str(error) if isinstance(error, Refused) else _reason(error)
        if mdn is not None:  # the same MDN, with the reason as its human-readable text
            mdn.build(
                message=message,
                status=status,
                detailed_status=getattr(error, "disposition_modifier", None)
                or "unexpected-processing-error",
                failed_text=_ascii(reason),
            )
    payload = message.payload
    as2_to = message.receiver.as2_name if message.receiver else ""
    return Parsed(
        message=message,
        connection=found.get("connection"),
        mdn=mdn,
        payload=payload.get_payload(decode=True) if ok and payload is not None else None,
        filename=(payload.get_filename() or "") if ok and payload is not None else "",
        reason=reason,
        qualification=as2_to.endswith(QUALIF),
    )


def _ascii(text: str) -> str:
    """The MDN's text part is plain 7-bit text: French without its accents."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _reason(error: BaseException | None) -> str:
    """A partner-facing sentence for pyas2lib's refusals."""
    modifier = getattr(error, "disposition_modifier", "")
    texts = {
        "unknown-trading-partner": gettext(
            "Expéditeur ou destinataire AS2 inconnu : l'identifiant AS2-From doit être celui "
            "d'un raccordement déclaré, AS2-To celui de Chorale."
        ),
        "insufficient-message-security": gettext(
            "Le message doit être signé et chiffré avec les certificats déclarés."
        ),
        "decryption-failed": gettext(
            "Le message ne se déchiffre pas avec la clé de Chorale : chiffrez-le avec le "
            "certificat publié dans « Raccordements EDI »."
        ),
        "authentication-failed": gettext(
            "La signature ne correspond pas au certificat déclaré pour ce raccordement."
        ),
        "invalid-certificate": gettext("Le certificat du partenaire n'est pas valide."),
        "decompression-failed": gettext("Le contenu compressé du message est illisible."),
    }
    if modifier in texts:
        return texts[modifier]
    if error is not None and "verif" in str(error).lower():
        return texts["authentication-failed"]
    if error is not None and "decrypt" in str(error).lower():
        return texts["decryption-failed"]
    return gettext("Le message AS2 n'a pas pu être lu (%(error)s).") % {
        "error": str(error)[:200] or type(error).__name__
    }


def mdn_duplicate(parsed: Parsed) -> None:
    """Turn the MDN into `processed/Warning: duplicate-document` (a resent message)."""
    if parsed.mdn is not None:
        parsed.mdn.build(
            message=parsed.message, status="processed/Warning", detailed_status="duplicate-document"
        )


def build(connection: Connection, name: str, content: bytes, message_id: str) -> Message:
    """An outgoing message to a connection: signed, encrypted, asking a signed synchronous
    MDN. The same `message_id` (left part) at each retry."""
    as2_name = names()[1] if connection.stage == Stage.QUALIFICATION else names()[0]
    message = Message(sender=organization(as2_name), receiver=partner(connection))
    message.build(
        content,
        filename=name,
        subject=name,
        content_type="application/xml" if name.endswith(".xml") else "application/octet-stream",
        disposition_notification_to=f"edi@{settings.CHORALE_DOMAIN}",
        message_id=message_id,
    )
    return message


def mdn_read(message: Message, raw: bytes) -> tuple[bool, str]:
    """Whether the partner's MDN accepts `message`, and what it said."""
    status, detail = Mdn().parse(raw, find_message_cb=lambda mid, recipient: message)
    return status == "processed", f"{status}{f': {detail}' if detail else ''}"


@dataclass
class Answer:
    """The HTTP answer to a message: the synchronous MDN, or nothing."""

    headers: dict[str, str]
    body: bytes


def _flat(headers: dict) -> dict[str, str]:
    """MIME headers as HTTP headers (folded lines unfolded)."""
    return {str(key): " ".join(str(value).split()) for key, value in headers.items()}


def take_message(raw: bytes) -> Answer:
    """Take one AS2 message: its file becomes a flow exactly once (by Message-ID, then by name
    and content as any file), and the partner gets its MDN — in the answer, or later at its
    Receipt-Delivery-Option address."""
    parsed = parse(raw)
    connection, message_id = parsed.connection, (parsed.message.message_id or "")[:255]
    if connection is not None and message_id:
        with transaction.atomic():
            seen, _created = AS2Message.objects.select_for_update().get_or_create(
                connection=connection, message_id=message_id
            )
            if parsed.payload is None:
                if not seen.processed:
                    seen.disposition = parsed.reason[:200]
                    seen.save(update_fields=["disposition"])
            elif seen.processed:
                mdn_duplicate(parsed)
            else:
                name = safe_filename(parsed.filename, default=f"AS2_{message_id}")
                taken = files.receive(connection, name, parsed.payload, trial=parsed.qualification)
                if taken is None:  # the same file under another Message-ID
                    mdn_duplicate(parsed)
                seen.processed, seen.disposition = True, "processed"
                seen.save(update_fields=["processed", "disposition"])
    mdn = parsed.mdn
    if mdn is None:
        return Answer({}, b"")
    if mdn.mdn_mode == "ASYNC" and mdn.mdn_url and connection is not None:
        outbox.mdn_later(connection, mdn.mdn_url, _flat(mdn.headers), mdn.content, message_id)
        return Answer({}, b"")
    return Answer(_flat(mdn.headers), mdn.content)
