import json

import pytest
from django.core.management import call_command

from chorale.invoicing.formats import write_invoice
from conftest import CORPUS

from .factories import sample_invoice


def run(*args) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("validate", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue()


def test_json_lists_one_object_per_file_with_its_verdict(tmp_path):
    good = tmp_path / "bonne.xml"
    good.write_bytes(write_invoice(sample_invoice(), "CII"))
    broken_model = sample_invoice()
    broken_model.lines = []
    broken = tmp_path / "cassee.xml"
    broken.write_bytes(write_invoice(broken_model, "UBL_INVOICE"))
    garbage = tmp_path / "rien.txt"
    garbage.write_bytes(b"pas une facture")
    code, output = run(str(good), str(broken), str(garbage), "--format", "json")
    results = json.loads(output)
    assert code == 1
    assert [r["file"] for r in results] == [str(good), str(broken), str(garbage)]
    assert [r["valid"] for r in results] == [True, False, False]
    assert results[0]["syntax"] == "CII" and results[0]["profile"] == "EN16931"
    assert "BR-16" in [e["rule"] for e in results[1]["errors"]]
    assert results[2]["errors"][0]["rule"] == "format_unsupported"
    # each finding: rule id, severity, message, business term and XML path
    assert all(
        set(e) == {"rule", "severity", "message", "term", "path"} for e in results[1]["errors"]
    )


def test_a_syntax_finding_says_where_in_the_xml(tmp_path):
    xml = write_invoice(sample_invoice(), "CII").replace(
        b"<ram:TypeCode>VAT</ram:TypeCode>",
        b"<ram:TypeCode>VAT</ram:TypeCode><ram:TypeCode>VAT</ram:TypeCode>",
        1,
    )
    doubled = tmp_path / "double.xml"
    doubled.write_bytes(xml)
    _, output = run(str(doubled), "--format", "json")
    (result,) = json.loads(output)
    findings = result["errors"] + result["warnings"]
    paths = [e["path"] for e in findings if e["rule"].startswith(("FX-SCH", "CII-"))]
    assert paths and all(p.startswith("/rsm:CrossIndustryInvoice/") for p in paths), result


def test_text_output_and_success_code(tmp_path):
    good = tmp_path / "bonne.xml"
    good.write_bytes(write_invoice(sample_invoice(), "UBL_INVOICE"))
    code, output = run(str(good))
    assert code == 0
    assert "UBL_INVOICE, EN 16931, valide" in output


@pytest.mark.parametrize("missing", ["/nulle/part.xml"])
def test_an_unreadable_path_is_reported_not_raised(missing):
    code, output = run(missing, "--format", "json")
    assert code == 1 and json.loads(output)[0]["errors"][0]["rule"] == "file_unreadable"


def test_the_official_engine_can_be_chosen(tmp_path):
    model = sample_invoice()
    model.currency = "ZZZ"
    path = tmp_path / "devise.xml"
    path.write_bytes(write_invoice(model, "UBL_INVOICE"))
    _, native = run(str(path), "--format", "json", "--engine", "native")
    _, official = run(str(path), "--format", "json", "--engine", "official")
    assert "BR-CL-04" in [e["rule"] for e in json.loads(native)[0]["errors"]]
    assert "BR-CL-04" in [e["rule"] for e in json.loads(official)[0]["errors"]]


def test_no_broken_corpus_file_is_accepted_silently():
    """The corpus's v2-fail files are broken in their XML, their profile or their PDF/A layer:
    each is refused or reported (an error, or a warning such as the line amount that does not
    follow from quantity x net price, CHORALE-MONTANT-LIGNE). The one file whose fault lies in
    its PDF/A layer alone is named: Chorale checks the Factur-X attachment, not PDF/A itself."""
    from pathlib import Path

    folder = CORPUS / "zugferd"
    files = sorted(str(p) for p in (folder / "v2-fail").rglob("*") if p.is_file())
    assert files
    _, output = run(*files, "--format", "json")
    results = json.loads(output)
    silent = {Path(r["file"]).name for r in results if not (r["errors"] or r["warnings"])}
    assert silent == {"ZUGFeRD_2_fully_compliant_complete.pdf"}
    (unpriced,) = [r for r in results if r["file"].endswith("noNetPriceValidation.xml")]
    assert [w["rule"] for w in unpriced["warnings"]] == ["CHORALE-MONTANT-LIGNE"]
