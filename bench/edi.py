"""Benchmark of the EDI connections: 10 000 invoices dropped over SFTP in 100 zip files, beside
the same invoices deposited through the API (`deposer/flux`, what an ERP would use instead),
and AS2 messages sent in parallel.

    .venv/bin/python bench/edi.py [--files 100 --per-file 100 --workers 2 --as2 200
                                   --as2-clients 8] [--database-url URL]

Prints, for SFTP and the API side by side: the upload time, files/s taken, invoices/s end to
end (dropped → judged → routed, all flows final), and the SFTP server's peak RSS; for AS2:
messages/s and the latency of a signed, encrypted message and its signed MDN. Without
--database-url a SQLite file in a temporary folder is used; a PostgreSQL database must exist
and be empty.
"""

import argparse
import asyncio
import base64
import io
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from pathlib import Path

from api import call, token
from serving import environment, free_port, gunicorn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def batches(prefix: str, files: int, per_file: int) -> list[bytes]:
    from chorale.invoicing.formats import write_invoice
    from chorale.invoicing.tests.factories import sample_invoice

    made = []
    for f in range(files):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for n in range(per_file):
                number = f"{prefix}-{f:03d}-{n:04d}"
                archive.writestr(f"{number}.xml", write_invoice(sample_invoice(number), "CII"))
        made.append(buffer.getvalue())
    return made


def until_final(prefix: str, expected: int, started: float) -> float:
    """Seconds from `started` until every flow is final and the invoices are routed."""
    from chorale.flows.models import FINAL_STATUSES, Flow
    from chorale.invoicing.models import InvoiceRecord

    while True:
        pending = Flow.objects.exclude(status__in=FINAL_STATUSES).exists()
        routed = InvoiceRecord.objects.filter(
            number__startswith=f"{prefix}-", status="MISE_A_DISPOSITION"
        ).count()
        if not pending and routed >= expected:
            return time.perf_counter() - started
        if (
            not pending
            and Flow.objects.filter(original_name__startswith=prefix).count()
            and (time.perf_counter() - started > 600)
        ):
            raise SystemExit(f"only {routed} of {expected} invoices routed")
        time.sleep(0.2)


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def sftp_round(port: int, key: Path, contents: list[bytes], sessions: int = 4) -> float:
    import asyncssh

    async def one(indexes):
        async with (
            asyncssh.connect(
                "127.0.0.1", port, username="BEN001", client_keys=[str(key)], known_hosts=None
            ) as conn,
            conn.start_sftp_client() as client,
        ):
            for i in indexes:
                async with client.open(f"depot/SFTP-{i:03d}.zip", "wb") as remote:
                    await remote.write(contents[i])

    async def run():
        groups = [range(s, len(contents), sessions) for s in range(sessions)]
        await asyncio.gather(*(one(g) for g in groups))

    started = time.perf_counter()
    asyncio.run(run())
    return time.perf_counter() - started


def as2_round(base: str, messages: int, clients: int, partner_key: bytes) -> tuple[float, list]:
    from chorale.edi import as2
    from chorale.invoicing.formats import write_invoice
    from chorale.invoicing.tests.factories import sample_invoice

    org = as2.Organization(as2_name="BENCH-AS2", sign_key=partner_key, decrypt_key=partner_key)
    chorale = as2.Partner(
        as2_name="CHORALE", verify_cert=as2.certificate_pem(), encrypt_cert=as2.certificate_pem(),
        sign=True, encrypt=True, enc_alg="aes_256_cbc", mdn_mode="SYNC", mdn_digest_alg="sha256",
    )  # fmt: skip
    latencies: list[float] = []
    lock = threading.Lock()

    def send(index: int) -> None:
        for n in range(index, messages, clients):
            message = as2.Message(sender=org, receiver=chorale)
            content = write_invoice(sample_invoice(f"AS2-{n:05d}"), "CII")
            message.build(content, filename=f"AS2-{n:05d}.xml", content_type="application/xml")
            headers = {k: " ".join(str(v).split()) for k, v in message.headers.items()}
            request = urllib.request.Request(  # noqa: S310 (loopback)
                f"{base}/edi/as2/", data=message.content, headers=headers
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
                raw = b"".join(f"{k}: {v}\r\n".encode() for k, v in answer.getheaders())
                raw += b"\r\n" + answer.read()
            elapsed = time.perf_counter() - started
            status, detail = as2.Mdn().parse(raw, find_message_cb=lambda mid, r, m=message: m)
            if status != "processed":
                raise SystemExit(f"AS2 message refused: {status} {detail}")
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--per-file", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--as2", type=int, default=200, help="AS2 messages (one invoice each)")
    parser.add_argument("--as2-clients", type=int, default=8)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="chorale-edi-")
    env = environment(
        folder,
        options.database_url or f"sqlite:///{folder}/edi.sqlite3",
        CHORALE_API_RATE="1000000/min",
        CHORALE_EDI_ROOT=f"{folder}/edi",
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--force", verbosity=0)
    import asyncssh

    from chorale.accounts.models import NotificationSettings, User
    from chorale.api.services import api_account_create
    from chorale.edi.models import Connection, Stage
    from chorale.edi.tests.test_as2 import key_pair
    from chorale.structures.models import Structure

    for user in User.objects.all():  # a body receiving thousands a day reads a daily digest
        NotificationSettings.objects.update_or_create(user=user, defaults={"daily_digest": True})
    supplier = Structure.objects.get(identifier="98765432400019")
    user = supplier.memberships.first().user
    ssh_key = asyncssh.generate_private_key("ssh-ed25519")
    key_path = Path(folder) / "erp_key"
    ssh_key.write_private_key(str(key_path))
    partner_key, partner_cert = key_pair("BENCH-AS2")
    common = {"structure": supplier, "declared_by": user, "direction": "EMISSION",
              "returns": ["CR"], "stage": Stage.PRODUCTION}  # fmt: skip
    Connection.objects.create(
        label="ERP en SFTP", partner_code="BEN001", protocol="SFTP",
        ssh_public_key=ssh_key.export_public_key().decode(), **common,
    )  # fmt: skip
    Connection.objects.create(
        label="ERP en AS2", partner_code="BEN002", protocol="AS2", as2_identifier="BENCH-AS2",
        as2_url="http://127.0.0.1:9/as2", as2_certificate=partner_cert.decode(),
        **{**common, "returns": []},
    )  # fmt: skip
    total = options.files * options.per_file
    print(f"preparing {options.files} zip files of {options.per_file} invoices, twice …")
    sftp_files = batches("SFTP", options.files, options.per_file)
    api_files = batches("API", options.files, options.per_file)
    sftp_port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "edi_sftp", "--port", str(sftp_port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--no-startup-delay", "--sweep-every", "0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(options.workers)
    ]
    web, base = gunicorn(env, 2)
    try:
        time.sleep(2)  # the SFTP server listening
        engine = "PostgreSQL" if options.database_url else "SQLite"
        print(f"{engine}, {options.workers} task workers, {total} invoices per channel")
        from chorale.edi.models import ReceivedFile

        started = time.perf_counter()
        upload = sftp_round(sftp_port, key_path, sftp_files)
        while ReceivedFile.objects.filter(connection__partner_code="BEN001").count() < len(
            sftp_files
        ):
            time.sleep(0.05)
        taken = time.perf_counter() - started
        end_to_end = until_final("SFTP", total, started)
        rss = peak_rss_mib(server.pid)
        print(
            f"{'SFTP (4 sessions)':<22} upload {upload:6.1f} s   {len(sftp_files) / taken:6.1f} "
            f"files/s taken   {total / end_to_end:7.1f} invoices/s end to end   "
            f"server peak RSS {rss:.0f} MiB"
        )
        headers = token(base, api_account_create(structure=supplier))
        flux = f"{base}/cpro/factures/v1/deposer/flux"
        started = time.perf_counter()
        for i, content in enumerate(api_files):
            body = {
                "fichierFlux": base64.b64encode(content).decode(),
                "nomFichier": f"API-{i:03d}.zip",
                "syntaxeFlux": "IN_DP_E1_CII_16B",
            }
            _seconds, data = call(flux, body, headers)
            assert data["codeRetour"] == 0, data
        upload = time.perf_counter() - started
        end_to_end = until_final("API", total, started)
        print(
            f"{'API deposer/flux':<22} upload {upload:6.1f} s   {len(api_files) / upload:6.1f} "
            f"files/s taken   {total / end_to_end:7.1f} invoices/s end to end"
        )
        seconds, latencies = as2_round(
            base, options.as2, options.as2_clients, partner_key + partner_cert
        )
        cuts = statistics.quantiles(latencies, n=100)
        print(
            f"{'AS2 (' + str(options.as2_clients) + ' clients)':<22} {options.as2} messages "
            f"{options.as2 / seconds:6.1f}/s   signed MDN p50 "
            f"{statistics.median(latencies) * 1000:6.0f} ms   p95 {cuts[94] * 1000:6.0f} ms"
        )
        until_final("AS2", options.as2, started)
    finally:
        for process in (server, web, *workers):
            process.terminate()
        for process in (server, web, *workers):
            process.wait(30)


if __name__ == "__main__":
    main()
