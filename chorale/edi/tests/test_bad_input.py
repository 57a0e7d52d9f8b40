"""What goes wrong on an EDI connection, each answered clearly with the server still up and
nothing half-processed or lost: an upload cut short, a file past the largest deposit, an empty
file, a file in no known syntax, a zip of zips, and a crash while a file is taken."""

import asyncio
import io
import zipfile

import asyncssh
import pytest

from chorale.edi import files
from chorale.edi.models import ReceivedFile
from chorale.edi.tests.helpers import batch, session, valid_report, wait_for
from chorale.flows.models import Flow
from chorale.flows.tests.factories import invoice
from chorale.invoicing.models import InvoiceRecord

pytestmark = pytest.mark.django_db(transaction=True)


def retour(tmp_path, name: str):
    return tmp_path / "edi" / "ERP001" / "retour" / f"CR_{name}.xml"


def put(port, key, name: str, content: bytes) -> None:
    async def run():
        async with (
            session(port, key) as conn,
            conn.start_sftp_client() as client,
            client.open(f"depot/{name}", "wb") as remote,
        ):
            await remote.write(content)

    asyncio.run(run())


def test_an_upload_cut_short_is_refused_and_removed(server, erp, tmp_path):
    async def cut():
        conn = await session(server, erp.private_key)
        client = await conn.start_sftp_client()
        remote = await client.open("depot/lot.zip", "wb")
        await remote.write(batch("C-1")[:100])  # the session ends with the file still open
        conn.abort()

    asyncio.run(cut())
    report = retour(tmp_path, "lot.zip")
    assert wait_for(report.exists)
    assert "Fichier incomplet" in valid_report(report)
    assert not (tmp_path / "edi" / "ERP001" / "depot" / "lot.zip").exists()
    assert not ReceivedFile.objects.exists() and not Flow.objects.exists()


def test_a_file_past_the_largest_deposit_is_cut_refused_and_the_server_stays_up(
    server, erp, tmp_path, settings
):
    settings.CHORALE_MAX_DEPOSIT_BYTES = 20_000
    with pytest.raises(asyncssh.SFTPFailure):
        put(server, erp.private_key, "big.xml", b"<x>" + b"a" * 50_000 + b"</x>")
    report = retour(tmp_path, "big.xml")
    assert wait_for(report.exists) and "taille maximale" in report.read_text()
    assert not (tmp_path / "edi" / "ERP001" / "depot" / "big.xml").exists()
    put(server, erp.private_key, "ok.xml", invoice("OK-1"))  # the next file goes through
    assert wait_for(lambda: InvoiceRecord.objects.filter(number="OK-1").exists())


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("vide.xml", b"", "vide"),
        ("notes.txt", b"ceci n'est pas une facture", "IN_REJETE"),
    ],
)
def test_empty_and_unknown_files_get_a_refusal(server, erp, tmp_path, name, content, expected):
    put(server, erp.private_key, name, content)
    assert wait_for(lambda: ReceivedFile.objects.exists())
    received = ReceivedFile.objects.get()
    report = retour(tmp_path, received.flow_number or name)
    assert wait_for(report.exists)
    assert expected in report.read_text()
    assert not InvoiceRecord.objects.exists()


def test_a_zip_of_zips_is_refused_with_its_reason(server, erp, tmp_path):
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("interieur.zip", batch("Z-1"))
    put(server, erp.private_key, "gigogne.zip", outer.getvalue())
    assert wait_for(lambda: Flow.objects.filter(processed_at__isnull=False).exists())
    flow = Flow.objects.get()
    report = retour(tmp_path, flow.number)
    assert wait_for(report.exists)
    text = valid_report(report)
    assert "<Etat>IN_REJETE</Etat>" in text and "interieur.zip" in text
    assert not InvoiceRecord.objects.exists()


def test_a_crash_while_taking_a_file_loses_nothing(server, erp, tmp_path, monkeypatch):
    real = files.flow_deposit
    crashes = []

    def crash_once(**kwargs):
        if not crashes:
            crashes.append(1)
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(files, "flow_deposit", crash_once)
    put(server, erp.private_key, "f.xml", invoice("K-1"))
    assert wait_for(lambda: crashes)
    dropped = tmp_path / "edi" / "ERP001" / "depot" / "f.xml"
    assert dropped.exists() and not ReceivedFile.objects.exists()  # rolled back, kept
    assert files.sweep() == 1  # the next sweep takes it
    assert InvoiceRecord.objects.filter(number="K-1").exists() and not dropped.exists()
