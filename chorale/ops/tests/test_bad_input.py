"""Hostile and broken files, deposited through the portal and the API: each is rejected in the
compte rendu with a rule and a French reason, the worker never fails, and the good invoices of
the same batch go through."""

import base64
import resource

import pytest
from django.urls import reverse

from chorale.api.services import api_account_create
from chorale.api.tests.conftest import ErpClient
from chorale.flows.models import Flow, FlowStatus, ItemResult
from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET, invoice
from conftest import make_structure, make_user

from . import hostile


@pytest.fixture
def supplier(db):
    structure = make_structure(make_user("f@example.test"), identifier=SUPPLIER_SIRET)
    make_structure(make_user("a@example.test"), identifier=RECIPIENT_SIRET, is_private=False)
    return structure


def batch() -> dict[str, bytes]:
    return {"bonne-1.xml": invoice("OK-1"), **hostile.documents(), "bonne-2.xml": invoice("OK-2")}


def assert_each_refused_with_a_reason(flow: Flow, files: dict[str, bytes], good: set[str]):
    flow.refresh_from_db()
    assert flow.status == FlowStatus.PARTIAL
    items = {item.name: item for item in flow.items.all()}
    assert set(items) == set(files)
    for name, item in items.items():
        if name in good:
            assert item.result == ItemResult.ACCEPTED, (name, item.errors)
            continue
        assert item.result == ItemResult.REJECTED, name
        fatal = [e for e in item.errors if e["severity"] == "fatal"]
        assert fatal, name
        assert all(e["rule"] and len(e["message"]) >= 10 for e in fatal), (name, fatal)
        assert "Traceback" not in str(item.errors)
    assert not [
        i for i in items.values() if any(e["rule"] == "CHORALE-ERREUR-INTERNE" for e in i.errors)
    ]


def test_the_hostile_batch_through_the_portal(client, supplier):
    files = batch()
    client.force_login(supplier.memberships.get().user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("flows:deposit"),
        {
            "structure": supplier.pk,
            "fichier": SimpleUploadedFile("hostile.zip", hostile.zipped(files), "application/zip"),
        },
    )
    assert response.status_code == 302, response.content[:500]
    flow = Flow.objects.get()
    assert_each_refused_with_a_reason(flow, files, {"bonne-1.xml", "bonne-2.xml"})
    page = client.get(reverse("flows:flow", args=[flow.number]))
    assert page.status_code == 200 and "XSD" in page.text


def test_the_hostile_batch_through_the_api(supplier):
    files = batch()
    api = ErpClient(api_account_create(structure=supplier))
    answer = api.call(
        "/cpro/factures/v1/deposer/flux",
        {
            "fichierFlux": base64.b64encode(hostile.zipped(files)).decode(),
            "nomFichier": "hostile.zip",
            "syntaxeFlux": "IN_DP_E1_CII_16B",
        },
    )
    flow = Flow.objects.get(number=answer["numeroFluxDepot"])
    assert_each_refused_with_a_reason(flow, files, {"bonne-1.xml", "bonne-2.xml"})


def test_path_traversal_names_and_zip_bombs_are_refused_without_touching_the_rest(supplier):
    from chorale.flows.services import flow_deposit

    def deposit(content: bytes) -> Flow:
        return flow_deposit(
            user=supplier.memberships.get().user,
            supplier=supplier,
            filename="lot.zip",
            content=content,
            channel="PORTAIL",
        )

    traversal = deposit(
        hostile.zipped({"../../etc/cron.d/x.xml": invoice("T-0"), "ok.xml": invoice("T-1")})
    )
    names = dict(traversal.items.values_list("name", "result"))
    assert names["ok.xml"] == ItemResult.ACCEPTED
    assert [r for n, r in names.items() if n != "ok.xml"] == [ItemResult.REJECTED]
    bomb = hostile.zip_bomb(2 << 30)  # 2 GiB of zeros in a few megabytes
    assert len(bomb) < 10 << 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    flow = deposit(hostile.zipped({"ok.xml": invoice("B-1")})[:0] or bomb)
    growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert flow.items.get().result == ItemResult.REJECTED
    assert growth_mb < 200, f"memory grew by {growth_mb:.0f} MB"


def test_a_50_mb_file_is_rejected_with_its_limit_and_memory_stays_bounded(supplier, settings):
    from chorale.flows.services import flow_deposit

    content = hostile.big_file(50 << 20)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    flow = flow_deposit(
        user=supplier.memberships.get().user,
        supplier=supplier,
        filename="enorme.xml",
        content=content,
        channel="PORTAIL",
    )
    del content
    item = flow.items.get()
    assert item.result == ItemResult.REJECTED
    assert "Mo" in item.errors[0]["message"]
    growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert growth_mb < 400, f"memory grew by {growth_mb:.0f} MB"
    # The API refuses it at the door, with its limit (30 MB of file by default).
    api = ErpClient(api_account_create(structure=supplier))
    answer = api.post(
        "/cpro/factures/v1/deposer/flux",
        {
            "fichierFlux": base64.b64encode(hostile.big_file(31 << 20)).decode(),
            "nomFichier": "enorme.xml",
            "syntaxeFlux": "IN_DP_E1_CII_16B",
        },
    )
    assert answer.status_code in (400, 413)
    assert "Mo" in answer.content.decode()
