from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "chorale.invoicing"
    label = "invoicing"
    verbose_name = "Facturation"
