"""The EDI SFTP server, end to end with real clients (asyncssh, and Debian's OpenSSH `sftp`):
a connection signs in with its key only, sees only its own tree, drops invoices in depot/ and
finds their compte rendu in retour/; the invoices reach the recipient; the same file twice is
taken once; a connection in qualification is judged and answered, never routed."""

import asyncio
import shutil
import subprocess
import time
from pathlib import Path

import asyncssh
import pytest

from chorale.edi.models import Connection, ReceivedFile, Stage
from chorale.edi.tests.helpers import batch, session, valid_report, wait_for
from chorale.flows.models import Flow
from chorale.flows.tests.factories import RECIPIENT_SIRET, invoice
from chorale.invoicing.models import InvoiceRecord
from conftest import make_structure, make_user, missing_tool

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_zip_dropped_over_sftp_reaches_the_recipient_and_its_report_comes_back(
    server, erp, tmp_path
):
    local = tmp_path / "lot.zip"
    local.write_bytes(batch("F-1", "F-2"))

    async def drop():
        async with session(server, erp.private_key) as conn, conn.start_sftp_client() as client:
            assert sorted(await client.listdir(".")) == [".", "..", "annuaire", "depot", "retour"]
            await client.put(str(local), "depot/lot.zip")

    asyncio.run(drop())
    assert wait_for(lambda: InvoiceRecord.objects.count() == 2)
    record = InvoiceRecord.objects.get(number="F-1")
    assert record.recipient.identifier == RECIPIENT_SIRET and record.status == "MISE_A_DISPOSITION"
    flow = Flow.objects.get()
    assert (flow.channel, flow.mode, flow.trial) == ("EDI", "DEPOT_EDI", False)
    report = Path(tmp_path / "edi" / "ERP001" / "retour" / f"CR_{flow.number}.xml")
    assert wait_for(report.exists)
    text = valid_report(report)
    assert "<Etat>IN_INTEGRE</Etat>" in text and "<NombreFacturesAcceptees>2<" in text

    async def fetch():
        async with session(server, erp.private_key) as conn, conn.start_sftp_client() as client:
            return await client.listdir("retour")

    assert f"CR_{flow.number}.xml" in asyncio.run(fetch())
    assert not list((tmp_path / "edi" / "ERP001" / "depot").iterdir())  # taken, then removed


def test_the_same_file_twice_and_a_temporary_name_are_taken_once(server, erp, tmp_path):
    local = tmp_path / "f.xml"
    local.write_bytes(invoice("F-9"))

    async def put(name, rename_to=None):
        async with session(server, erp.private_key) as conn, conn.start_sftp_client() as client:
            await client.put(str(local), name)
            if rename_to:
                await client.rename(name, rename_to)

    asyncio.run(put("depot/f.xml.part"))  # incomplete: not taken
    time.sleep(0.3)
    assert not ReceivedFile.objects.exists()
    asyncio.run(put("depot/f.xml.tmp", rename_to="depot/f.xml"))  # complete once renamed
    asyncio.run(put("depot/f.xml"))  # a retry of the same upload
    assert wait_for(lambda: ReceivedFile.objects.count() == 1)
    time.sleep(0.5)
    assert Flow.objects.count() == 1 and ReceivedFile.objects.count() == 1


def test_only_the_declared_key_signs_in_and_each_sees_only_its_own_tree(server, erp, tmp_path):
    stranger = tmp_path / "stranger_key"
    asyncssh.generate_private_key("ssh-ed25519").write_private_key(str(stranger))

    async def attempt(user, key):
        async with session(server, key, user) as conn, conn.start_sftp_client() as client:
            return await client.listdir("/")

    with pytest.raises(asyncssh.PermissionDenied):
        asyncio.run(attempt("ERP001", stranger))
    with pytest.raises(asyncssh.PermissionDenied):
        asyncio.run(attempt("NOP999", erp.private_key))

    async def escape():
        async with session(server, erp.private_key) as conn, conn.start_sftp_client() as client:
            assert "ERP001" not in await client.listdir("/..")  # the tree is the root
            with pytest.raises(asyncssh.SFTPPermissionDenied):
                await client.put(str(erp.private_key), "retour/x.xml")
            with pytest.raises(asyncssh.SFTPError):
                await client.put(str(erp.private_key), "../../x.xml")

    asyncio.run(escape())


def test_a_connection_in_qualification_is_answered_never_routed(server, erp, tmp_path):
    Connection.objects.filter(pk=erp.pk).update(stage=Stage.QUALIFICATION)
    local = tmp_path / "f.xml"
    local.write_bytes(invoice("Q-1"))

    async def drop():
        async with session(server, erp.private_key) as conn, conn.start_sftp_client() as client:
            await client.put(str(local), "depot/q.xml")

    asyncio.run(drop())
    assert wait_for(lambda: Flow.objects.filter(processed_at__isnull=False).exists())
    flow = Flow.objects.get()
    assert flow.trial and flow.accepted_count == 1
    assert not InvoiceRecord.objects.exists()
    report = tmp_path / "edi" / "ERP001" / "retour" / f"CR_{flow.number}.xml"
    assert wait_for(report.exists) and "<Qualification>true<" in report.read_text()


def test_debians_openssh_client_drops_a_file(server, erp, tmp_path):
    if not shutil.which("sftp"):
        missing_tool(
            "the SFTP journey needs Debian's OpenSSH client (apt-get install openssh-client)"
        )
    local = tmp_path / "o.xml"
    local.write_bytes(invoice("O-1"))
    commands = tmp_path / "batch"
    commands.write_text(f"put {local} depot/o.xml\nls retour\n")
    result = subprocess.run(
        ["sftp", "-b", str(commands), "-i", str(erp.private_key), "-P", str(server),
         "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
         "-o", "BatchMode=yes", "ERP001@127.0.0.1"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert wait_for(lambda: InvoiceRecord.objects.filter(number="O-1").exists())


def test_an_operator_deposits_for_the_suppliers_that_gave_it_a_mandate_only(server, erp, tmp_path):
    """The connection ERP001 belongs to an opérateur de dématérialisation (ATELIER here): the
    invoices of a supplier that mandated it are accepted under that supplier's name; those of
    a supplier without a mandate are rejected with the reason."""
    from chorale.edi.models import Mandate
    from chorale.invoicing.formats import write_invoice
    from chorale.invoicing.tests.factories import sample_invoice

    mandating = make_structure(
        make_user("mandant@example.test"), identifier="44306184100047", company_name="MANDANT"
    )
    make_structure(
        make_user("autre@example.test"), identifier="73282932000074", company_name="SANS MANDAT"
    )
    Mandate.objects.create(
        connection=erp, supplier=mandating, granted_by=mandating.memberships.get().user
    )
    for number, seller in (("M-1", "44306184100047"), ("N-1", "73282932000074")):
        (tmp_path / f"{number}.xml").write_bytes(
            write_invoice(sample_invoice(number, seller=seller), "CII")
        )

    async def drop():
        async with session(server, erp.private_key) as conn, conn.start_sftp_client() as client:
            for number in ("M-1", "N-1"):
                await client.put(str(tmp_path / f"{number}.xml"), f"depot/{number}.xml")

    asyncio.run(drop())
    assert wait_for(lambda: Flow.objects.filter(processed_at__isnull=False).count() == 2)
    record = InvoiceRecord.objects.get()
    assert (record.number, record.supplier, record.supplier_name) == ("M-1", mandating, "MANDANT")
    refused = Flow.objects.get(original_name="N-1.xml").items.get()
    assert [e["rule"] for e in refused.errors] == ["CHORALE-FOURNISSEUR-SANS-MANDAT"]
    assert "mandat de dépôt" in refused.errors[0]["message"]
