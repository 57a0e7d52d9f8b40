"""The client's address believes X-Forwarded-For only from declared proxies; counters hold
across processes (the shared cache)."""

import pytest
from django.test import RequestFactory

from chorale.core.network import client_ip, rate_limited


def request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        ([], "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # no proxy declared: header ignored
        (["10.0.0.2"], "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not from the proxy
        (["10.0.0.2"], "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        # A client's own forged entry stays on the left: the proxy appended the real one.
        (["10.0.0.2"], "10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.1, 10.1.1.1", "198.51.100.1"),
        (["10.0.0.2"], "10.0.0.2", "", "10.0.0.2"),
        (["::1"], "::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_the_client_address(settings, proxies, remote, forwarded, client):
    settings.CHORALE_TRUSTED_PROXIES = proxies
    assert client_ip(request(remote, forwarded)) == client


def test_the_default_cache_is_shared_by_processes(settings):
    assert settings.CACHES["default"]["BACKEND"] in (
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )


@pytest.mark.django_db
def test_rate_limited_counts_per_key_and_scope():
    assert [rate_limited("t", "a@example.test", 2, 3600) for _ in range(3)] == [False, False, True]
    assert rate_limited("t", "A@example.test ", 2, 3600)  # same key, whatever its case
    assert not rate_limited("t", "b@example.test", 2, 3600)
    assert not rate_limited("other", "a@example.test", 2, 3600)
    assert not any("example" in key for key in _keys())  # hashed, never in clear


def _keys():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM chorale_cache")
        return [row[0] for row in cursor.fetchall()]
