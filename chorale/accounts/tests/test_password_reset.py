import html
import time

import pytest
import time_machine
from django.urls import reverse

from chorale.accounts.models import User
from conftest import PASSWORD, link_in, make_user, path_of

NEW_PASSWORD = "Nouveau-Secret-2026"


CAPTCHA = {"captcha_0": "unused-key", "captcha_1": "PASSED"}


def request_reset(client, email="jeanne@example.test", **meta):
    return client.post(reverse("accounts:password_forgot"), {"email": email, **CAPTCHA}, **meta)


def reset_data(answer="médor", password=NEW_PASSWORD):
    return {"secret_answer": answer, "password1": password, "password2": password}


@pytest.mark.django_db
def test_known_and_unknown_addresses_get_the_same_answer(client, user, mailoutbox):
    known = request_reset(client)
    unknown = request_reset(client, "personne@example.test")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]


@pytest.mark.django_db
def test_pending_account_gets_no_reset_link(client, mailoutbox):
    make_user("pending@example.test", active=False)
    request_reset(client, "pending@example.test")
    assert mailoutbox == []


@pytest.mark.django_db
def test_reset_asks_the_secret_question_then_sets_the_new_password(client, user, mailoutbox):
    request_reset(client)
    path = path_of(link_in(mailoutbox[0]))
    page = client.get(path).content.decode()
    assert "Quel était le nom de votre premier animal de compagnie ?" in html.unescape(page)
    # Case, accents and spaces do not matter in the answer.
    response = client.post(path, reset_data(answer="  MEDOR "))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_reset_link_is_single_use(client, user, mailoutbox):
    request_reset(client)
    path = path_of(link_in(mailoutbox[0]))
    client.post(path, reset_data())
    assert client.get(path).status_code == 400


@pytest.mark.django_db
def test_reset_link_expires_after_one_hour(client, user, mailoutbox):
    request_reset(client)
    path = path_of(link_in(mailoutbox[0]))
    with time_machine.travel(time.time() + 3601):
        assert "expiré" in client.get(path).content.decode()


@pytest.mark.django_db
def test_wrong_secret_answer_keeps_the_old_password(client, user, mailoutbox):
    request_reset(client)
    path = path_of(link_in(mailoutbox[0]))
    response = client.post(path, reset_data(answer="Rex"))
    assert response.status_code == 200
    assert "incorrecte" in " ".join(response.context["form"].errors["secret_answer"])
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert user.secret_answer_failures == 1


@pytest.mark.django_db
def test_link_is_blocked_after_five_wrong_answers(client, user, mailoutbox):
    request_reset(client)
    path = path_of(link_in(mailoutbox[0]))
    for _ in range(4):
        client.post(path, reset_data(answer="Rex"))
    assert client.post(path, reset_data(answer="Rex")).status_code == 403
    assert client.post(path, reset_data()).status_code == 403
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


@pytest.mark.django_db
def test_a_new_link_does_not_reset_the_count_of_wrong_answers(client, user, mailoutbox):
    for attempt in range(5):  # one wrong answer per new link: five links, five answers
        request_reset(client)
        path = path_of(link_in(mailoutbox[-1]))
        client.post(path, reset_data(answer=f"Rex {attempt}"))
    request_reset(client)
    path = path_of(link_in(mailoutbox[-1]))
    locked = client.post(path, reset_data())
    assert locked.status_code == 403 and "Un nouveau lien" in html.unescape(locked.content.decode())
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


@pytest.mark.django_db
def test_the_count_lapses_after_the_lock_time(client, user, mailoutbox, settings):
    from django.utils import timezone

    User.objects.filter(pk=user.pk).update(
        secret_answer_failures=4, secret_answer_failed_at=timezone.now()
    )
    request_reset(client)
    locked = path_of(link_in(mailoutbox[-1]))
    client.post(locked, reset_data(answer="Rex"))  # the fifth wrong answer
    assert client.post(locked, reset_data()).status_code == 403
    with time_machine.travel(time.time() + 25 * 3600):  # the lock lapses after 24 h
        request_reset(client)
        path = path_of(link_in(mailoutbox[-1]))
        assert client.post(path, reset_data()).status_code == 302
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_forgotten_password_needs_the_captcha(client, user, mailoutbox):
    response = client.post(reverse("accounts:password_forgot"), {"email": user.email})
    assert response.status_code == 200 and "captcha" in response.context["form"].errors
    assert mailoutbox == []


@pytest.mark.django_db
def test_forgotten_password_is_rate_limited_per_address_and_per_client(
    client, user, mailoutbox, settings
):
    settings.CHORALE_PASSWORD_RESET_PER_EMAIL = 2
    settings.CHORALE_PASSWORD_RESET_PER_IP = 4
    for _ in range(3):
        assert request_reset(client).status_code == 302  # same answer, no enumeration
    assert len(mailoutbox) == 2  # the third link is not sent
    request_reset(client, "autre@example.test")
    limited = request_reset(client, "encore@example.test")
    assert limited.status_code == 429
    assert "Trop de demandes" in html.unescape(limited.content.decode())
    # Another client is not limited by the first one's requests.
    assert request_reset(client, "autre@example.test", REMOTE_ADDR="192.0.2.9").status_code == 302


@pytest.mark.django_db
def test_new_password_must_follow_the_policy(client, user, mailoutbox):
    request_reset(client)
    path = path_of(link_in(mailoutbox[0]))
    response = client.post(path, reset_data(password="toutpetit"))
    assert "password2" in response.context["form"].errors
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
