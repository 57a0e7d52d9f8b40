import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from chorale.accounts.validators import ComplexityValidator, password_kinds


def codes(password: str) -> set[str]:
    try:
        ComplexityValidator().validate(password)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_password_shorter_than_12_characters_is_refused():
    assert "password_too_short" in codes("Abc-12345#x")


def test_password_of_12_characters_with_3_kinds_is_accepted():
    assert codes("abcdefgh12-x") == set()


def test_password_with_only_2_kinds_is_refused():
    assert codes("abcdefghijkl123") == {"password_too_simple"}
    assert codes("ABCDEFGHIJKLmnop") == {"password_too_simple"}


def test_accented_letters_count_as_special_characters():
    assert password_kinds("é")["special"]
    assert not password_kinds("é")["lower"]
    assert codes("éléphantrose42") == set()


def test_punctuation_and_spaces_count_as_special_characters():
    assert password_kinds("a b")["special"]
    assert codes("motdepasse ok 7") == set()


def test_too_short_and_too_simple_reports_both_problems():
    assert codes("abc") == {"password_too_short", "password_too_simple"}


@pytest.mark.django_db
def test_policy_is_enforced_by_django_password_validation():
    with pytest.raises(ValidationError):
        validate_password("simple")
    validate_password("Tr3s-Bien-Choisi")


@pytest.mark.django_db
def test_common_passwords_are_refused_even_when_complex_enough():
    with pytest.raises(ValidationError):
        validate_password("Password1234")
