from django.urls import reverse

from .models import Space
from .selectors import user_space_codes

# The espaces whose pages live in the portal (named, not imported: the portal sits above).
SPACE_PAGES = {
    Space.INVOICES_SENT: "portal:invoices_sent",
    Space.INVOICES_RECEIVED: "portal:invoices_received",
    Space.INVOICES_TO_VALIDATE: "portal:invoices_to_validate",
    Space.ENGAGEMENTS: "portal:engagements",
    Space.WORKS: "portal:works",
    Space.FLOWS: "flows:flows",
    Space.REQUESTS_SENT: "support:sent",
    Space.REQUESTS_RECEIVED: "support:received",
    Space.MANAGER: "structures:manager_home",
}


def space_url(code: str) -> str:
    return reverse(SPACE_PAGES[code])


def spaces(request):
    """The espaces opened to the signed-in user, for the menu (one query a page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    codes = user_space_codes(user)
    if user.is_staff:  # operators answer the platform's support requests
        codes.add(Space.REQUESTS_RECEIVED)
    links = [
        (code, label, space_url(code))
        for code, label in Space.choices
        if code in codes and code != Space.MANAGER
    ]
    return {"user_spaces": codes, "space_links": links, "SPACE": Space}
