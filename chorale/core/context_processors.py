from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

_SITE = SimpleNamespace(
    site_title=settings.CHORALE_SITE_TITLE,
    site_tagline=gettext_lazy("Plateforme d'échange de factures électroniques"),
    header_brand_html="République<br>Française",
    footer_description=gettext_lazy(
        "Chorale est une plateforme libre d'échange de factures électroniques entre "
        "fournisseurs et structures publiques."
    ),
    mourning=False,
    notice_title="",
    notice_description="",
    beta_tag=False,
)


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: site identity and whether the State branding is shown."""
    return {"SITE_CONFIG": _SITE, "STATE_BRANDING": settings.CHORALE_STATE_BRANDING}
