"""« Déposer une facture » and « Suivi des flux » pages: a flow number at once, the compte rendu
with every error on the page, and nothing of another structure's flows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chorale.accounts.models import User
from chorale.flows.models import Flow
from chorale.flows.processing import flow_process
from conftest import add_member, make_structure, make_user

from .factories import SUPPLIER_SIRET, invoice


@pytest.fixture
def supplier(db):
    return make_structure(
        make_user("fournisseur@example.test"), identifier=SUPPLIER_SIRET, company_name="ATELIER"
    )


def signed_in(client, email):
    client.force_login(User.objects.get(email=email))
    return client


def test_deposit_page_gives_a_flow_number_and_the_report_shows_every_error(client, supplier):
    seller = signed_in(client, "fournisseur@example.test")
    upload = SimpleUploadedFile("facture.xml", invoice("F-9", buyer="35600000000048"))
    response = seller.post(reverse("flows:deposit"), {"structure": supplier.pk, "fichier": upload})
    flow = Flow.objects.get()
    assert response.status_code == 302 and flow.number in response["Location"]
    flow_process(flow.pk)
    page = seller.get(reverse("flows:flow", args=[flow.number]))
    assert "Rejetée" in page.text and "CHORALE-" in page.text
    assert flow.number in seller.get(reverse("flows:flows")).text


def test_a_deposit_over_the_size_limit_is_refused_on_the_page(client, supplier, settings):
    settings.CHORALE_MAX_DEPOSIT_BYTES = 100
    seller = signed_in(client, "fournisseur@example.test")
    response = seller.post(
        reverse("flows:deposit"),
        {"structure": supplier.pk, "fichier": SimpleUploadedFile("f.xml", b"x" * 200)},
    )
    assert response.status_code == 400 and "taille maximale" in response.text
    assert not Flow.objects.exists()


@pytest.mark.parametrize("who", ["other structure", "no space", "simple member"])
def test_permission_matrix_of_the_flow_pages(client, supplier, who):
    flow = Flow.objects.create(
        number="CPP0000000000000000000001",
        deposited_by=supplier.memberships.get().user,
        supplier=supplier,
        channel="PORTAIL",
        original_name="f.xml",
        size=1,
        sha256="0" * 64,
    )
    outsider = make_user("autre@example.test")
    if who == "other structure":
        make_structure(outsider, identifier="11122233300013")
    elif who == "simple member":
        add_member(supplier, outsider)
    signed_in(client, "autre@example.test")
    for name in ("flows:flow", "flows:flow_report"):
        assert client.get(reverse(name, args=[flow.number])).status_code == 404, name
    assert flow.number not in client.get(reverse("flows:flows")).text
    deposit = client.post(
        reverse("flows:deposit"),
        {"structure": supplier.pk, "fichier": SimpleUploadedFile("f.xml", invoice("F-1"))},
    )
    assert deposit.status_code in (400, 403)
    assert Flow.objects.count() == 1
