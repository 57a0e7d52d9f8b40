"""Demo data for `make run`: news, a public and a supplier structure, demo accounts, and a few
invoices in various statuses (see flows' load_demo_invoices).

Idempotent: running it again updates the same rows, never duplicates them.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from chorale.accounts.models import User
from chorale.accounts.services import user_update_secret
from chorale.directory.selectors import sirene_siret_lookup
from chorale.directory.sirene.importer import import_sirene_file
from chorale.portal.models import News
from chorale.structures.models import IdentifierType, Membership, Role, Service, Structure
from chorale.structures.services import grant_default_spaces, mandate_subscribe

DEMO_PASSWORD = "Chorale-Demo-2026"  # noqa: S105 — a published demo password, local data only
DEMO_SECRET_ANSWER = "chorale"  # noqa: S105

DEMO_REGISTER = Path(__file__).resolve().parents[3] / "directory" / "demo"
# Structures created from the demo register (the raison sociale and address come from it).
STRUCTURES = [
    {
        "identifier": "21990123800010",
        "label": "Mairie de Belle-Rivière",
        "email": "factures@belle-riviere.localhost",
        "is_private": False,
    },
    {
        "identifier": "98765432400019",
        "label": "Atelier Dupont",
        "email": "compta@atelier-dupont.localhost",
        "rcs_number": "RCS Lyon 987 654 324",
        "is_private": True,
    },
    {  # the titulaire of a works contract that sub-contracts to Atelier Dupont (cadre A9)
        "identifier": "91234567500017",
        "label": "Informatique Services",
        "email": "marches@informatique-services.localhost",
        "is_private": True,
    },
    {  # the maître d'œuvre of the commune's works contract (« Factures de travaux »)
        "identifier": "51234567900017",
        "label": "Atelier d'architecture",
        "email": "chantiers@architecture-belle-riviere.localhost",
        "is_private": True,
    },
]

NEWS = [
    (
        0,
        "Bienvenue sur Chorale",
        "Chorale est la plateforme libre d'échange de factures électroniques entre fournisseurs "
        "et structures publiques. Créez votre compte pour commencer.",
    ),
    (
        -7,
        "Réforme de la facturation électronique",
        "Les statuts du cycle de vie de la réforme (codes 200 à 213) seront suivis pour chaque "
        "facture, du dépôt à la mise en paiement.",
    ),
    (
        -21,
        "Formats acceptés",
        "Factur-X, UBL 2.1 et UN/CEFACT CII D16B, conformes à la norme européenne EN 16931.",
    ),
]

USERS = [
    ("operateur@chorale.localhost", "Opératrice", "Camille", True),
    ("fournisseur@chorale.localhost", "Dupont", "Jean", False),
    ("acheteur@chorale.localhost", "Bernard", "Sophie", False),
    ("titulaire@chorale.localhost", "Martin", "Luc", False),
    ("architecte@chorale.localhost", "Petit", "Claire", False),
]
# Who manages which demo structure (by SIRET), and the public recipient's services.
MANAGERS = {
    "fournisseur@chorale.localhost": "98765432400019",
    "acheteur@chorale.localhost": "21990123800010",
    "titulaire@chorale.localhost": "91234567500017",
    "architecte@chorale.localhost": "51234567900017",
}
SERVICES = [
    ("SERVICES_TECHNIQUES", "Services techniques", False),
    ("MARCHES_PUBLICS", "Marchés publics (numéro d'engagement obligatoire)", True),
]


class Command(BaseCommand):
    help = "Load Chorale's demo data (news, structures, demo accounts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="also with DEBUG off (never on a real platform)"
        )

    def _manage(self, user, siret: str) -> None:
        """Make the demo user the principal manager, with services and a billing mandate."""
        structure = Structure.objects.get(identifier_type=IdentifierType.SIRET, identifier=siret)
        membership = Membership.objects.filter(structure=structure, role=Role.PRINCIPAL).first()
        if membership is None:
            membership = Membership.objects.create(
                user=user, structure=structure, role=Role.PRINCIPAL
            )
            grant_default_spaces(membership)
            structure.claimed_at = timezone.now()
            structure.save(update_fields=["claimed_at", "updated_at"])
        if structure.is_private:
            if not structure.mandates.filter(revoked_at__isnull=True).exists():
                mandate_subscribe(membership=membership)
            return
        for code, label, requires_engagement in SERVICES:
            Service.objects.update_or_create(
                structure=structure,
                code=code,
                defaults={"label": label, "requires_engagement": requires_engagement},
            )

    @transaction.atomic
    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development (DEBUG on); use --force to insist.")
        today = timezone.localdate()
        for offset, title, body in NEWS:
            News.objects.update_or_create(
                title=title,
                defaults={"body": body, "published_on": today + datetime.timedelta(days=offset)},
            )
        for name in ("StockUniteLegale_demo.csv", "StockEtablissement_demo.csv"):
            import_sirene_file(DEMO_REGISTER / name)
        for data in STRUCTURES:
            register = sirene_siret_lookup(data["identifier"])
            Structure.objects.update_or_create(
                identifier_type=IdentifierType.SIRET,
                identifier=data["identifier"],
                defaults={
                    **{k: v for k, v in data.items() if k != "identifier"},
                    "company_name": register.company_name,
                    "address": register.address_line1,
                    "address_complement": register.address_line2,
                    "postal_code": register.postal_code,
                    "city": register.city,
                    "legal_category": register.legal_category,
                },
            )
            Structure.objects.filter(identifier=data["identifier"], validated_at=None).update(
                validated_at=timezone.now()
            )
        for email, last_name, first_name, is_operator in USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "last_name": last_name,
                    "first_name": first_name,
                    "is_active": True,
                    "is_staff": is_operator,
                    "is_superuser": is_operator,
                    "activated_at": timezone.now(),
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                user_update_secret(user=user, question="first_pet", answer=DEMO_SECRET_ANSWER)
            if email in MANAGERS:
                self._manage(user, MANAGERS[email])
        # Invoices and sollicitations belong to apps the portal does not import: called by name.
        call_command("load_demo_invoices", stdout=self.stdout)
        call_command("load_demo_requests", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {len(NEWS)} news, the demo SIRENE register, "
                f"{len(STRUCTURES)} structures, "
                f"accounts {', '.join(u[0] for u in USERS)} (password {DEMO_PASSWORD})."
            )
        )
