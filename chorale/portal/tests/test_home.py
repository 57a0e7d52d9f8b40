import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from chorale.portal.models import News


def page(client, name="portal:home") -> str:
    return html.unescape(client.get(reverse(name)).content.decode())


def add_news(title, days_ago=0, published=True):
    return News.objects.create(
        title=title,
        body=f"Texte de {title}",
        published_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        is_published=published,
    )


@pytest.mark.django_db
def test_public_home_has_the_four_blocks(client):
    text = page(client)
    for block in [
        "Vous avez déjà un compte ?",
        "Actualités",
        "Vous êtes nouveau ?",
        "Créer votre compte",
        "Rechercher une structure publique",
    ]:
        assert block in text, block
    for label in ["Adresse électronique de connexion", "Mot de passe", "Se connecter"]:
        assert label in text
    assert "Mot de passe oublié ?" in text


@pytest.mark.django_db
def test_header_offers_online_help_and_the_help_box(client):
    text = page(client)
    assert "Aide en ligne" in text
    assert "Besoin d'aide ?" in text
    assert client.get(reverse("portal:help")).status_code == 200


@pytest.mark.django_db
def test_news_are_shown_newest_first_and_only_when_published(client):
    add_news("Ancienne", days_ago=10)
    add_news("Récente", days_ago=1)
    add_news("Brouillon", published=False)
    add_news("Programmée", days_ago=-3)
    text = page(client)
    assert text.index("Récente") < text.index("Ancienne")
    assert "Brouillon" not in text
    assert "Programmée" not in text


@pytest.mark.django_db
def test_connected_home_has_its_blocks_and_empty_states(client, user):
    add_news("Pour tous")
    client.force_login(user)
    text = page(client, "portal:dashboard")
    for block in [
        "Fil d'événements",
        "Aucun fil d'événements trouvé.",
        "Actualités",
        "Pour tous",
        "Mes espaces",
        "Ajouter un espace",
        "Rechercher une structure publique",
        "Accueil connecté",
        "Mon Compte",
        "Déconnexion",
        "Jeanne Martin",
    ]:
        assert block in text, block


@pytest.mark.django_db
def test_signed_in_visitor_of_the_public_home_is_sent_to_the_connected_home(client, user):
    client.force_login(user)
    assert client.get(reverse("portal:home")).url == reverse("portal:dashboard")


@pytest.mark.django_db
def test_state_branding_is_off_by_default_and_on_by_setting(client, settings):
    assert "République<br>Française" not in page(client)
    settings.CHORALE_STATE_BRANDING = True
    assert "République<br>Française" in page(client)


@pytest.mark.django_db
def test_add_space_page_explains_what_is_needed(client, user):
    client.force_login(user)
    assert "rattaché" in page(client, "structures:space_add")


@pytest.mark.django_db
def test_connected_home_shows_my_events_and_spaces_not_others(client, user):
    from chorale.core.feed import event_record
    from conftest import make_structure, make_user

    other = make_user("other@example.test")
    event_record(kind="test", message="Pour Jeanne", recipients=[user], link="/accueil/")
    event_record(kind="test", message="Pour un autre", recipients=[other])
    make_structure(user, company_name="ATELIER JEANNE")
    client.force_login(user)
    text = page(client, "portal:dashboard")
    assert "Pour Jeanne" in text and "Pour un autre" not in text
    assert "Aucun fil d'événements trouvé." not in text
    assert "Factures émises</a> — ATELIER JEANNE" in text
