"""Deposited files between the test structures, written from the canonical model."""

from chorale.invoicing.formats import write_invoice
from chorale.invoicing.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET, sample_invoice

__all__ = ["RECIPIENT_SIRET", "SUPPLIER_SIRET", "invoice"]


def invoice(number="F-2026-001", *, syntax="CII", **fields) -> bytes:
    return write_invoice(sample_invoice(number, **fields), syntax)
