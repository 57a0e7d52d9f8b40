"""English for foreign suppliers: the catalogue translates every string the code marks, each
page reads in English without a French word left, the header switches the language, e-mails go
in the recipient's language and API messages in the language of `codeLangue`."""

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import polib
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from conftest import make_invoice, make_structure, make_user, missing_tool

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_the_english_catalogue_translates_every_marked_string(tmp_path):
    """What `make messages` would extract today is all in the catalogue, translated."""
    if not shutil.which("xgettext"):
        missing_tool("the catalogue check needs GNU gettext (apt-get install gettext)")
    for name in ("manage.py", "config", "chorale"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                tmp_path / name,
                ignore=shutil.ignore_patterns("tests", "migrations", "__pycache__", "*.xsl*"),
            )
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    ignore = ["--ignore=.venv*", "--ignore=var/*", "--ignore=*/tests/*"]
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-e", "html,txt,py", *ignore],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    extracted = polib.pofile(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    catalogue = {e.msgid: e for e in polib.pofile(str(CATALOGUE))}
    missing = sorted(e.msgid for e in extracted if e.msgid not in catalogue)
    assert missing == [], f"not in locale/en (run make messages, then translate): {missing}"
    untranslated = [
        e.msgid
        for e in catalogue.values()
        if "fuzzy" in e.flags or not (e.msgstr or all(e.msgstr_plural.values()))
    ]
    assert untranslated == [], f"untranslated in locale/en: {untranslated}"


def test_placeholders_are_kept_in_every_translation():
    for entry in polib.pofile(str(CATALOGUE)):
        wanted = set(re.findall(r"%\(\w+\)[sd]|\{\w+\}", entry.msgid))
        found = set(re.findall(r"%\(\w+\)[sd]|\{\w+\}", entry.msgstr or entry.msgstr_plural[1]))
        assert found <= wanted, entry.msgid
        # A translation may leave out a French agreement (« jugé%(n)s »), never a value.
        assert {
            p for p in wanted - found if not p.endswith("2)s") and not p.endswith("3)s")
        } == set(), entry.msgid


FRENCH = re.compile(
    r"\b(le|la|les|des|du|une|est|pour|avec|vos|votre|aucun|aucune|facture|factures|"
    r"structure publique|rattachement|sollicitation|déposer|compte rendu|mot de passe)\b"
    r"|[éèêàùç]"
)


def visible_words(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<button[^>]*\blang="fr".*?</button>', " ", html, flags=re.S)  # « Français »
    html = re.sub(r"<button[^>]*fr-translate__btn.*?</button>", " ", html, flags=re.S)
    html = re.sub(r"<(option)\b[^>]*>.*?</option>", " ", html, flags=re.S)  # countries…
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def french_in(words: str) -> list[str]:
    """The French left on a page, each with a little of its context."""
    return [words[max(0, m.start() - 40) : m.end() + 40] for m in FRENCH.finditer(words)]


@pytest.fixture
def english_supplier(client, db):
    user = make_user("supplier@example.test", first_name="John", last_name="Smith")
    user.language = "en"
    user.save()
    supplier = make_structure(user, identifier="98765432400019", company_name="ACME LTD")
    buyer = make_structure(
        make_user("buyer@example.test"),
        identifier="21990123800010",
        company_name="TOWN OF RIVERSIDE",
        is_private=False,
    )
    invoice = make_invoice(supplier, buyer, number="INV-1")
    client.force_login(user)
    client.invoice = invoice
    return client


PAGES = [
    ("portal:dashboard", []),
    ("accounts:my_account", []),
    ("accounts:change_password", []),
    ("accounts:notifications", []),
    ("structures:memberships", []),
    ("flows:deposit", []),
    ("flows:flows", []),
    ("portal:invoices_sent", []),
    ("directory:public_search", []),
    ("directory:structure_create", []),
    ("directory:attachment_search", []),
    ("support:sent", []),
    ("support:new", []),
    ("structures:manager_home", []),  # the structure's management page
    ("structures:space_add", []),
    ("flows:entry", []),
    ("flows:deposit_pdf", []),
    ("portal:structure_dashboard", []),
    ("portal:events", []),
    ("portal:help", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_each_page_reads_in_english(english_supplier, name, args):
    page = english_supplier.get(reverse(name, args=args), follow=True)
    assert page.status_code in (200, 403), name
    assert '<html lang="en"' in page.text
    words = visible_words(page.text)
    french = [m.group(0) for m in FRENCH.finditer(words)]
    assert french == [], (
        name,
        [words[max(0, m.start() - 60) : m.end() + 60] for m in FRENCH.finditer(words)][:5],
    )


def test_an_invoice_page_reads_in_english(english_supplier):
    page = english_supplier.get(reverse("portal:invoice_sent", args=[english_supplier.invoice.pk]))
    words = visible_words(page.text)
    assert "Invoice data" in words and "Amount due" in words
    assert french_in(words) == []


@pytest.mark.parametrize(
    "name", ["accounts:login", "accounts:register", "accounts:password_forgot"]
)
def test_visitors_read_english_after_the_switch(client, db, name):
    switched = client.post(reverse("accounts:language"), {"language": "en", "next": reverse(name)})
    assert switched.status_code == 302 and switched["Location"] == reverse(name)
    page = client.get(reverse(name))
    assert '<html lang="en"' in page.text
    words = visible_words(page.text)
    assert french_in(words) == []


def test_the_switch_keeps_the_users_choice_and_refuses_foreign_addresses(client, db):
    user = make_user("someone@example.test")
    client.force_login(user)
    away = client.post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert away["Location"] == "/"
    user.refresh_from_db()
    assert user.language == "en"
    assert '<html lang="en"' in client.get(reverse("portal:dashboard")).text
    client.post(reverse("accounts:language"), {"language": "xx"})
    user.refresh_from_db()
    assert user.language == "en"  # an unknown language changes nothing
    client.post(reverse("accounts:language"), {"language": "fr"})
    assert '<html lang="fr"' in client.get(reverse("portal:dashboard")).text


def test_e_mails_go_in_the_recipients_language(db, django_capture_on_commit_callbacks):
    from chorale.core.mail import email_notice

    english, french = make_user("en@example.test"), make_user("fr@example.test")
    english.language = "en"
    english.save()
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        email_notice(english, subject="Test", message="m")
        email_notice(french, subject="Test", message="m")
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Hello" in bodies["en@example.test"] and "automatic message" in bodies["en@example.test"]
    assert "Bonjour" in bodies["fr@example.test"]


def test_the_edi_connections_page_reads_in_english(english_supplier):
    structure = english_supplier.invoice.supplier
    page = english_supplier.get(reverse("edi:connections", args=[structure.pk]))
    words = visible_words(page.text)
    assert "Declare an EDI connection" in words
    assert french_in(words) == []
