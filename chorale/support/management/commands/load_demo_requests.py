"""Demo sollicitations for `make run`: the demo supplier asks the commune about one of its
invoices and gets an answer; it also asks the platform's support a question the demo operator
can answer. Idempotent. Called by `load_demo` (after the demo invoices exist)."""

from django.core.management.base import BaseCommand

from chorale.accounts.models import User
from chorale.invoicing.models import InvoiceRecord
from chorale.structures.models import Structure

from ...models import Category, Side, SupportRequest
from ...services import request_open, request_reply

SUPPLIER, RECIPIENT = "98765432400019", "21990123800010"


class Command(BaseCommand):
    help = "Load demo sollicitations (development)."

    def handle(self, *args, **options):
        if SupportRequest.objects.exists():
            return
        supplier_user = User.objects.get(email="fournisseur@chorale.localhost")
        buyer = User.objects.get(email="acheteur@chorale.localhost")
        supplier = Structure.objects.get(identifier=SUPPLIER)
        commune = Structure.objects.get(identifier=RECIPIENT)
        payment = Category.objects.get(name="Paiement", parent=None)
        invoice = InvoiceRecord.objects.filter(supplier=supplier, recipient=commune).first()
        asked = request_open(
            user=supplier_user,
            author_structure=supplier,
            recipient=commune,
            category=payment,
            subcategory=payment.subcategories.get(name="Délai de paiement"),
            subject=f"Facture {invoice.number}" if invoice else "Délai de paiement",
            body="Bonjour,\npouvez-vous m'indiquer quand cette facture sera mise en paiement ?",
            invoice=invoice,
        )
        request_reply(
            user=buyer,
            pk=asked.pk,
            side=Side.RECIPIENT,
            body="Bonjour,\nle service fait est constaté ; le paiement suivra sous 15 jours.",
        )
        account = Category.objects.get(name="Compte et structures", parent=None)
        request_open(
            user=supplier_user,
            author_structure=supplier,
            category=account,
            subcategory=account.subcategories.get(name="Gestionnaire principal"),
            subject="Changer de gestionnaire principal",
            body="Notre gestionnaire principal quitte l'entreprise : comment le remplacer ?",
        )
        self.stdout.write("Demo sollicitations loaded.")
