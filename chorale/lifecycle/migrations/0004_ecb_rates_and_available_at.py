"""The ECB main refinancing rates since 2016 (ecb.europa.eu, « Key ECB interest rates »), and
each invoice's `available_at` from its first « Mise à disposition » event."""

from decimal import Decimal

from django.db import migrations
from django.db.models import OuterRef, Subquery

RATES = [
    ("2016-03-16", "0.00"), ("2022-07-27", "0.50"), ("2022-09-14", "1.25"),
    ("2022-11-02", "2.00"), ("2022-12-21", "2.50"), ("2023-02-08", "3.00"),
    ("2023-03-22", "3.50"), ("2023-05-10", "3.75"), ("2023-06-21", "4.00"),
    ("2023-08-02", "4.25"), ("2023-09-20", "4.50"), ("2024-06-12", "4.25"),
    ("2024-09-18", "3.65"), ("2024-10-23", "3.40"), ("2024-12-18", "3.15"),
    ("2025-02-05", "2.90"), ("2025-03-12", "2.65"), ("2025-04-23", "2.40"),
    ("2025-06-11", "2.15"),
]  # fmt: skip


def forward(apps, schema_editor):
    EcbRate = apps.get_model("lifecycle", "EcbRate")
    for effective, rate in RATES:
        EcbRate.objects.get_or_create(effective_from=effective, defaults={"rate": Decimal(rate)})
    InvoiceEvent = apps.get_model("lifecycle", "InvoiceEvent")
    InvoiceRecord = apps.get_model("invoicing", "InvoiceRecord")
    first = (
        InvoiceEvent.objects.filter(invoice=OuterRef("pk"), to_status="MISE_A_DISPOSITION")
        .order_by("created_at")
        .values("created_at")[:1]
    )
    InvoiceRecord.objects.filter(available_at=None).update(available_at=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0003_ecbrate"),
        ("invoicing", "0010_invoicerecord_available_at"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
