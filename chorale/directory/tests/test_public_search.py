import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chorale.structures.models import Service, Structure

NOW = timezone.now()


@pytest.fixture
def structures(db):
    commune = Structure.objects.create(
        identifier="21990123800010",
        company_name="Commune de Belle-Rivière",
        is_private=False,
        validated_at=NOW,
        requires_service_code=True,
        postal_code="99100",
        city="Belle-Rivière",
    )
    Structure.objects.create(
        identifier="98765432400019",
        company_name="Atelier Belle Forge",
        is_private=True,
        validated_at=NOW,
        postal_code="99100",
        city="Belle-Rivière",
    )
    Structure.objects.create(
        identifier="73282932000074",
        company_name="Commune fermée de Belle-Île",
        is_private=False,
        is_active=False,
        validated_at=NOW,
    )
    Structure.objects.create(
        identifier="19810012500014", company_name="Belle école en brouillon", is_private=False
    )
    return commune


def search(client, **criteria):
    return client.get(reverse("directory:public_search"), criteria)


@pytest.mark.parametrize(
    "criteria",
    [
        {"name": "commune de belle-riviere"},
        {"name": "COMMUNE DE BÉ"},
        {"name": "belle"},
        {"name": "rivi"},
        {"name": "Rivière belle"},
        {"name": "  de  BELLE--riv  "},
        {"postal_code": "991"},
        {"city": "rivière"},
        {"siret": "219 901 238 00010"},
    ],
)
def test_public_structures_are_found_by_name_siret_postal_code_or_city(
    client, structures, criteria
):
    response = search(client, **criteria)
    assert list(response.context["page"].object_list) == [structures]


def test_the_name_search_ranks_the_closest_names_first(client, structures):
    def make(identifier, name):
        Structure.objects.create(
            identifier=identifier, company_name=name, is_private=False, validated_at=NOW
        )

    make("20000000100010", "Syndicat des eaux de la vallée de Belle-Rivière")
    make("20000000200018", "Belle-Rivière Habitat")
    make("20000000300016", "Office de tourisme Belle Rivière")
    make("20000000400014", "Ecole Bellerive")  # « belle » starts BELLERIVE: found, ranked last
    make("20000000500011", "Rivage de l'Ouest")  # RIVIERE is not a word of it: not found
    found = [s.company_name for s in search(client, name="belle rivière").context["page"]]
    assert found == [
        "Belle-Rivière Habitat",  # starts with the words asked
        "Commune de Belle-Rivière",  # holds them as written, shortest first
        "Office de tourisme Belle Rivière",
        "Syndicat des eaux de la vallée de Belle-Rivière",
    ]
    assert [s.company_name for s in search(client, name="belle").context["page"]][-1] == (
        "Ecole Bellerive"
    )
    # A structure renamed is found by its new name only (the index follows the name).
    commune = structures
    commune.company_name = "Ville de Clairefontaine"
    commune.save()
    assert list(search(client, name="clairefont").context["page"]) == [commune]
    assert commune not in list(search(client, name="rivière").context["page"])


@pytest.mark.parametrize("name", ['belle" OR *', "belle:* | !x", "NEAR(a b)", "é'è", "de la"])
def test_query_syntax_in_a_name_is_only_words(client, structures, name):
    response = search(client, name=name)
    assert response.status_code == 200


def test_private_inactive_and_draft_structures_are_never_listed(client, structures):
    text = search(client, city="belle").content.decode()
    assert "Atelier" not in text
    assert "fermée" not in text
    assert "brouillon" not in text


def test_detail_shows_the_services_open_today_and_the_required_references(client, structures):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Service.objects.create(
        structure=structures, code="VOIRIE", label="Voirie", requires_engagement=True
    )
    Service.objects.create(
        structure=structures, code="ANCIEN", label="Fermé", valid_until=yesterday
    )
    Service.objects.create(structure=structures, code="INACTIF", label="Inactif", is_active=False)
    text = client.get(reverse("directory:public_detail", args=[structures.pk])).content.decode()
    assert "VOIRIE" in text and "Obligatoire" in text
    assert "ANCIEN" not in text and "INACTIF" not in text
    assert "Code service : obligatoire" in text


def test_detail_of_a_private_structure_is_not_found(client, structures):
    private = Structure.objects.get(is_private=True)
    assert client.get(reverse("directory:public_detail", args=[private.pk])).status_code == 404
    public = client.get(reverse("directory:public_detail", args=[structures.pk]))
    assert "Commune de Belle-Rivière" in public.content.decode()


def test_malformed_siret_gets_a_french_error(client, structures):
    response = search(client, siret="12AB")
    assert "14 chiffres" in response.content.decode()
    assert response.context["page"] is None


def test_no_match_says_so(client, structures):
    assert "Aucune structure publique" in search(client, name="zzz").content.decode()
