from django.core.management.base import BaseCommand

from chorale.portal.services import help_articles_load


class Command(BaseCommand):
    help = (
        "Create the help articles shipped with Chorale that are missing (run after migrate); "
        "--update also overwrites the shipped ones with this version's text."
    )

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true")

    def handle(self, *args, update: bool = False, **options):
        written = help_articles_load(update=update)
        self.stdout.write(f"{written} article(s) d'aide écrit(s).")
