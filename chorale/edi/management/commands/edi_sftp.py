"""`manage.py edi_sftp`: the SFTP server of the EDI connections (started by `make run`)."""

import asyncio
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from chorale.edi import sftp


class Command(BaseCommand):
    help = "Serve the EDI connections over SFTP (key-only, one tree per connection)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.CHORALE_EDI_SFTP_HOST)
        parser.add_argument("--port", type=int, default=settings.CHORALE_EDI_SFTP_PORT)

    def handle(self, *args, host: str, port: int, **options):
        key = sftp.host_key(Path(settings.CHORALE_EDI_ROOT) / "host_key")

        async def main():
            await sftp.serve(host, port, key)
            self.stdout.write(f"EDI SFTP on {host}:{port} (root {settings.CHORALE_EDI_ROOT})")
            await sftp.housekeeping()  # forever, beside the server

        asyncio.run(main())
