"""django-axes hooks: failed sign-ins are counted per login address, whatever its case."""

from .models import User


def lockout_username(request, credentials) -> str | None:
    raw = (credentials or {}).get("username") or request.POST.get("username")
    return User.objects.normalize_login(raw) if raw else None
