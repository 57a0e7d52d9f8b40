import pytest
from django.core.management import CommandError, call_command

from chorale.accounts.models import User
from chorale.portal.models import News
from chorale.structures.models import Structure


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicates(settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert News.objects.count() == 3
    assert Structure.objects.filter(is_private=False).count() == 1
    assert Structure.objects.filter(is_private=True).count() == 3  # supplier, titulaire, MOE
    assert User.objects.filter(is_staff=True).count() == 1
    for structure in Structure.objects.all():
        structure.full_clean()
        assert not structure.is_draft
        assert structure.memberships.filter(role="PRINCIPAL").count() == 1
    commune = Structure.objects.get(is_private=False)
    assert commune.company_name == "COMMUNE DE BELLE-RIVIERE"  # from the demo register
    assert sorted(commune.services.values_list("code", "requires_engagement")) == [
        ("MARCHES_PUBLICS", True),
        ("SERVICES_TECHNIQUES", False),
    ]
    supplier = Structure.objects.get(identifier="98765432400019")
    assert supplier.mandates.filter(revoked_at__isnull=True).count() == 1
    # Two demo sollicitations: one answered by the commune, one waiting for the support.
    from django.apps import apps

    requests = apps.get_model("support", "SupportRequest")  # a sibling app: not imported
    assert sorted(requests.objects.values_list("status", flat=True)) == [
        "OUVERTE",
        "REPONDUE",
    ]


@pytest.mark.django_db
def test_demo_data_refuses_a_platform_in_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not News.objects.exists()


@pytest.mark.django_db
def test_demo_invoices_come_through_the_engine_in_various_statuses(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    from chorale.invoicing.models import InvoiceRecord

    statuses = set(InvoiceRecord.objects.values_list("status", flat=True))
    assert InvoiceRecord.objects.count() == 9
    works = InvoiceRecord.objects.get(number="DEMO-PDM-001")  # a works draft at its MOE
    assert (works.frame, works.status) == ("A4", "MISE_A_DISPOSITION_MOE")
    waiting = InvoiceRecord.objects.get(number="DEMO-ST-001")  # a sub-contracted one in flight
    assert (waiting.frame, waiting.status) == ("A9", "A_VALIDER_1")
    assert {"MISE_A_DISPOSITION", "SUSPENDUE", "MANDATEE", "MISE_EN_PAIEMENT", "REJETEE"} <= (
        statuses
    )
    assert all(invoice.events.exists() for invoice in InvoiceRecord.objects.all())
    from chorale.engagements.models import Engagement

    order = Engagement.objects.get(number="EJ-2026-0042")  # the demo invoices draw on it
    assert order.invoices.count() == 8 and order.lines.count() == 2
    capsys.readouterr()
    call_command("demo_accounts")
    import json

    accounts = {a["email"]: a for a in json.loads(capsys.readouterr().out)}
    supplier = accounts["fournisseur@chorale.localhost"]
    assert supplier["password"] == "Chorale-Demo-2026"
    assert supplier["structures"][0]["siret"] == "98765432400019"
