"""Who is asking: the client address, trusting `X-Forwarded-For` only from the proxies the
platform declares (CHORALE_TRUSTED_PROXIES), and counters shared by every process (the
default cache: the database, or Redis when CHORALE_REDIS_URL is set)."""

import hashlib
import ipaddress
import time
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@memoize
def _networks(
    entries: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.CHORALE_TRUSTED_PROXIES)))


def client_ip(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    """The address of whoever sent the request. The connection's peer, unless that peer is a
    declared proxy: then the `X-Forwarded-For` addresses are read from the right (the ones
    the proxies appended), skipping declared proxies, and the first other one is the client.
    A client cannot forge its address by sending the header itself."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if not _trusted(remote):
        return remote
    forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _trusted(address):
            return address
    return remote


def rate_limited(scope: str, key: str, limit: int, seconds: int) -> bool:
    """Count one attempt of `key` in `scope`; True when it is past `limit` in the current
    window of `seconds`. The count lives in the shared cache, so it holds across processes
    and machines (keys are hashed: no address or e-mail is stored in clear)."""
    window = int(time.time() // seconds)
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    name = f"chorale:limit:{scope}:{digest}:{window}"
    if cache.add(name, 1, seconds):
        return limit < 1
    try:
        return bool(cache.incr(name) > limit)
    except ValueError:  # expired between the two calls
        cache.set(name, 1, seconds)
        return limit < 1
