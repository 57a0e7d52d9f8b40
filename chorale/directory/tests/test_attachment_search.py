import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chorale.structures.models import AttachmentRequest
from conftest import add_member, make_structure, make_user

SEARCH = "directory:attachment_search"


@pytest.fixture
def directory(db):
    owner = make_user("owner@example.test", last_name="Moreau", first_name="Lucie")
    structures = [
        make_structure(
            owner,
            identifier=f"9876543240{i:04d}",
            company_name=f"BOULANGERIE {i:02d}",
            city="Nantes",
            postal_code="44000",
        )
        for i in range(12)
    ]
    make_structure(
        None,
        identifier="21990123800010",
        company_name="COMMUNE DE BELLE-RIVIERE",
        is_private=False,
        city="Belle-Rivière",
    )
    return structures


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_every_criterion_narrows_the_search(signed_in, directory):
    def count(**criteria):
        return signed_in.get(reverse(SEARCH), criteria).context["page"].paginator.count

    assert count(company_name="boulangerie") == 12
    assert count(kind="public") == 1
    assert count(identifier="98765432400003") == 1
    assert count(identifier_type="SIRET", city="belle") == 1
    assert count(status="inactive", company_name="boulangerie") == 0
    assert count(last_name="moreau") == 12
    assert count(first_name="lucie", postal_code="44") == 12
    assert count(country="FR", company_name="commune") == 1
    assert count(label="rien") == 0


def test_results_are_paged_with_the_chosen_size_and_sorted(signed_in, directory):
    response = signed_in.get(
        reverse(SEARCH), {"company_name": "boul", "taille": 10, "tri": "-raison"}
    )
    page = response.context["page"]
    assert len(page.object_list) == 10 and page.paginator.num_pages == 2
    assert page.object_list[0].company_name == "BOULANGERIE 11"
    following = signed_in.get(reverse(SEARCH) + "?" + following_page(response))
    assert following.context["page"].number == 2
    assert following.context["page"].object_list[0].company_name == "BOULANGERIE 01"


def following_page(response) -> str:
    """The query of the « Page suivante » link, as the page writes it."""
    content = response.content.decode()
    link = content.split("fr-pagination__link--next")[1].split('href="?')[1].split('"')[0]
    return link.replace("&amp;", "&")


def test_export_holds_the_whole_result_not_just_the_page(signed_in, directory):
    query = {"company_name": "boul", "taille": 5}
    csv_response = signed_in.get(reverse("directory:attachment_search_export", args=["csv"]), query)
    assert csv_response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Identifiant", "Type d'identifiant", "Raison sociale"]
    assert len(rows) == 13
    xlsx = signed_in.get(reverse("directory:attachment_search_export", args=["xlsx"]), query)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 13


def test_nothing_found_offers_to_type_a_new_structure(signed_in, directory):
    page = signed_in.get(
        reverse(SEARCH), {"identifier_type": "SIRET", "identifier": "12345678900011"}
    )
    text = page.content.decode()
    assert "Saisir une nouvelle structure" in text
    assert "identifier=12345678900011" in text


def test_request_from_the_result_list(signed_in, user, directory, mailoutbox):
    target = directory[0]
    response = signed_in.post(
        reverse("structures:attachment_request", args=[target.pk]), {"message": "Bonjour"}
    )
    assert response.url == reverse("structures:memberships")
    assert AttachmentRequest.objects.get().user == user
    assert mailoutbox[-1].to == ["owner@example.test"]


def test_my_memberships_table_pages_and_leaves_with_selection(signed_in, user, directory):
    for structure in directory[:7]:
        add_member(structure, user)
    page = signed_in.get(reverse("structures:memberships"))
    assert "5 lignes par page (7 lignes)" in page.content.decode()
    assert len(page.context["page"].object_list) == 5
    assert "taille=5&page=2" in following_page(page)
    chosen = [m.pk for m in user.memberships.all()[:2]]
    signed_in.post(reverse("structures:memberships_leave"), {"selection": chosen})
    assert user.memberships.count() == 5


def test_anonymous_users_cannot_search(client, directory):
    assert client.get(reverse(SEARCH)).status_code == 302
