import pytest

from chorale.core.identifiers import siren_is_valid, siret_is_valid


@pytest.mark.parametrize("siret", ["21990123800010", "98765432400019", "732 829 320 00074"])
def test_valid_sirets_are_accepted(siret):
    assert siret_is_valid(siret)


@pytest.mark.parametrize(
    "siret", ["21990123800011", "2199012380001", "219901238000100", "2199O123800010", "", None]
)
def test_malformed_or_wrong_checksum_sirets_are_refused(siret):
    assert not siret_is_valid(siret)


@pytest.mark.parametrize(
    "siret",
    [
        "35600000000048",  # head office, Luhn only
        "35600000000345",  # older establishment: Luhn-valid, not a multiple of 5
        "35600000000051",  # newer establishment: digits sum to a multiple of 5, not Luhn
    ],
)
def test_la_poste_sirets_pass_with_luhn_or_the_sum_rule(siret):
    assert siret_is_valid(siret)


def test_la_poste_siret_failing_both_rules_is_refused():
    assert not siret_is_valid("35600000000043")


def test_siren_checksum():
    assert siren_is_valid("219901238")
    assert not siren_is_valid("219901239")
