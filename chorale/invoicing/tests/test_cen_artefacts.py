"""The newest CEN EN 16931 rules (1.3.16) judge plain CII and UBL in both engines: the shipped
rule sets are the reviewed ones, the native engine's code lists are theirs (each syntax its own),
and the two engines agree on every file of the corpus, failing ones included."""

import hashlib
import logging
import re

import pytest
from django.core.management import call_command

from chorale.invoicing.formats import detect as d
from chorale.invoicing.formats import read_invoice, write_invoice
from chorale.invoicing.models import EngineDisagreement
from chorale.invoicing.tests.factories import sample_invoice
from chorale.invoicing.validation import native_findings, official
from chorale.invoicing.validation.codelists import code_lists, lists_in
from chorale.invoicing.validation.engine import FATAL
from conftest import CORPUS

README = official.CEN / "README.md"


def test_the_shipped_rule_sets_are_the_reviewed_ones():
    pinned = dict(re.findall(r"\| (EN16931-\w+-validation\.xslt) \| ([0-9a-f]{64}) \|",
                             README.read_text()))  # fmt: skip
    assert sorted(pinned) == ["EN16931-CII-validation.xslt", "EN16931-UBL-validation.xslt"]
    for name, digest in pinned.items():
        assert hashlib.sha256((official.CEN / name).read_bytes()).hexdigest() == digest, name


def test_native_code_lists_are_those_of_the_rule_set_of_the_syntax():
    assert code_lists("CII") == lists_in(official.CEN_CII)
    assert code_lists("UBL") == lists_in(official.CEN_UBL)
    countries = {s: set().union(*code_lists(s)["BR-CL-14"]) for s in ("CII", "UBL")}
    assert "FR" in countries["CII"] and "FR" in countries["UBL"]
    assert countries["CII"] != countries["UBL"]  # 1.3.16: AN in CII, SS in UBL


def test_plain_cii_and_ubl_are_judged_by_the_cen_rule_sets():
    assert official.stylesheet_for(d.UBL_INVOICE, d.EN16931) == official.CEN_UBL
    for profile in (d.XRECHNUNG, d.PEPPOL, d.CIUS, d.OTHER):
        assert official.stylesheet_for(d.CII, profile) == official.CEN_CII
    assert official.stylesheet_for(d.CII, d.BASIC) == official.CII_STYLESHEETS[d.BASIC]


@pytest.mark.parametrize(
    ("syntax", "country", "allowed"),
    [("CII", "AN", True), ("CII", "SS", False), ("UBL_INVOICE", "SS", True),
     ("UBL_INVOICE", "AN", False)],
)  # fmt: skip
def test_both_engines_judge_a_country_by_the_list_of_the_syntax(syntax, country, allowed):
    invoice = sample_invoice()
    invoice.specification_id = "urn:cen.eu:en16931:2017#compliant#urn:example:cius"
    invoice.buyer.address.country = country
    found, model = read_invoice(write_invoice(invoice, syntax))
    native = {f.rule for f in native_findings(found, model) if f.severity == FATAL}
    verdict = {f.rule for f in official.run(found.xml, found.syntax, found.profile)
               if f.severity == FATAL}  # fmt: skip
    assert ("BR-CL-14" in verdict) is not allowed
    assert ("BR-CL-14" in native) == ("BR-CL-14" in verdict)


def test_an_empty_country_element_breaks_br_cl_14_in_both_engines():
    xml = write_invoice(sample_invoice(), "CII").replace(
        b"<ram:CountryID>FR</ram:CountryID>", b"<ram:CountryID/>", 1
    )
    found, model = read_invoice(xml.replace(b"urn:cen.eu:en16931:2017", b"urn:example:other"))
    native = {f.rule for f in native_findings(found, model)}
    verdict = {f.rule for f in official.run(found.xml, found.syntax, found.profile)}
    assert "BR-CL-14" in verdict and "BR-CL-14" in native


@pytest.mark.django_db
def test_validate_both_over_the_whole_corpus_finds_no_disagreement(caplog, capsys):
    files = sorted(str(p) for p in CORPUS.parent.rglob("*") if p.suffix.lower() in (".xml", ".pdf"))
    assert len(files) > 300
    with caplog.at_level(logging.WARNING, logger="chorale"), pytest.raises(SystemExit):
        call_command("validate", "--engine", "both", "--format", "json", *files)  # some fail
    capsys.readouterr()
    assert not [r.getMessage() for r in caplog.records if "disagree" in r.getMessage()]
    assert not EngineDisagreement.objects.exists()
