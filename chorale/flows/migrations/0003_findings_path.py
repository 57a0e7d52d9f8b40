"""The place of each stored finding is now named « path » (it was « value »)."""

from django.db import migrations


def _renamed(errors: list, old: str, new: str) -> list:
    return [
        {(new if key == old else key): value for key, value in error.items()}
        if isinstance(error, dict)
        else error
        for error in errors
    ]


def rename(old: str, new: str):
    def run(apps, schema_editor):
        FlowItem = apps.get_model("flows", "FlowItem")
        changed = []
        for item in FlowItem.objects.exclude(errors=[]).only("id", "errors").iterator(2000):
            errors = _renamed(item.errors, old, new)
            if errors != item.errors:
                item.errors = errors
                changed.append(item)
            if len(changed) >= 2000:
                FlowItem.objects.bulk_update(changed, ["errors"])
                changed = []
        FlowItem.objects.bulk_update(changed, ["errors"])

    return run


class Migration(migrations.Migration):
    dependencies = [("flows", "0002_invoice_draft")]

    operations = [migrations.RunPython(rename("value", "path"), rename("path", "value"))]
