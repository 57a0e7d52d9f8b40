"""Calls to the addresses a structure registered (webhooks), as an attacker's endpoint would
meet them: only public addresses, checked once and connected to as checked (no second DNS
look-up that could point elsewhere), short connect and overall time limits, no redirect, and
nothing read back but the status line."""

import http.client
import ipaddress
import socket
import ssl
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext

CONNECT_TIMEOUT = 3  # seconds to open the connection (TLS included)
TOTAL_TIMEOUT = 8  # seconds for the whole call, however slowly the endpoint answers


class AddressRefused(Exception):
    """The address is not one Chorale may call; the message says why, in French."""


def _allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if ip.version == 6 and ip.ipv4_mapped is not None:  # ::ffff:127.0.0.1 is 127.0.0.1
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return settings.CHORALE_WEBHOOKS_ALLOW_LOOPBACK
    return ip.is_global and not ip.is_multicast


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, every one of them public (loopback too in
    development); AddressRefused otherwise. Literal, decimal (« 2130706433 ») and IPv4-mapped
    forms are judged by the address they are."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(
            gettext("le nom %(host)s est introuvable (%(error)s)")
            % {
                "host": host,
                "error": error,
            }
        ) from error
    found = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not _allowed(ip):
            raise AddressRefused(
                gettext(
                    "%(host)s désigne %(ip)s, qui n'est pas une adresse publique "
                    "(réseau local, bouclage, lien local, multidiffusion ou "
                    "réservée)"
                )
                % {
                    "host": host,
                    "ip": ip,
                }
            )
        found.append(str(ip))
    if not found:
        raise AddressRefused(
            gettext("le nom %(host)s ne désigne aucune adresse")
            % {
                "host": host,
            }
        )
    return found


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to the address already checked (no second DNS look-up)."""

    def __init__(self, ip: str, *args: Any, **kwargs: Any) -> None:
        self._ip = ip
        super().__init__(*args, **kwargs)

    def _open(self) -> socket.socket:
        return socket.create_connection((self._ip, self.port), CONNECT_TIMEOUT)

    def connect(self) -> None:
        self.sock = self._open()


class _PinnedHTTPS(http.client.HTTPSConnection):
    """The same over TLS, the certificate checked for the host's name."""

    def __init__(self, ip: str, *args: Any, context: ssl.SSLContext, **kwargs: Any) -> None:
        self._ip, self._tls = ip, context
        super().__init__(*args, context=context, **kwargs)

    def connect(self) -> None:
        raw = socket.create_connection((self._ip, self.port), CONNECT_TIMEOUT)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def _open(url: str) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the checked address of `url`, and the path to ask for."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    ip = public_addresses(parts.hostname or "", port)[0]
    connection: http.client.HTTPConnection
    if https:
        context = ssl.create_default_context()
        connection = _PinnedHTTPS(
            ip, parts.hostname, port, timeout=CONNECT_TIMEOUT, context=context
        )
    else:
        connection = _PinnedHTTP(ip, parts.hostname, port, timeout=CONNECT_TIMEOUT)
    return connection, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to `url`; the HTTP status. Raises AddressRefused, or OSError (timeouts,
    refused connections, TLS errors) with the cause."""
    deadline = time.monotonic() + TOTAL_TIMEOUT
    connection, path = _open(url)
    try:
        connection.request("POST", path, body=body, headers=headers)
        return _status(connection.sock, deadline)
    finally:
        connection.close()


def exchange(
    url: str, body: bytes, headers: dict[str, str], limit: int = 1024 * 1024
) -> tuple[int, dict[str, str], bytes]:
    """POST `body` to `url` and read the answer (an AS2 partner's MDN): status, headers and at
    most `limit` bytes of body, all within TOTAL_TIMEOUT however slowly it drips. Raises as
    `post` does, and OSError when the answer is larger than `limit`."""
    deadline = time.monotonic() + TOTAL_TIMEOUT

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(
                gettext("pas de réponse en %(TOTAL_TIMEOUT)s s") % {"TOTAL_TIMEOUT": TOTAL_TIMEOUT}
            )
        return left

    connection, path = _open(url)
    try:
        connection.request("POST", path, body=body, headers=headers)
        sock = connection.sock  # the answer keeps reading it once the connection lets go
        sock.settimeout(remaining())
        response = connection.getresponse()
        answer = b""
        while chunk := response.read1(65536):
            answer += chunk
            if len(answer) > limit:
                raise OSError(
                    gettext("réponse trop volumineuse (plus de %(n)s octets)") % {"n": limit}
                )
            sock.settimeout(remaining())
        return response.status, dict(response.getheaders()), answer
    finally:
        connection.close()


def _status(sock: socket.socket, deadline: float) -> int:
    """The status code of the answer's first line, read within the deadline."""
    received = b""
    while b"\r\n" not in received and len(received) < 1024:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(
                gettext("pas de réponse en %(TOTAL_TIMEOUT)s s")
                % {
                    "TOTAL_TIMEOUT": TOTAL_TIMEOUT,
                }
            )
        sock.settimeout(remaining)
        chunk = sock.recv(256)
        if not chunk:
            break
        received += chunk
    line = received.split(b"\r\n", 1)[0].decode("latin-1")
    fields = line.split(" ", 2)
    if len(fields) < 2 or not fields[0].startswith("HTTP/") or not fields[1].isdigit():
        raise OSError(f"réponse HTTP illisible : {line[:80]!r}")
    return int(fields[1])
