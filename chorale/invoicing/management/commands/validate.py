"""manage.py validate FILE… — the platform's own checks on invoice files, for ERP developers:
the standalone validator's (chorale/invoicing/validate.py) with the platform's settings, plus
the `both` engine, whose disagreements are kept in the database (so judged in this process)."""

from django.core.management.base import BaseCommand, CommandError

from chorale.invoicing.validate import arguments, validate_paths, write


class Command(BaseCommand):
    help = "Validate invoice files (CII, UBL, Factur-X) with the platform's rules."
    requires_system_checks = []  # judging files needs none, and they cost 0.6 s at each start

    def add_arguments(self, parser):
        arguments(parser, engines=("native", "official", "both"))

    def handle(self, *args, files, format, engine=None, jobs=1, **options):
        if jobs < 1 or (jobs > 1 and engine == "both"):
            raise CommandError("--jobs: 1 or more, and 1 with --engine both")
        if not write(validate_paths(files, engine=engine, jobs=jobs), format, self.stdout):
            raise SystemExit(1)
