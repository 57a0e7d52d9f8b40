import html as html_lib
import re

import pytest
from captcha.conf import settings as captcha_settings
from django.urls import reverse

from chorale.accounts.models import User
from conftest import REGISTRATION, make_user

SEED_LABELS = [
    "Adresse électronique de connexion",
    "Adresse électronique de contact",
    "Nom",
    "Prénom",
    "Adresse",
    "Complément adresse 1",
    "Complément adresse 2",
    "Code postal",
    "Ville",
    "Pays",
    "Téléphone",
    "Fax",
    "Entrez les caractères générés par l'image",
]


def register(client, **changes):
    return client.post(reverse("accounts:register"), {**REGISTRATION, **changes})


@pytest.mark.django_db
def test_registration_form_has_every_seed_field_with_its_own_label(client):
    html = client.get(reverse("accounts:register")).content.decode()
    labels = {}
    for target, text in re.findall(
        r'<label for="([^"]+)"[^>]*>\s*([^<]+?)\s*(?:<|\(Optionnel\))', html
    ):
        labels[html_lib.unescape(text.strip())] = target
    for label in SEED_LABELS:
        assert label in labels, f"no <label> « {label} »"
        assert f'id="{labels[label]}"' in html, f"label « {label} » points to no input"
    assert "Finaliser l&#x27;inscription" in html or "Finaliser l'inscription" in html
    assert ">Annuler<" in html
    assert '<img src="/captcha/image/' in html


@pytest.mark.django_db
def test_registration_creates_an_inactive_account_and_mails_its_activation_link(client, mailoutbox):
    response = register(client)
    assert response.status_code == 302
    assert response.url == reverse("accounts:register_done")
    user = User.objects.get(email="nouvelle.utilisatrice@example.test")
    assert not user.is_active
    assert not user.has_usable_password()
    assert (user.last_name, user.first_name, user.city) == ("Durand", "Alice", "Paris")
    [message] = mailoutbox
    assert message.to == ["nouvelle.utilisatrice@example.test"]
    assert message.from_email == "Chorale <ne-pas-repondre@localhost>"
    assert "/compte/activation/" in message.body
    assert "48 heures" in message.body


@pytest.mark.django_db
def test_activation_mail_goes_to_the_contact_address_when_given(client, mailoutbox):
    register(client, contact_email="contact@example.test")
    assert mailoutbox[0].to == ["contact@example.test"]


@pytest.mark.django_db
def test_sender_uses_the_configured_domain(client, mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "Chorale <ne-pas-repondre@chorale.example.org>"
    register(client)
    assert mailoutbox[0].from_email.endswith("<ne-pas-repondre@chorale.example.org>")


@pytest.mark.django_db
def test_wrong_captcha_is_refused_with_a_french_message(client, mailoutbox, monkeypatch):
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    response = register(client, captcha_1="WRONG")
    assert response.status_code == 200
    assert (
        "CAPTCHA invalide" in response.content.decode() or "invalide" in response.content.decode()
    )
    assert not User.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_missing_required_fields_are_reported_field_by_field(client):
    response = register(client, last_name="", email="not-an-email")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"last_name", "email"}
    assert not User.objects.exists()


@pytest.mark.django_db
def test_phone_number_with_letters_is_refused(client):
    response = register(client, phone="appelez-moi")
    assert "phone" in response.context["form"].errors


@pytest.mark.django_db
def test_registering_an_existing_active_address_looks_the_same_and_sends_a_notice(
    client, mailoutbox
):
    make_user("nouvelle.utilisatrice@example.test")
    fresh = register(client, email="autre@example.test")
    taken = register(client)
    assert taken.status_code == fresh.status_code == 302
    assert taken.url == fresh.url
    assert User.objects.filter(email="nouvelle.utilisatrice@example.test").count() == 1
    notice = mailoutbox[-1]
    assert notice.to == ["nouvelle.utilisatrice@example.test"]
    assert "/compte/activation/" not in notice.body
    assert "Mot de passe oublié" in notice.body


@pytest.mark.django_db
def test_registering_a_pending_address_again_sends_a_new_link_without_duplicating(
    client, mailoutbox
):
    register(client)
    register(client, email="NOUVELLE.utilisatrice@example.test")
    assert User.objects.count() == 1
    assert len(mailoutbox) == 2
    assert all("/compte/activation/" in m.body for m in mailoutbox)


@pytest.mark.django_db
def test_login_addresses_are_unique_whatever_their_case():
    from django.db import IntegrityError

    make_user("Jeanne@Example.test")
    with pytest.raises(IntegrityError):
        User.objects.create(email="JEANNE@example.TEST", last_name="X", first_name="Y")


@pytest.mark.django_db
def test_activation_link_is_logged_when_mail_is_written_to_files(client, settings, caplog):
    settings.CHORALE_LOG_EMAIL_LINKS = True
    with caplog.at_level("INFO", logger="chorale"):
        register(client)
    assert any("/compte/activation/" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["address", "postal_code", "city"])
def test_the_address_postal_code_and_city_are_required_as_the_seed_marks_them(client, field):
    page = client.get(reverse("accounts:register")).text
    assert re.search(rf'name="{field}"[^>]*required', page), field
    response = register(client, **{field: ""})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_french_postal_code_has_five_digits(client):
    response = register(client, postal_code="7500")
    assert "Un code postal français a 5 chiffres." in response.context["form"].errors["postal_code"]
    assert register(client, postal_code="8001", country="BE").status_code == 302


@pytest.mark.django_db
def test_the_captcha_can_be_refreshed_and_heard(client, settings):
    import shutil

    from conftest import missing_tool

    if not shutil.which("flite"):
        missing_tool("the captcha's sound needs Debian's flite (apt-get install flite)")
    settings.CAPTCHA_FLITE_PATH = shutil.which("flite")
    page = client.get(reverse("accounts:register")).text
    assert "data-captcha-refresh" in page and 'data-captcha="/captcha/refresh/"' in page
    audio = re.search(r'<audio controls preload="none" src="([^"]+)"', page).group(1)
    sound = client.get(audio)
    assert sound.status_code == 200 and b"".join(sound.streaming_content)[:4] == b"RIFF"
    fresh = client.get("/captcha/refresh/", headers={"x-requested-with": "XMLHttpRequest"}).json()
    assert fresh["key"] not in page and fresh["audio_url"].endswith(".wav")
