"""/healthz (the process answers), /readyz (it can serve: database, file storage, a queue
that keeps up) and /metrics (Prometheus)."""

import hmac
import os
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from chorale.core.network import client_ip

from .collectors import DatabaseCollector, queue_backlog


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _storage() -> str:
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as probe:
            if probe.read() != b"ok":
                raise OSError("storage returned other bytes")
    finally:
        default_storage.delete(name)
    return "ok"


def _queue() -> str:
    depth, age = queue_backlog()
    if age > settings.CHORALE_READY_MAX_QUEUE_AGE:
        raise RuntimeError(f"{depth} tâche(s) en attente, la plus ancienne depuis {age:.0f} s")
    return f"ok ({depth} en attente)"


@never_cache
def readyz(request):
    checks, ready = {}, True
    for name, check in (("database", _database), ("storage", _storage), ("queue", _queue)):
        try:
            checks[name] = check()
        except Exception as error:
            checks[name] = f"erreur : {error}"
            ready = False
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


def _metrics_allowed(request) -> bool:
    """Closed unless configured: a token (compared in constant time) or an allowed address."""
    token = settings.CHORALE_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and given and hmac.compare_digest(given.encode(), token.encode()):
        return True
    allowed = settings.CHORALE_METRICS_ALLOWED_IPS
    return "*" in allowed or client_ip(request) in allowed


@never_cache
def metrics(request):
    if not _metrics_allowed(request):
        return JsonResponse(
            {
                "erreur": gettext(
                    "/metrics est fermé : configurez CHORALE_METRICS_TOKEN "
                    "(en-tête Authorization: Bearer) ou "
                    "CHORALE_METRICS_ALLOWED_IPS."
                )
            },
            status=403,
        )
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    output = generate_latest(registry)
    database = CollectorRegistry()
    database.register(DatabaseCollector())
    output += generate_latest(database)
    return HttpResponse(output, content_type=CONTENT_TYPE_LATEST)
