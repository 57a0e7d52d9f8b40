"""The official rules ahead of time (`validation/generated/`): each module is exactly what
`python -m chorale.invoicing.validation.generate` writes from the stylesheet today, so a new
official release or a change of the translation shows as a diff to review; the engine loads
them instead of reading the stylesheets, and says which rules no XPath 1.0 here says."""

import subprocess
import sys
from pathlib import Path

from chorale.invoicing.validation import generate, generated, structure
from chorale.invoicing.validation.official import CEN_UBL, CII_STYLESHEETS
from chorale.invoicing.validation.translate import describe

ROOT = Path(__file__).resolve().parents[3]


def test_the_generated_modules_are_what_the_stylesheets_give_today():
    assert generate.main(["--check"]) == 0  # else: regenerate, review the diff
    for stylesheet in generate.STYLESHEETS:
        assert generated.load(stylesheet) == describe(stylesheet), stylesheet


def test_a_stale_module_is_caught(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "factur_x_1_09_minimum.py"
    stale.write_text((generate.FOLDER / stale.name).read_text().replace("FX-SCH-A-", "XX-", 1))
    for name in {generated.module_name(s) for s in generate.STYLESHEETS} - {stale.stem}:
        (tmp_path / f"{name}.py").write_text((generate.FOLDER / f"{name}.py").read_text())
    monkeypatch.setattr(generate, "FOLDER", tmp_path)
    assert generate.main(["--check"]) == 1
    assert "factur_x_1_09_minimum.py" in capsys.readouterr().out


def test_the_engine_runs_from_them_and_lists_what_xpath_1_cannot_say():
    minimum = CII_STYLESHEETS["MINIMUM"]
    assert generated.load(minimum).sha256 == describe(minimum).sha256
    rules = structure.ruleset(CEN_UBL)
    assert rules.patterns and rules.skipped == frozenset()  # all said, or by a Python rule
    missing = generate.untranslated(CII_STYLESHEETS["EXTENDED"])
    assert "BR-FXEXT-S-08ini" in missing  # a tolerance: the official engine judges it
    assert generated.load("nowhere/unknown.xsl") is None  # then read from the stylesheet


def test_the_command_runs_on_its_own():
    done = subprocess.run(
        [sys.executable, "-m", "chorale.invoicing.validation.generate", "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
