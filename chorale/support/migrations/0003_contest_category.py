from django.db import migrations

PARENT = "Compte et structures"
NAME = "Contester la gestion d'une structure"


def create(apps, schema_editor):
    Category = apps.get_model("support", "Category")
    parent, _ = Category.objects.get_or_create(name=PARENT, parent=None)
    Category.objects.get_or_create(name=NAME, parent=parent, defaults={"position": 4})


def remove(apps, schema_editor):
    apps.get_model("support", "Category").objects.filter(name=NAME, parent__name=PARENT).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0002_default_categories")]
    operations = [migrations.RunPython(create, remove)]
