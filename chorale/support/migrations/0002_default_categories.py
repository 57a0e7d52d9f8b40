from django.db import migrations

CATEGORIES = {
    "Dépôt et traitement des factures": [
        "Facture rejetée",
        "Dépôt d'un fichier ou d'un flux",
        "Statut d'une facture",
        "Pièces jointes",
    ],
    "Paiement": ["Délai de paiement", "Mise en paiement"],
    "Compte et structures": [
        "Création de compte",
        "Rattachement à une structure",
        "Gestionnaire principal",
        "Mandat de facturation",
    ],
    "API et raccordements": ["Jetons et comptes techniques", "Webhooks", "Erreur d'un appel"],
    "Autre demande": [],
}


def create(apps, schema_editor):
    Category = apps.get_model("support", "Category")
    for position, (name, children) in enumerate(CATEGORIES.items()):
        parent, _ = Category.objects.get_or_create(
            name=name, parent=None, defaults={"position": position}
        )
        for child_position, child in enumerate(children):
            Category.objects.get_or_create(
                name=child, parent=parent, defaults={"position": child_position}
            )


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
