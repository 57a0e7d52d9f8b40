"""Managers and technical accounts already in place get the new espaces « Engagements
juridiques » and « Factures de travaux », as new ones do (grant_default_spaces,
technical_member_add)."""

from django.db import migrations


SPACES = ("ENGAGEMENTS_JURIDIQUES", "FACTURES_TRAVAUX")


def forward(apps, schema_editor):
    for space in SPACES:
        _grant(apps, space)


def _grant(apps, space):
    Membership = apps.get_model("structures", "Membership")
    SpaceSubscription = apps.get_model("structures", "SpaceSubscription")
    have = set(SpaceSubscription.objects.filter(space=space).values_list("membership_id", flat=True))
    # Those who act on invoices: managers, and the accounts that already had « Factures à
    # valider » (technical accounts get it with their invoicing spaces).
    members = Membership.objects.filter(role__in=("PRINCIPAL", "SECONDAIRE")).values_list(
        "pk", flat=True
    )
    validators = SpaceSubscription.objects.filter(
        space="FACTURES_A_VALIDER", is_approved=True
    ).values_list("membership_id", flat=True)
    SpaceSubscription.objects.bulk_create(
        SpaceSubscription(membership_id=pk, space=space, is_approved=True)
        for pk in sorted((set(members) | set(validators)) - have)
    )


class Migration(migrations.Migration):
    dependencies = [("structures", "0009_structure_engagement_rule_and_more")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
