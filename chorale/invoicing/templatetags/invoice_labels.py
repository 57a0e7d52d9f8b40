"""Invoice codes in words, for pages, PDFs and e-mails: `{{ line.unit|unit_name }}`."""

from django import template

from chorale.invoicing import labels

register = template.Library()

register.filter("unit_name", labels.unit_name)
register.filter("vat_category", labels.vat_category)
register.filter("payment_means", labels.payment_means)
register.filter("document_type", labels.document_type)


@register.filter
def file_format(invoice) -> str:
    """The deposited file's format in words (« UBL 2.1 – facture, profil EN 16931 »)."""
    return labels.file_format(invoice.syntax, invoice.profile, pdf=bool(invoice.original))
