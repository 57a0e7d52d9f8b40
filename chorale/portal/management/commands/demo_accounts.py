"""Print the demo accounts as JSON: e-mail, password, role and structures (SIRET)."""

import json

from django.core.management.base import BaseCommand

from chorale.accounts.models import User
from chorale.structures.models import Membership

from .load_demo import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "Print the demo accounts (e-mail, password, role, structure SIRET) as JSON."

    def handle(self, *args, **options):
        accounts = []
        for email, *_ in USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                continue
            memberships = Membership.objects.filter(user=user).select_related("structure")
            accounts.append(
                {
                    "email": email,
                    "password": DEMO_PASSWORD,
                    "role": "opérateur" if user.is_staff else "gestionnaire",
                    "structures": [
                        {
                            "siret": m.structure.identifier,
                            "name": m.structure.company_name,
                            "role": m.get_role_display(),
                        }
                        for m in memberships
                    ],
                }
            )
        self.stdout.write(json.dumps(accounts, ensure_ascii=False, indent=2))
