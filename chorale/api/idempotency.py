"""Idempotency-Key on deposits and `soumettre`: a retried request gets the first answer back
instead of making a second deposit. Answers are kept 24 hours; the same key with another body
is refused (422)."""

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework.response import Response

from .errors import ApiError
from .models import IdempotentAnswer

LIFETIME = datetime.timedelta(hours=24)
HEADER = "Idempotency-Key"


def idempotent(request, run) -> Response:
    key = (request.headers.get(HEADER) or "").strip()
    if not key:
        return run()
    if len(key) > 255:
        raise ApiError(
            400, "IDEMPOTENCE_CLE_INVALIDE", gettext("La clé d'idempotence dépasse 255 caractères.")
        )
    account = request.api_account
    fingerprint = hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()
    IdempotentAnswer.objects.filter(
        account=account, key=key, created_at__lt=timezone.now() - LIFETIME
    ).delete()
    try:
        with transaction.atomic():
            record = IdempotentAnswer.objects.create(
                account=account, key=key, path=request.path, fingerprint=fingerprint
            )
    except IntegrityError:
        record = IdempotentAnswer.objects.get(account=account, key=key)
        if record.fingerprint != fingerprint:
            raise ApiError(
                422,
                "IDEMPOTENCE_CONFLIT",
                gettext(
                    "Cette clé d'idempotence a déjà servi pour une autre requête "
                    "(autre chemin ou autre corps) : utilisez une nouvelle clé."
                ),
            ) from None
        if record.status_code is None:
            raise ApiError(
                409,
                "IDEMPOTENCE_EN_COURS",
                gettext(
                    "Une requête avec cette clé d'idempotence est en cours : "
                    "réessayez dans un instant."
                ),
            ) from None
        return Response(
            record.body, status=record.status_code, headers={"Idempotent-Replayed": "true"}
        )
    try:
        response = run()
    except BaseException:
        record.delete()
        raise
    if response.status_code >= 500:
        record.delete()
    else:
        record.status_code = response.status_code
        record.body = response.data
        record.save(update_fields=["status_code", "body"])
    return response
