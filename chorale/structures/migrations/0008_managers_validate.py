"""Managers already in place get the new espace « Factures à valider » (cadres A9, A12), as new
managers do (grant_default_spaces)."""

from django.db import migrations


def forward(apps, schema_editor):
    Membership = apps.get_model("structures", "Membership")
    SpaceSubscription = apps.get_model("structures", "SpaceSubscription")
    have = set(
        SpaceSubscription.objects.filter(space="FACTURES_A_VALIDER").values_list(
            "membership_id", flat=True
        )
    )
    SpaceSubscription.objects.bulk_create(
        SpaceSubscription(membership_id=pk, space="FACTURES_A_VALIDER", is_approved=True)
        for pk in Membership.objects.filter(role__in=("PRINCIPAL", "SECONDAIRE"))
        .exclude(pk__in=have)
        .values_list("pk", flat=True)
    )


class Migration(migrations.Migration):
    dependencies = [("structures", "0007_alter_spacesubscription_space")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
