"""The back office in French throughout: every list an operator opens, its columns, filters and
actions; the background tasks in words; agreements right; a country filter that helps."""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from conftest import make_structure, make_user

ENGLISH = re.compile(
    r"\b(Task|Status|Started at|Finished at|Priority|Queue name|Locked Out|User Agent|Supplier|"
    r"Tasks Database Backend|Axes|Enqueued)\b"
)


@pytest.fixture
def operator(client, db):
    client.force_login(make_user("operateur@example.test", is_staff=True, is_superuser=True))
    return client


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_every_back_office_list_is_in_french(operator):
    index = visible_text(operator.get(reverse("admin:index")).text)
    assert "Tâches en arrière-plan" in index and "Sécurité des connexions" in index
    assert not ENGLISH.search(index), ENGLISH.search(index)
    for model in admin.site._registry:
        meta = model._meta
        page = operator.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert page.status_code == 200, meta.label
        found = ENGLISH.search(visible_text(page.text))
        assert found is None, (meta.label, found)
        assert "sélectionnés</option>" not in page.text or meta.label_lower in (
            "accounts.user",
            "auth.group",
            "flows.flow",
            "lifecycle.ecbrate",  # « les taux de la BCE sélectionnés »: a mistaken rate goes
        ), meta.label


def test_bulk_deletion_agrees_with_a_feminine_name(operator):
    make_structure(make_user("fournisseur@example.test"))
    page = operator.get(reverse("admin:structures_structure_changelist")).text
    assert "Supprimer les structures sélectionnées" in page


def test_users_are_filtered_in_or_out_of_france_not_by_250_countries(operator):
    make_user("supplier@example.test")
    abroad = make_user("lieferant@example.test")
    abroad.country = "DE"
    abroad.save()
    page = operator.get(reverse("admin:accounts_user_changelist")).text
    assert "hors de France" in page and "Allemagne" not in page
    outside = operator.get(reverse("admin:accounts_user_changelist"), {"pays": "autre"}).text
    assert "lieferant@example.test" in outside and "supplier@example.test" not in outside


def test_background_tasks_read_in_words(operator):
    from django.utils import timezone

    DBTaskResult.objects.create(
        task_path="chorale.flows.tasks.process_flow",
        args_kwargs={"args": [], "kwargs": {"flow_id": 1}},
        status="FAILED",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="ValueError",
        traceback="Traceback…",
    )
    page = visible_text(
        operator.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).text
    )
    assert "Traitement d'un flux" in page and "En échec" in page and "principale" in page
