from .models import Space
from .selectors import user_space_codes


def spaces(request):
    """The espaces opened to the signed-in user, for the menu (one query a page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_spaces": user_space_codes(user), "SPACE": Space}
