"""Fill the database with many invoices fast, for the portal benchmark (`bench/portal.py`).

Rows are written in bulk, straight into the tables (invoices with their last status and one
event each): a load generator, not a way to deposit invoices — real ones go through the flows.
A supplier and a recipient structure (`--focus-*` SIRETs) receive a given share of the rows, so
that one user's lists are as big as a large structure's would be.
"""

import datetime
import random
import time
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.models import InvoiceEvent
from chorale.lifecycle.statuses import REFORM_CODES, Status
from chorale.structures.models import Service, Structure

BATCH = 20_000
STATUSES = [
    Status.AVAILABLE, Status.ACKNOWLEDGED, Status.SUSPENDED, Status.SERVICE_DONE,
    Status.PAYMENT_ORDERED, Status.PAID, Status.REJECTED, Status.COMPLETED,
]  # fmt: skip


def _structures(prefix: int, count: int, public: bool) -> list[Structure]:
    now = timezone.now()
    wanted = [f"{prefix:03d}{n:08d}{0:03d}" for n in range(count)]
    existing = set(
        Structure.objects.filter(identifier__in=wanted).values_list("identifier", flat=True)
    )
    Structure.objects.bulk_create(
        Structure(
            identifier=identifier,
            company_name=f"{'COMMUNE' if public else 'SOCIETE'} {identifier}",
            is_private=not public,
            validated_at=now,
        )
        for identifier in wanted
        if identifier not in existing
    )
    return list(Structure.objects.filter(identifier__in=wanted).order_by("identifier"))


class Command(BaseCommand):
    help = "Generate N invoices (and one event each) between generated structures, fast."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--suppliers", type=int, default=500)
        parser.add_argument("--recipients", type=int, default=200)
        parser.add_argument("--focus-share", type=float, default=0.1)

    def handle(
        self,
        *args: Any,
        count: int,
        suppliers: int,
        recipients: int,
        focus_share: float,
        **options: Any,
    ) -> None:
        rng = random.Random(2026)  # noqa: S311 — benchmark data, not a secret
        sellers = _structures(900, suppliers, public=False)
        buyers = _structures(910, recipients, public=True)
        services: dict[Any, Any] = {}
        for buyer in buyers[:1]:
            for code in ("TECHNIQUE", "ECOLES", "VOIRIE"):
                service, _ = Service.objects.get_or_create(
                    structure=buyer, code=code, defaults={"label": code.title()}
                )
                services.setdefault(buyer.pk, []).append(service)
        start = InvoiceRecord.objects.count()
        started = time.perf_counter()
        today = datetime.date(2026, 11, 28)
        now = timezone.now()
        for first in range(start, start + count, BATCH):
            rows = []
            for n in range(first, min(first + BATCH, start + count)):
                seller = sellers[0] if rng.random() < focus_share else rng.choice(sellers)
                buyer = buyers[0] if rng.random() < focus_share else rng.choice(buyers)
                amount = Decimal(rng.randint(1_000, 5_000_000)) / 100
                issued = today - datetime.timedelta(days=rng.randint(0, 730))
                status = rng.choice(STATUSES)
                rows.append(
                    InvoiceRecord(
                        supplier=seller,
                        recipient=buyer,
                        service=rng.choice(services.get(buyer.pk, [None])),
                        supplier_name=seller.company_name,
                        supplier_identifier=seller.identifier,
                        recipient_name=buyer.company_name,
                        recipient_identifier=buyer.identifier,
                        number=f"G-{n:09d}",
                        issue_date=issued,
                        year=issued.year,
                        type_code="380",
                        currency="EUR",
                        total_without_vat=amount,
                        total_vat=(amount * Decimal("0.2")).quantize(Decimal("0.01")),
                        total_with_vat=(amount * Decimal("1.2")).quantize(Decimal("0.01")),
                        amount_due=(amount * Decimal("1.2")).quantize(Decimal("0.01")),
                        syntax="CII",
                        profile="EN16931",
                        structured_data=b"",
                        sha256="0" * 64,
                        status=status,
                        status_changed_at=now,
                    )
                )
            with transaction.atomic():
                created = InvoiceRecord.objects.bulk_create(rows)
                if created[0].pk is None:  # engines that do not return ids (none used today)
                    created = InvoiceRecord.objects.filter(number__in=[r.number for r in rows])
                InvoiceEvent.objects.bulk_create(
                    InvoiceEvent(
                        invoice=invoice,
                        side="system",
                        from_status="",
                        to_status=invoice.status,
                        reform_code=REFORM_CODES.get(invoice.status),
                    )
                    for invoice in created
                )
            done = min(first + BATCH, start + count) - start
            rate = done / (time.perf_counter() - started)
            self.stdout.write(f"\r{done:,} invoices ({rate:,.0f}/s)", ending="")
        self.stdout.write("")
