import pytest
from django.urls import reverse

from chorale.accounts.models import User
from chorale.portal.models import News
from conftest import make_user


@pytest.fixture
def operator(db) -> User:
    return make_user("operateur@example.test", is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_operator_publishes_news_in_the_french_admin_and_it_shows_on_both_homes(
    client, operator, user
):
    client.force_login(operator)
    form = client.get(reverse("admin:portal_news_add")).content.decode()
    assert "Ajout de actualité" in form or "Ajouter actualité" in form
    response = client.post(
        reverse("admin:portal_news_add"),
        {
            "title": "Maintenance samedi",
            "published_on": "01/01/2026",
            "body": "La plateforme sera indisponible.",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert News.objects.get().title == "Maintenance samedi"
    client.logout()
    assert "Maintenance samedi" in client.get(reverse("portal:home")).content.decode()
    client.force_login(user)
    assert "Maintenance samedi" in client.get(reverse("portal:dashboard")).content.decode()


@pytest.mark.django_db
def test_plain_users_cannot_enter_the_admin(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:portal_news_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.django_db
def test_operator_can_create_a_user_in_the_admin(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "cree@example.test",
            "last_name": "Créé",
            "first_name": "Par l'admin",
            "usable_password": "false",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.filter(email="cree@example.test").exists()
