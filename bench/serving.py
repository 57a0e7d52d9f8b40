"""What the benchmarks that serve the site share: their environment, and a gunicorn on a free
loopback port, waited for until it answers."""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def environment(folder: str, database_url: str, **extra: str) -> dict:
    """The variables of a benchmark run (development settings, DEBUG off, quiet logs), also
    set in this process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.development",
        "CHORALE_VAR_DIR": folder,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        **extra,
    }
    os.environ.update(env)
    return env


def django_on(database_url: str | None) -> str:
    """Django set up on `database_url` (else a SQLite file in a temporary folder), migrated;
    returns the folder of the run's local data."""
    folder = tempfile.mkdtemp(prefix="chorale-bench-")
    environment(folder, database_url or f"sqlite:///{folder}/bench.sqlite3")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return folder


def percentiles(label: str, timings_ms: list[float], width: int = 22, digits: int = 2) -> None:
    """One line: the median and the 95th percentile of these timings (milliseconds)."""
    timings = sorted(timings_ms)
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    median = statistics.median(timings)
    print(f"{label:<{width}} median {median:7.{digits}f} ms   p95 {p95:7.{digits}f} ms")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(env: dict, workers: int, threads: int = 4) -> tuple[subprocess.Popen, str]:
    """gunicorn serving the site with `workers` processes; (process, base URL) once it answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--threads", str(threads), "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 (loopback)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer on /healthz")
