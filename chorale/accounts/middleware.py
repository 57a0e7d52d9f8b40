"""The signed-in person's own language (Mon Compte, the header's switch) wins over what the
browser asks; others get the language of their cookie or browser (LocaleMiddleware)."""

from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


def keep_chosen_language(sender, request, user, **kwargs) -> None:
    """A language chosen with the header's switch before signing in becomes the person's own."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) if request is not None else None
    if chosen in dict(settings.LANGUAGES) and chosen != user.language:
        user.language = chosen
        user.save(update_fields=["language"])
