"""Demo invoices for `make run`: the demo supplier deposits a batch to the demo commune through
the engine (deposit → checks → routing), and the commune moves some of them along the life
cycle, so that every espace has something to show. Idempotent: invoices already there are kept.

Called by `load_demo` (after the demo structures and accounts exist)."""

import datetime
import io
import zipfile
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from chorale.accounts.models import User
from chorale.engagements.models import (
    Engagement,
    EngagementLine,
    EngagementState,
    WorksContract,
)
from chorale.invoicing.formats import write_invoice
from chorale.invoicing.model import (
    Address,
    Identifier,
    Invoice,
    Line,
    Party,
    Totals,
    VatBreakdown,
)
from chorale.invoicing.models import InvoiceRecord
from chorale.lifecycle.services import invoice_process
from chorale.lifecycle.statuses import Status
from chorale.structures.models import Structure

from ...models import Channel
from ...processing import flow_process
from ...services import flow_deposit

SUPPLIER, RECIPIENT = "98765432400019", "21990123800010"
SUPPLIER_USER, RECIPIENT_USER = "fournisseur@chorale.localhost", "acheteur@chorale.localhost"
CENT = Decimal("0.01")
# number, item, quantity, unit price, then the recipient's actions: (status, reason or mandate)
INVOICES = [
    ("DEMO-2026-001", "Réparation de bancs publics", 4, "85.00", []),
    ("DEMO-2026-002", "Entretien des portes de la salle des fêtes", 1, "640.00", []),
    (
        "DEMO-2026-003",
        "Remplacement de volets de l'école",
        6,
        "120.00",
        [(Status.SUSPENDED, "Merci de joindre le bon de livraison signé.")],
    ),
    ("DEMO-2026-004", "Menuiserie de la bibliothèque", 2, "450.00", [(Status.SERVICE_DONE, "")]),
    (
        "DEMO-2026-005",
        "Fabrication d'étagères pour les archives",
        10,
        "75.00",
        [(Status.SERVICE_DONE, ""), (Status.PAYMENT_ORDERED, "M-2026-0412")],
    ),
    (
        "DEMO-2026-006",
        "Pose de parquet en mairie",
        1,
        "2380.00",
        [
            (Status.SERVICE_DONE, ""),
            (Status.PAYMENT_ORDERED, "M-2026-0398"),
            (Status.PAID, ""),
        ],
    ),
    (
        "DEMO-2026-007",
        "Travaux non commandés",
        1,
        "150.00",
        [(Status.REJECTED, "Aucun bon de commande ne correspond à ces travaux.")],
    ),
]


def demo_invoice(number: str, item: str, quantity: int, price: str, day: int) -> Invoice:
    net = (Decimal(price) * quantity).quantize(CENT)
    vat = (net * Decimal("0.20")).quantize(CENT)
    return Invoice(
        number=number,
        issue_date=datetime.date(2026, 11, day),
        type_code="380",
        currency="EUR",
        due_date=datetime.date(2026, 11, day) + datetime.timedelta(days=30),
        buyer_reference="SERVICES_TECHNIQUES",
        purchase_order_reference=ENGAGEMENT,
        specification_id="urn:cen.eu:en16931:2017",
        payment_terms="Paiement à 30 jours.",
        seller=Party(
            name="ATELIER DUPONT",
            legal_id=Identifier(SUPPLIER, "0009"),
            vat_id="FR32987654324",
            address=Address(
                line1="12 rue des Artisans", city="Lyon", postal_code="69002", country="FR"
            ),
        ),
        buyer=Party(
            name="COMMUNE DE BELLE-RIVIERE",
            legal_id=Identifier(RECIPIENT, "0009"),
            address=Address(city="Belle-Rivière", postal_code="44999", country="FR"),
        ),
        totals=Totals(
            line_total=net,
            tax_exclusive=net,
            vat_total=vat,
            tax_inclusive=net + vat,
            payable=net + vat,
        ),
        vat_breakdown=[VatBreakdown(net, vat, "S", Decimal("20"))],
        lines=[
            Line(
                id="1",
                quantity=Decimal(quantity),
                unit="C62",
                net_amount=net,
                net_price=Decimal(price),
                vat_category="S",
                vat_rate=Decimal("20"),
                item_name=item,
            )
        ],
    )


TITULAIRE = "91234567500017"
ARCHITECT = "51234567900017"
WORKS_CONTRACT = "MT-2026-07"
# The commune's open order with Atelier Dupont, which the demo invoices draw on, and an old one.
ENGAGEMENT = "EJ-2026-0042"
ENGAGEMENTS = [
    (ENGAGEMENT, "Entretien des bâtiments communaux 2026", "12000.00", EngagementState.OPEN),
    ("EJ-2025-0107", "Mobilier de l'école 2025", "4800.00", EngagementState.CLOSED),
]


def demo_engagements(recipient: Structure) -> None:
    """The commune's engagements juridiques with Atelier Dupont (idempotent)."""
    for number, label, amount, state in ENGAGEMENTS:
        engagement, created = Engagement.objects.get_or_create(
            structure=recipient,
            number=number,
            defaults={
                "label": label,
                "service": recipient.services.filter(code="SERVICES_TECHNIQUES").first(),
                "supplier_identifier": SUPPLIER,
                "supplier_name": "ATELIER DUPONT",
                "amount": Decimal(amount),
                "notified_on": datetime.date(int(number[3:7]), 1, 15),
                "state": state,
            },
        )
        if created:
            half = (Decimal(amount) / 2).quantize(CENT)
            for position, what in enumerate(("Menuiserie", "Serrurerie"), start=1):
                EngagementLine.objects.create(
                    engagement=engagement, position=position, label=what, amount=half
                )


class Command(BaseCommand):
    help = "Deposit the demo invoices and move some along their life cycle (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        supplier = Structure.objects.get(identifier=SUPPLIER)
        demo_engagements(Structure.objects.get(identifier=RECIPIENT))
        missing = [
            entry
            for entry in INVOICES
            if not InvoiceRecord.objects.filter(supplier=supplier, number=entry[0]).exists()
        ]
        if not missing:
            self.stdout.write("Demo invoices already there.")
            return
        batch = io.BytesIO()
        with zipfile.ZipFile(batch, "w", zipfile.ZIP_DEFLATED) as archive:
            for day, (number, item, quantity, price, _) in enumerate(missing, start=2):
                xml = write_invoice(demo_invoice(number, item, quantity, price, day), "CII")
                archive.writestr(f"{number}.xml", xml)
        flow = flow_deposit(
            user=User.objects.get(email=SUPPLIER_USER),
            supplier=supplier,
            filename="factures-demo.zip",
            content=batch.getvalue(),
            channel=Channel.PORTAL,
        )
        flow_process(flow.pk)
        buyer = User.objects.get(email=RECIPIENT_USER)
        for number, *_, actions in missing:
            record = InvoiceRecord.objects.get(supplier=supplier, number=number)
            for status, detail in actions:
                invoice_process(
                    user=buyer,
                    invoice_id=record.pk,
                    to_status=status,
                    reason=detail if status != Status.PAYMENT_ORDERED else "",
                    payment_order_number=detail if status == Status.PAYMENT_ORDERED else "",
                )
        self.stdout.write(f"Demo invoices deposited in flow {flow.number}: {len(missing)}.")
        self._sub_contracted(supplier)
        self._works(supplier)

    def _sub_contracted(self, supplier) -> None:
        """One invoice of Atelier Dupont as sub-contractor (cadre A9), waiting for the titulaire
        Informatique Services in its « Factures à valider »."""
        number = "DEMO-ST-001"
        if InvoiceRecord.objects.filter(supplier=supplier, number=number).exists():
            return
        invoice = demo_invoice(number, "Câblage du gymnase (sous-traitance)", 3, 450, 9)
        invoice.process_id = "A9_FACTURE_SOUSTRAITANT"
        self._deposit(supplier, invoice, validators=[{"siret": TITULAIRE}])

    def _works(self, supplier) -> None:
        """The commune's works contract (the architect as maître d'œuvre) and Atelier Dupont's
        monthly draft waiting for the architect in « Factures de travaux »."""
        number = "DEMO-PDM-001"
        if InvoiceRecord.objects.filter(supplier=supplier, number=number).exists():
            return
        buyer = Structure.objects.get(identifier=RECIPIENT)
        contract, _ = WorksContract.objects.get_or_create(
            buyer=buyer,
            number=WORKS_CONTRACT,
            defaults={
                "label": "Rénovation du gymnase",
                "moa": buyer,
                "moe": Structure.objects.get(identifier=ARCHITECT),
            },
        )
        contract.suppliers.add(supplier)
        invoice = demo_invoice(number, "Menuiseries du gymnase, situation n° 1", 1, "4800.00", 10)
        invoice.process_id = "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR"
        invoice.contract_reference = WORKS_CONTRACT
        invoice.purchase_order_reference = ""
        self._deposit(supplier, invoice)

    def _deposit(self, supplier, invoice: Invoice, validators: list | None = None) -> None:
        """One demo invoice deposited by the supplier's manager and processed at once."""
        flow = flow_deposit(
            user=User.objects.get(email=SUPPLIER_USER),
            supplier=supplier,
            filename=f"{invoice.number}.xml",
            content=write_invoice(invoice, "CII"),
            channel=Channel.PORTAL,
            validators=validators,
        )
        flow_process(flow.pk)
