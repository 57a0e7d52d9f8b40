import pytest
from django.urls import reverse

from chorale.accounts.models import User
from conftest import PASSWORD, SECRET_ANSWER, link_in, path_of

NEW_PASSWORD = "Encore-Plus-Sûr-2027"


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def profile(**changes):
    data = {
        "contact_email": "",
        "last_name": "Martin",
        "first_name": "Jeanne",
        "address": "",
        "address_complement_1": "",
        "address_complement_2": "",
        "postal_code": "",
        "city": "",
        "country": "FR",
        "phone": "",
        "fax": "",
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_my_account_edits_personal_information_and_contact_address(signed_in, user):
    response = signed_in.post(
        reverse("accounts:my_account"),
        profile(contact_email="jeanne.contact@example.test", city="Nantes", country="BE"),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.city == "Nantes"
    assert user.country.code == "BE"
    assert user.notification_email == "jeanne.contact@example.test"
    assert user.email == "jeanne@example.test"  # the login address is not editable here


@pytest.mark.django_db
def test_mails_follow_the_contact_address(signed_in, user, client, mailoutbox):
    signed_in.post(reverse("accounts:my_account"), profile(contact_email="c@example.test"))
    client.logout()
    client.post(
        reverse("accounts:password_forgot"),
        {"email": user.email, "captcha_0": "unused-key", "captcha_1": "PASSED"},
    )
    assert mailoutbox[-1].to == ["c@example.test"]


@pytest.mark.django_db
def test_change_password_requires_the_current_one(signed_in, user):
    url = reverse("accounts:change_password")
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    refused = signed_in.post(url, {"old_password": "Pas-Le-Bon-123", **data})
    assert "old_password" in refused.context["form"].errors
    accepted = signed_in.post(url, {"old_password": PASSWORD, **data})
    assert accepted.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The session survives the change.
    assert signed_in.get(reverse("accounts:my_account")).status_code == 200


@pytest.mark.django_db
def test_changed_password_follows_the_policy(signed_in):
    response = signed_in.post(
        reverse("accounts:change_password"),
        {"old_password": PASSWORD, "new_password1": "faible", "new_password2": "faible"},
    )
    assert "new_password2" in response.context["form"].errors


@pytest.mark.django_db
def test_change_secret_question_requires_the_password_and_is_used_for_resets(
    signed_in, user, client, mailoutbox
):
    url = reverse("accounts:change_secret")
    data = {"secret_question": "birth_city", "secret_answer": "Besançon"}
    refused = signed_in.post(url, {"current_password": "Faux-Mot-De-Passe-1", **data})
    assert "current_password" in refused.context["form"].errors
    assert signed_in.post(url, {"current_password": PASSWORD, **data}).status_code == 302
    client.logout()
    client.post(
        reverse("accounts:password_forgot"),
        {"email": user.email, "captcha_0": "unused-key", "captcha_1": "PASSED"},
    )
    path = path_of(link_in(mailoutbox[-1]))
    form = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(path, {"secret_answer": SECRET_ANSWER, **form}).status_code == 200
    assert client.post(path, {"secret_answer": "besancon", **form}).status_code == 302
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
