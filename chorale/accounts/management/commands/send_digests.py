"""Send the daily digests (run once a day, by cron or a scheduler: `manage.py send_digests`)."""

from django.core.management.base import BaseCommand

from chorale.accounts.notifications import digests_send


class Command(BaseCommand):
    help = "E-mail each person who chose it the digest of their events since the last one."

    def handle(self, *args, **options):
        self.stdout.write(f"{digests_send()} récapitulatif(s) envoyé(s).")
