"""`manage.py create_api_client [--structure SIRET]`: a new raccordement (OAuth2 client and
technical account) for a structure — by default the demo supplier — printed as one JSON object."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from chorale.core.errors import BusinessError
from chorale.portal.management.commands.load_demo import STRUCTURES
from chorale.structures.models import IdentifierType, Structure

from ...services import api_account_create

DEMO_SUPPLIER = next(s["identifier"] for s in STRUCTURES if s["is_private"])


class Command(BaseCommand):
    help = "Create an API client (OAuth2 client + technical account) and print it as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--structure", default=DEMO_SUPPLIER, help="the structure's SIRET")
        parser.add_argument("--label", default="", help="a label for the raccordement")

    def handle(self, *args, structure: str, label: str, **options):
        found = Structure.objects.filter(
            identifier_type=IdentifierType.SIRET, identifier=structure.replace(" ", "")
        ).first()
        if found is None:
            hint = " (run `manage.py load_demo` first)" if structure == DEMO_SUPPLIER else ""
            raise CommandError(f"No structure has the SIRET {structure}{hint}.")
        try:
            created = api_account_create(structure=found, label=label or "Ligne de commande")
        except BusinessError as error:
            raise CommandError(error.message) from error
        base = settings.CHORALE_BASE_URL
        self.stdout.write(
            json.dumps(
                {
                    "client_id": created["client_id"],
                    "client_secret": created["client_secret"],
                    "login": created["login"],
                    "password": created["password"],
                    "password_expires_at": created["account"]
                    .password_expires_at.date()
                    .isoformat(),
                    "structure_siret": found.identifier,
                    "token_url": f"{base}/api/oauth/token",
                    "api_url": base,
                },
                indent=2,
            )
        )
