import pytest
from django.urls import reverse

from conftest import PASSWORD, make_user

LOGIN = "accounts:login"


def sign_in(client, email="jeanne@example.test", password=PASSWORD):
    return client.post(reverse(LOGIN), {"username": email, "password": password})


@pytest.mark.django_db
def test_sign_in_with_email_and_password_lands_on_connected_home(client, user):
    response = sign_in(client, email="JEANNE@example.test")
    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")


@pytest.mark.django_db
def test_wrong_password_and_unknown_address_get_the_same_answer(client, user):
    wrong = sign_in(client, password="Pas-Le-Bon-1234")
    unknown = sign_in(client, email="personne@example.test")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors
    assert "incorrect" in wrong.content.decode()


@pytest.mark.django_db
def test_inactive_account_cannot_sign_in_and_is_not_revealed(client):
    pending = make_user("pending@example.test", active=False)
    pending.set_password(PASSWORD)
    pending.save()
    response = sign_in(client, email="pending@example.test")
    unknown = sign_in(client, email="personne@example.test")
    assert response.status_code == 200
    assert response.context["form"].errors == unknown.context["form"].errors


@pytest.mark.django_db
def test_account_is_locked_after_five_failures_with_a_french_message(client, user):
    for _ in range(4):
        assert sign_in(client, password="Mauvais-Essai-1").status_code == 200
    locked = sign_in(client, password="Mauvais-Essai-1")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Connexion temporairement bloquée" in page
    assert "pendant 15 minutes." in page and "PT15M" not in page
    # Even the right password is refused while the account is locked.
    assert sign_in(client).status_code == 429


@pytest.mark.django_db
def test_lock_out_of_one_account_does_not_lock_another(client, user):
    make_user("other@example.test")
    for _ in range(5):
        sign_in(client, password="Mauvais-Essai-1")
    assert sign_in(client, email="other@example.test").status_code == 302


@pytest.mark.django_db
def test_sign_out_needs_a_post_and_ends_the_session(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("portal:home")
    assert client.get(reverse("portal:dashboard")).status_code == 302


@pytest.mark.django_db
def test_sign_in_form_refuses_posts_without_csrf_token(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse(LOGIN), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 403


@pytest.mark.django_db
def test_connected_pages_redirect_anonymous_visitors_to_sign_in(client):
    for name in ["portal:dashboard", "accounts:my_account", "accounts:change_password"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse(LOGIN))
