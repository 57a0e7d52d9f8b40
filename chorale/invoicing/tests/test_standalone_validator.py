"""The validator on its own (chorale/invoicing/validate.py): run as `python -m
chorale.invoicing.validate` without Django settings nor a database, it gives the very reports of
`manage.py validate`, in order, in one process or several (--jobs); `validate_bytes` is the
Python API the platform's deposits share."""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from chorale.invoicing.validate import main, validate_bytes, validate_path
from conftest import CORPUS

from .test_validate_command import run

ROOT = Path(__file__).resolve().parents[3]


def files(tmp_path) -> list[str]:
    chosen = sorted((CORPUS / "en16931" / "examples-cii").glob("*.xml"))[:12]
    chosen += sorted((CORPUS / "en16931" / "examples-ubl").glob("*.xml"))[:12]
    chosen += sorted((CORPUS / "zugferd" / "v2-correct").glob("**/*BASIC*.pdf"))[:2]
    garbage = tmp_path / "rien.txt"
    garbage.write_bytes(b"pas une facture")
    return [str(p) for p in chosen] + [str(garbage), str(tmp_path / "absente.xml")]


def standalone(*args: str) -> subprocess.CompletedProcess:
    """The module in a fresh interpreter, no settings module in its environment."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "chorale.invoicing.validate", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_the_standalone_validator_says_what_manage_py_validate_says(db, tmp_path):
    paths = files(tmp_path)
    alone = standalone("--format", "json", *paths)
    assert alone.returncode == 1, alone.stderr  # the garbage and the missing file
    reports = json.loads(alone.stdout)
    code, platform = run("--format", "json", *paths)
    assert code == 1 and reports == json.loads(platform)
    assert [r["file"] for r in reports] == paths
    assert sum(r["valid"] for r in reports) >= 20
    assert reports[-2]["errors"][0]["rule"] == "format_unsupported"
    assert reports[-1]["errors"][0]["rule"] == "file_unreadable"
    parallel = standalone("--format", "json", "--jobs", "2", *paths)
    assert json.loads(parallel.stdout) == reports  # the same, in the same order
    text = standalone(paths[0])
    assert text.returncode == 0 and text.stdout.endswith(", valide\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_that_stops_reading_ends_the_command_line_quietly(jobs):
    """`chorale-validate … | head -1`: no traceback once the pipe is closed, in one process
    or several."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    paths = [str(p) for p in sorted((CORPUS / "en16931" / "examples-cii").glob("*.xml"))] * 100
    process = subprocess.Popen(
        [sys.executable, "-m", "chorale.invoicing.validate", "--jobs", jobs, *paths],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stdout.readline()
    process.stdout.close()  # as `head -1` does
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 1
    assert b"Traceback" not in errors and b"BrokenPipe" not in errors, errors.decode()


def test_the_command_line_tunes_its_collector_and_allocator_for_many_files():
    """What is alive at start frozen out of the cycle collector's passes, young collections
    rarer, large blocks kept on the heap for the next file (`core.collector`): the command
    line's own process only, never its caller's."""
    import gc

    from chorale.core.collector import YOUNG

    before = gc.get_threshold()
    code = (
        "import gc, resource, sys; from chorale.invoicing import validate\n"
        "def faults():\n    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
        "def read():  # a 4 MB file's bytes, written to\n"
        "    start = faults(); data = b'x' * (4 << 20); return faults() - start\n"
        "read(); fresh = read(); sys.argv = ['x', '--help']\n"
        "try:\n    validate.cli()\nexcept SystemExit:\n    pass\n"
        "read(); kept = read()\n"
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0, fresh > 500, kept < 100)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        check=True,
    )  # fmt: skip
    assert done.stdout.split()[-4:] == [str(YOUNG), "True", "True", "True"]
    assert gc.get_threshold() == before  # this process untouched


def test_the_python_api_and_the_command_line_contract(tmp_path, capsys):
    path = sorted((CORPUS / "en16931" / "examples-ubl").glob("*.xml"))[0]
    report = validate_bytes(path.read_bytes(), name="x.xml")
    assert report.valid and report.syntax.startswith("UBL") and report.file == "x.xml"
    assert validate_path(path).as_dict() == {**report.as_dict(), "file": str(path)}
    refused = validate_bytes(b"<Invoice/>")
    assert not refused.valid and refused.errors[0]["severity"] == "fatal"
    assert main([str(path)]) == 0 and "valide" in capsys.readouterr().out
    assert standalone("--jobs", "0", str(path)).returncode == 2  # a wrong command line
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["chorale-validate"] == "chorale.invoicing.validate:cli"


def test_its_settings_come_from_the_environment_alone_and_from_django_in_the_platform(settings):
    """Standalone, the environment's values (no Django settings read); in the platform,
    Django's, followed as they change (each read is cached by Django until then)."""
    from django.test import override_settings

    from chorale.invoicing.options import option

    path = str(sorted((CORPUS / "en16931" / "examples-ubl").glob("*.xml"))[0])
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    refused = subprocess.run(
        [sys.executable, "-m", "chorale.invoicing.validate", "--format", "json", path],
        cwd=ROOT, env={**env, "CHORALE_MAX_XML_BYTES": "1000"}, capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip
    assert json.loads(refused.stdout)[0]["errors"][0]["rule"] == "xml_too_large"
    settings.CHORALE_FR_RULES = "off"
    assert option("CHORALE_FR_RULES") == "off"
    settings.CHORALE_FR_RULES = "fatal"
    assert option("CHORALE_FR_RULES") == "fatal"
    with override_settings(CHORALE_FR_RULES="warning"):
        assert option("CHORALE_FR_RULES") == "warning"
    assert option("CHORALE_FR_RULES") == "fatal"
