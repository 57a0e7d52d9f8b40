"""The password policy of MISSION §2, enforced server-side for every password."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

MIN_LENGTH = 12
MIN_KINDS = 3


def password_kinds(password: str) -> dict[str, bool]:
    """Which of the four kinds of character the password holds.

    Accented letters count as special characters, as on the reference service.
    """
    return {
        "upper": any(c in string.ascii_uppercase for c in password),
        "lower": any(c in string.ascii_lowercase for c in password),
        "digit": any(c in string.digits for c in password),
        "special": any(not (c.isascii() and c.isalnum()) for c in password),
    }


class ComplexityValidator:
    """At least 12 characters and at least 3 of 4 kinds: capitals, lower case, digits, specials."""

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < MIN_LENGTH:
            errors.append(
                ValidationError(
                    gettext("Le mot de passe doit contenir au moins %(min)d caractères."),
                    code="password_too_short",
                    params={"min": MIN_LENGTH},
                )
            )
        if sum(password_kinds(password).values()) < MIN_KINDS:
            errors.append(
                ValidationError(
                    gettext(
                        "Le mot de passe doit mélanger au moins 3 des 4 types de "
                        "caractères : majuscules, minuscules, chiffres et caractères "
                        "spéciais (ponctuation, accents…)."
                    ),
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return gettext(
            "Au moins 12 caractères, dont au moins 3 des 4 types suivants : majuscules, "
            "minuscules, chiffres, caractères spéciais (ponctuation, accents…)."
        )
