"""Legal identifiers (SIREN, SIRET), checked with python-stdnum plus INSEE's La Poste rule."""

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.fr import siren, siret

LA_POSTE_SIREN = "356000000"


def siret_is_valid(value: str) -> bool:
    """A SIRET is 14 digits, Luhn-valid, its first nine a valid SIREN.

    La Poste's establishments (SIREN 356000000) carry numbers that are either Luhn-valid
    (the head office and older ones) or whose digits sum to a multiple of 5 (newer ones);
    python-stdnum only knows the latter, so both are accepted here (see sirene.md §5).
    """
    number = siret.compact(value or "")
    if len(number) != 14 or not number.isdigit():
        return False
    if number.startswith(LA_POSTE_SIREN):
        return luhn.is_valid(number) or sum(int(d) for d in number) % 5 == 0
    try:
        siret.validate(number)
    except ValidationError:
        return False
    return True


def siren_is_valid(value: str) -> bool:
    return siren.is_valid(value or "")
