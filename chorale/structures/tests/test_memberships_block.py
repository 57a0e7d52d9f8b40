"""Mon Compte's main page shows « Mes rattachements aux structures » with « Demander un
rattachement », as the reference service does, and only the user's own."""

from django.urls import reverse

from conftest import make_structure, make_user


def test_my_account_shows_my_rattachements_and_the_way_to_ask_for_one(client, db):
    me = make_user("moi@example.test")
    mine = make_structure(me, identifier="98765432400019", company_name="ATELIER DUPONT")
    make_structure(
        make_user("autre@example.test"), identifier="11122233300013", company_name="AUTRE SOCIETE"
    )
    client.force_login(me)
    page = client.get(reverse("accounts:my_account")).text
    assert "Mes rattachements aux structures" in page and "ATELIER DUPONT" in page
    assert "AUTRE SOCIETE" not in page
    assert f'href="{reverse("structures:detail", args=[mine.pk])}"' in page
    assert f'href="{reverse("directory:attachment_search")}"' in page
    assert "Demander un rattachement" in page


def test_without_rattachement_the_block_says_so(client, db):
    client.force_login(make_user("seul@example.test"))
    page = client.get(reverse("accounts:my_account")).text
    assert "Vous n'êtes rattaché à aucune structure." in page.replace("&#x27;", "'")
