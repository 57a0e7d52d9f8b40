import time

import pytest
import time_machine
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from chorale.accounts.models import User
from chorale.accounts.tokens import Purpose, token_make
from conftest import REGISTRATION, link_in, path_of

NEW_PASSWORD = "Un-Mot-De-Passe-Sûr-2026"


def activation_path(client, mailoutbox) -> str:
    client.post(reverse("accounts:register"), REGISTRATION)
    return path_of(link_in(mailoutbox[-1]))


def activation_data(**changes):
    return {
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "secret_question": "first_school",
        "secret_answer": "École Jules-Ferry",
        **changes,
    }


@pytest.mark.django_db
def test_activation_page_shows_password_meter_and_secret_question(client, mailoutbox):
    html = client.get(activation_path(client, mailoutbox)).content.decode()
    assert "Activation du compte utilisateur" in html
    assert "Complexité du mot de passe" in html
    assert "Question secrète" in html
    assert ">Valider<" in html


@pytest.mark.django_db
def test_activation_sets_password_and_secret_signs_in_and_lands_on_connected_home(
    client, mailoutbox
):
    response = client.post(activation_path(client, mailoutbox), activation_data(), follow=True)
    user = User.objects.get()
    assert user.is_active and user.activated_at
    assert user.check_password(NEW_PASSWORD)
    assert identify_hasher(user.password).algorithm == "argon2"
    assert response.wsgi_request.user == user
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    html = response.content.decode()
    assert "Aucun fil d&#x27;événements trouvé." in html or "Aucun fil d'événements trouvé." in html


@pytest.mark.django_db
def test_secret_answer_is_stored_hashed_never_in_clear(client, mailoutbox):
    client.post(activation_path(client, mailoutbox), activation_data())
    user = User.objects.get()
    assert "Ferry" not in user.secret_answer.lower()
    assert identify_hasher(user.secret_answer).algorithm == "argon2"


@pytest.mark.django_db
def test_activation_link_works_only_once(client, mailoutbox):
    path = activation_path(client, mailoutbox)
    client.post(path, activation_data())
    client.logout()
    again = client.get(path)
    assert again.status_code == 400
    assert "pas valide" in again.content.decode()


@pytest.mark.django_db
def test_activation_link_expires_after_48_hours(client, mailoutbox):
    path = activation_path(client, mailoutbox)
    now = time.time()
    with time_machine.travel(now + 47 * 3600):
        assert client.get(path).status_code == 200
    with time_machine.travel(now + 48 * 3600 + 5):
        response = client.get(path)
    assert response.status_code == 400
    assert "expiré" in response.content.decode()


@pytest.mark.django_db
def test_tampered_activation_link_is_refused(client, mailoutbox):
    path = activation_path(client, mailoutbox)
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.get(reverse("accounts:activate", args=[forged])).status_code == 400
    assert client.get(reverse("accounts:activate", args=["nimportequoi"])).status_code == 400
    assert not User.objects.get().is_active


@pytest.mark.django_db
def test_token_of_one_purpose_does_not_open_the_other(client, mailoutbox):
    activation_path(client, mailoutbox)
    token = token_make(User.objects.get(), Purpose.PASSWORD_RESET)
    assert client.get(reverse("accounts:activate", args=[token])).status_code == 400


@pytest.mark.django_db
def test_weak_password_is_refused_server_side(client, mailoutbox):
    path = activation_path(client, mailoutbox)
    response = client.post(path, activation_data(password1="court", password2="court"))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password2"])
    assert "12 caractères" in errors
    assert not User.objects.get().is_active


@pytest.mark.django_db
def test_password_confirmation_must_match(client, mailoutbox):
    path = activation_path(client, mailoutbox)
    response = client.post(path, activation_data(password2=NEW_PASSWORD + "x"))
    assert "ne sont pas identiques" in " ".join(response.context["form"].errors["password2"])


@pytest.mark.django_db
def test_secret_question_is_required(client, mailoutbox):
    path = activation_path(client, mailoutbox)
    response = client.post(path, activation_data(secret_question="", secret_answer=""))
    assert set(response.context["form"].errors) == {"secret_question", "secret_answer"}
