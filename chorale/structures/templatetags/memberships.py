"""« Mes rattachements aux structures » as a block other pages show (Mon Compte's main page)."""

from django import template

from chorale.structures.selectors import memberships_for_user

register = template.Library()


@register.inclusion_tag("structures/memberships_block.html")
def memberships_block(user, shown: int = 5) -> dict:
    memberships = list(memberships_for_user(user)[: shown + 1])
    return {"memberships": memberships[:shown], "more": len(memberships) > shown}
