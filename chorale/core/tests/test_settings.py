"""Production settings and the interpreter finder, run as a newcomer's machine would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROD_KEY = "k" * 20 + "-production-secret-for-tests-only-0123456789"


def manage(*args, timeout=120, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' session
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=PROD_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_collects_the_static_files_into_its_hashed_manifest(tmp_path):
    """The production storage post-processes every CSS and JS file: a reference to a file
    that is not shipped (a source map…) would stop the deployment."""
    result = manage(  # (its ~3,500 files compressed by brotli and gzip: 85 to 100 s here)
        "collectstatic",
        "--noinput",
        timeout=600,
        SECRET_KEY=PROD_KEY,
        CHORALE_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_object_storage_is_configured_from_the_environment():
    code = "from django.conf import settings as s; print(s.STORAGES['default']['BACKEND'])"
    s3 = manage(
        "shell", "-c", code, SECRET_KEY=PROD_KEY, CHORALE_STORAGE="s3", CHORALE_S3_BUCKET="b"
    )
    assert s3.stdout.split()[-1] == "storages.backends.s3.S3Storage", s3.stderr
    wrong = manage("check", SECRET_KEY=PROD_KEY, CHORALE_STORAGE="ftp")
    assert "CHORALE_STORAGE must be local or s3" in wrong.stderr


def test_production_refuses_to_start_without_a_real_secret_key():
    result = manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_captcha_test_mode():
    result = manage("check", SECRET_KEY=PROD_KEY, CAPTCHA_TEST_MODE="true")
    assert result.returncode != 0
    assert "CAPTCHA_TEST_MODE is for automated tests only" in result.stderr


def test_production_cookies_are_secure_and_hsts_is_on():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = manage("shell", "-c", code, SECRET_KEY=PROD_KEY)
    assert result.stdout.split()[-4:] == ["True", "True", "True", "False"], result.stderr


def test_a_bad_boolean_in_the_environment_is_reported_by_name():
    result = manage("check", SECRET_KEY=PROD_KEY, CHORALE_STATE_BRANDING="peut-être")
    assert result.returncode != 0
    assert "CHORALE_STATE_BRANDING must be true or false" in result.stderr


def test_find_python_prints_an_interpreter_of_at_least_3_12():
    result = subprocess.run(["sh", "scripts/find-python"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    interpreter = result.stdout.strip()
    version = subprocess.run(
        [interpreter, "-c", "import sys; print(sys.version_info >= (3, 12))"],
        capture_output=True,
        text=True,
    )
    assert version.stdout.strip() == "True"


def test_find_python_explains_when_there_is_none(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    result = subprocess.run(
        ["/bin/sh", "scripts/find-python"],
        cwd=ROOT,
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "needs Python 3.12 or newer" in result.stderr


def test_links_follow_the_port_the_site_serves_unless_the_base_url_is_set():
    code = "from django.conf import settings as s; print(s.CHORALE_BASE_URL)"
    on_8080 = manage("shell", "-c", code, SECRET_KEY=PROD_KEY, PORT="8080")
    assert on_8080.stdout.split()[-1] == "http://127.0.0.1:8080", on_8080.stderr
    public = manage(
        "shell",
        "-c",
        code,
        SECRET_KEY=PROD_KEY,
        PORT="8080",
        CHORALE_BASE_URL="https://factures.example.fr/",
    )
    assert public.stdout.split()[-1] == "https://factures.example.fr", public.stderr
