"""A small, valid EN 16931 invoice in the canonical model, to mutate in tests."""

import datetime
from decimal import Decimal

from chorale.invoicing.model import (
    Address,
    Identifier,
    Invoice,
    Line,
    Party,
    PrecedingInvoice,
    Totals,
    VatBreakdown,
)

SUPPLIER_SIRET = "98765432400019"
RECIPIENT_SIRET = "21990123800010"


def sample_invoice(
    number="F-2026-001",
    *,
    seller=SUPPLIER_SIRET,
    buyer=RECIPIENT_SIRET,
    service="",
    engagement="",
    type_code="380",
    preceding=None,
) -> Invoice:
    return Invoice(
        number=number,
        issue_date=datetime.date(2026, 11, 2),
        type_code=type_code,
        currency="EUR",
        due_date=datetime.date(2026, 12, 2),
        buyer_reference=service,
        purchase_order_reference=engagement,
        specification_id="urn:cen.eu:en16931:2017",
        preceding_invoices=[PrecedingInvoice(preceding)] if preceding else [],
        seller=Party(
            name="ATELIER DUPONT ET FILS",
            legal_id=Identifier(seller, "0009"),
            vat_id="FR32987654324",
            address=Address(
                line1="12 RUE DES ARTISANS", city="LYON", postal_code="69002", country="FR"
            ),
        ),
        buyer=Party(
            name="COMMUNE DE BELLE-RIVIERE",
            legal_id=Identifier(buyer, "0009"),
            address=Address(city="BELLE-RIVIERE", postal_code="44999", country="FR"),
        ),
        totals=Totals(
            line_total=Decimal("100.00"),
            tax_exclusive=Decimal("100.00"),
            vat_total=Decimal("20.00"),
            tax_inclusive=Decimal("120.00"),
            payable=Decimal("120.00"),
        ),
        vat_breakdown=[VatBreakdown(Decimal("100.00"), Decimal("20.00"), "S", Decimal("20"))],
        lines=[
            Line(
                id="1",
                quantity=Decimal("2"),
                unit="C62",
                net_amount=Decimal("100.00"),
                net_price=Decimal("50.00"),
                vat_category="S",
                vat_rate=Decimal("20"),
                item_name="Réparation de mobilier",
            )
        ],
    )
