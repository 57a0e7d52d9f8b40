from django import template

from chorale.lifecycle.statuses import REFORM_LABELS, Status

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    """An invoice status in words (« Mise à disposition »)."""
    return Status(code).label if code in Status.values else code


@register.filter
def reform_label(code: int | None) -> str:
    return f"{code} — {REFORM_LABELS[code]}" if code in REFORM_LABELS else ""
