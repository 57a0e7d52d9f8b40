"""The EDI tests' SFTP server (in a thread, on a free port) and an ERP's SFTP connection."""

import asyncio
import threading

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from chorale.edi import sftp
from chorale.edi.models import Connection, Stage
from chorale.edi.tests.helpers import free_port, supplier_and_commune


@pytest.fixture
def server(settings, tmp_path):
    settings.CHORALE_EDI_ROOT = str(tmp_path / "edi")
    port = free_port()
    loop = asyncio.new_event_loop()
    key = sftp.host_key(tmp_path / "edi" / "host_key")
    ready = threading.Event()

    def run():
        asyncio.set_event_loop(loop)
        acceptor = loop.run_until_complete(sftp.serve("127.0.0.1", port, key))
        ready.set()
        loop.run_forever()
        acceptor.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(20)
    yield port
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    sftp.close_database()


@pytest.fixture
def erp(tmp_path):
    key = ed25519.Ed25519PrivateKey.generate()
    private = tmp_path / "erp_key"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
    )
    private.chmod(0o600)
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    user, supplier = supplier_and_commune()
    connection = Connection.objects.create(
        structure=supplier,
        declared_by=user,
        label="ERP",
        partner_code="ERP001",
        protocol="SFTP",
        direction="EMISSION",
        ssh_public_key=public.decode(),
        stage=Stage.PRODUCTION,
    )
    connection.private_key = private
    return connection
