"""Benchmark of what one tenant's hostile deposit costs everyone: the peak memory of a worker
given a zip bomb, an oversized batch and a large ordinary batch, beside the peak of what a
user would otherwise do with the same files (unzip them in memory); then the time a flow
killed with its worker takes to be resumed by another worker.

    .venv/bin/python bench/hostile.py [--skip-resume]

A SQLite file in a temporary folder; one `manage.py worker` process per case, its peak RSS read
from the kernel (wait4). The resumption uses the default lease (CHORALE_FLOW_LEASE_SECONDS=60)
and sweep (every 20 s).
"""

import argparse
import io
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from serving import environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MB = 1024 * 1024

NAIVE = """
import sys, zipfile
archive = zipfile.ZipFile(sys.argv[1])
contents = {m.filename: archive.read(m) for m in archive.infolist()}
print(sum(len(c) for c in contents.values()))
"""


def zip_of(members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def ordinary(prefix: str) -> bytes:
    from chorale.invoicing.formats import write_invoice
    from chorale.invoicing.tests.factories import sample_invoice

    return zip_of(
        (f"{prefix}-{n:05d}.xml", write_invoice(sample_invoice(f"{prefix}-{n:05d}"), "CII"))
        for n in range(2000)
    )


def cases() -> list[tuple[str, bytes]]:
    bomb = zip_of((f"facture-{n}.xml", b"\0" * (64 * MB)) for n in range(16))
    oversized = zip_of((f"facture-{n}.xml", b" " * (40 * MB)) for n in range(30))
    return [
        ("zip bomb, 16 x 64 MB", bomb),
        ("30 members of 40 MB", oversized),
        ("2 000 ordinary invoices", ordinary("F")),
    ]


def worker(env: dict, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-startup-delay", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def peak_mib(process: subprocess.Popen) -> int:
    """The process's peak resident memory (VmHWM, sampled until it exits). Not wait4's
    ru_maxrss: on Linux it also counts what the parent held when it forked the child."""
    peak = 0
    status = Path(f"/proc/{process.pid}/status")
    while process.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) // 1024)
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    return peak


def deposit(name: str, content: bytes):
    from chorale.flows.services import flow_deposit
    from chorale.structures.models import Structure

    supplier = Structure.objects.get(identifier="98765432400019")
    return flow_deposit(
        user=supplier.memberships.get().user,
        supplier=supplier,
        filename=name,
        content=content,
        channel="API",
    )


def memory(env: dict, folder: str) -> None:
    from chorale.flows.models import Flow

    print(f"{'deposit':<26} {'zip size':>9} {'expands to':>11} {'worker peak':>12} "
          f"{'unzip in memory':>16}  verdict")  # fmt: skip
    for label, content in cases():
        path = Path(folder) / "lot.zip"
        path.write_bytes(content)
        expanded = sum(m.file_size for m in zipfile.ZipFile(path).infolist())
        naive = subprocess.Popen(
            [sys.executable, "-c", NAIVE, str(path)], stdout=subprocess.DEVNULL
        )
        naive_peak = peak_mib(naive)
        flow = deposit("lot.zip", content)
        process = worker(env, "--batch", "--sweep-every", "0")
        peak = peak_mib(process)
        flow = Flow.objects.get(pk=flow.pk)
        first = flow.items.order_by("position").first()
        reason = (first.errors[0]["message"][:60] + "…") if first and first.errors else ""
        verdict = f"{flow.status} {flow.accepted_count}/{flow.items.count()} {reason}"
        print(f"{label:<26} {len(content) / MB:>7.1f}MB {expanded / MB:>9,.0f}MB "
              f"{peak:>9} MiB {naive_peak:>12} MiB  {verdict}")  # fmt: skip


def resume(env: dict) -> None:
    """Kill the worker mid-flow; time until another worker takes the flow up again."""
    from chorale.flows.models import FINAL_STATUSES, Flow

    flow = deposit("reprise.zip", ordinary("R"))
    first = worker(env)
    while not Flow.objects.get(pk=flow.pk).items.exists():
        time.sleep(0.2)
    time.sleep(1)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = time.monotonic()
    judged = Flow.objects.get(pk=flow.pk).items.count()
    second = worker(env)  # started at once, as a supervisor would restart it
    try:
        while Flow.objects.get(pk=flow.pk).items.count() == judged:
            time.sleep(0.2)
        resumed = time.monotonic() - killed_at
        while Flow.objects.get(pk=flow.pk).status not in FINAL_STATUSES:
            time.sleep(0.5)
        done = time.monotonic() - killed_at
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait()
    flow = Flow.objects.get(pk=flow.pk)
    print(
        f"killed after {judged} of 2000 documents; resumed by another worker {resumed:.0f} s "
        f"after the kill (lease 60 s, sweep every 20 s); flow {flow.status} "
        f"{flow.accepted_count}/2000 after {done:.0f} s, {flow.processing_attempts} starts"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-resume", action="store_true")
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="chorale-hostile-")
    env = environment(folder, f"sqlite:///{folder}/hostile.sqlite3")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--force", verbosity=0)
    memory(env, folder)
    if not options.skip_resume:
        resume(env)


if __name__ == "__main__":
    main()
