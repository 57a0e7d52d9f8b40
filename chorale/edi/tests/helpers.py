"""Helpers of the EDI tests: a free port, an SFTP session, a zip of invoices, waiting."""

import io
import socket
import time
import zipfile
from pathlib import Path

import asyncssh

from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET, invoice
from conftest import make_structure, make_user


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session(port: int, key_path: Path, user: str = "ERP001"):
    return asyncssh.connect(
        "127.0.0.1", port, username=user, client_keys=[str(key_path)], known_hosts=None
    )


def batch(*numbers: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in numbers:
            archive.writestr(f"{number}.xml", invoice(number))
    return buffer.getvalue()


def wait_for(predicate, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "compte-rendu.xsd"


def valid_report(path: Path) -> str:
    """The compte rendu's text, once it is valid against its published schema."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.parse(str(path))
    assert schema.validate(document), schema.error_log
    return path.read_text()


def supplier_and_commune():
    """ATELIER (its gestionnaire declares the connection) and the public recipient COMMUNE:
    (gestionnaire, supplier)."""
    user = make_user("gestionnaire@example.test")
    supplier = make_structure(user, identifier=SUPPLIER_SIRET, company_name="ATELIER")
    make_structure(
        make_user("acheteur@example.test"),
        identifier=RECIPIENT_SIRET,
        company_name="COMMUNE",
        is_private=False,
    )
    return user, supplier
