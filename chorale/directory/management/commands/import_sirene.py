"""manage.py import_sirene PATH… — load INSEE's official stock files into the local register."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from chorale.directory.sirene.importer import import_sirene_file
from chorale.directory.sirene.provision import provision_public_structures
from chorale.directory.sirene.reader import ESTABLISHMENTS, SireneFileError, open_sirene_file


class Command(BaseCommand):
    help = (
        "Import SIRENE stock files (StockUniteLegale, StockEtablissement; CSV, zipped CSV or "
        "Parquet). Idempotent: re-running the same or a newer month updates rows. Legal units "
        "are imported before establishments whatever the order given."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="stock files, in any order")
        parser.add_argument(
            "--only-public",
            action="store_true",
            help="keep public-law bodies only (catégorie juridique 7xxx)",
        )
        parser.add_argument(
            "--departement", help="keep establishments of one département (75, 2A, 974…)"
        )
        parser.add_argument(
            "--create-structures",
            action="store_true",
            help="with --only-public: create a validated public structure, without members, "
            "for each open public establishment the platform lacks (its first gestionnaire "
            "principal is then appointed by an operator)",
        )
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(
        self,
        *args,
        paths,
        only_public,
        departement,
        create_structures,
        batch_size,
        no_progress,
        **options,
    ):
        if create_structures and not only_public:
            raise CommandError("--create-structures needs --only-public")
        try:
            kinds = {path: open_sirene_file(path, batch_size).kind for path in paths}
        except SireneFileError as error:
            raise CommandError(str(error)) from error
        # Units first: the public filter on establishments reads the imported units.
        ordered = sorted(paths, key=lambda p: kinds[p] == ESTABLISHMENTS)
        for path in ordered:
            started = time.perf_counter()
            with tqdm(
                desc=str(path).rsplit("/", 1)[-1],
                unit=" rows",
                unit_scale=True,
                disable=no_progress,
                file=self.stderr,
            ) as bar:
                try:
                    result = import_sirene_file(
                        path,
                        only_public=only_public,
                        department=departement,
                        batch_size=batch_size,
                        on_batch=bar.update,
                    )
                except SireneFileError as error:
                    raise CommandError(str(error)) from error
            seconds = max(time.perf_counter() - started, 1e-9)
            self.stdout.write(
                f"{path}: {result.kind}, {result.read} rows read, {result.written} written, "
                f"{result.skipped} filtered out, {result.read / seconds:,.0f} rows/s"
            )
        if create_structures:
            created = provision_public_structures(department=departement)
            self.stdout.write(f"{created} public structures created (without members)")
