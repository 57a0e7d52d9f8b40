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
    for name in ("flows:flow", "flows:flow_state", "flows:flow_report"):
        assert client.get(reverse(name, args=[flow.number])).status_code == 404, name
    assert flow.number not in client.get(reverse("flows:flows")).text
    deposit = client.post(
        reverse("flows:deposit"),
        {"structure": supplier.pk, "fichier": SimpleUploadedFile("f.xml", invoice("F-1"))},
    )
    assert deposit.status_code in (400, 403)
    assert Flow.objects.count() == 1


def test_the_flow_page_follows_the_judging_live_then_shows_the_compte_rendu(client, supplier):
    import io
    import zipfile

    from chorale.flows.batch import documents_expected
    from chorale.flows.models import FlowItem

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lot/", b"")  # a folder is no document
        for number in ("F-1", "F-2", "F-3"):
            archive.writestr(f"lot/{number}.xml", invoice(number, buyer="35600000000048"))
    content = buffer.getvalue()
    assert documents_expected(content) == 3
    assert documents_expected(b"PK\x03\x04 broken") == documents_expected(b"<xml/>") == 1
    flow = Flow.objects.create(
        number="CPP0000000000000000000002",
        deposited_by=supplier.memberships.get().user,
        supplier=supplier,
        channel="PORTAIL",
        original_name="lot.zip",
        size=len(content),
        sha256="0" * 64,
    )
    seller = signed_in(client, "fournisseur@example.test")
    state = reverse("flows:flow_state", args=[flow.number])
    page = seller.get(reverse("flows:flow", args=[flow.number])).text
    assert f'data-live-url="{state}"' in page and "chorale/live.js" in page
    assert "Le flux attend son traitement" in page
    listing = seller.get(reverse("flows:flows"), {"page": "1"}).text
    assert 'data-live-url="?page=1&amp;direct=1"' in listing and "En attente" in listing
    # Being judged: documents judged / total, in words and as a progress bar.
    Flow.objects.filter(pk=flow.pk).update(
        status="IN_EN_COURS_TRAITEMENT_CPP", documents_expected=3
    )
    FlowItem.objects.create(
        flow=flow, position=0, name="F-1.xml", sha256="0" * 64, result="REJETEE"
    )
    fragment = seller.get(state).text
    assert fragment.startswith('<div id="flow-state" data-live-url=')
    assert "1 document sur 3 jugé" in fragment and 'max="3" value="1"' in fragment
    table = seller.get(reverse("flows:flows"), {"direct": "1"}).text
    assert table.startswith('<div id="flow-table" data-live-url=') and "1 / 3" in table
    # Done: the compte rendu, and nothing polls any more.
    Flow.objects.filter(pk=flow.pk).update(
        status="IN_REJETE", processed_at=flow.created_at, rejected_count=1
    )
    fragment = seller.get(state).text
    assert "data-live-url" not in fragment and "Factures acceptées : 0 — rejetées : 1." in fragment
    assert "data-live-url" not in seller.get(reverse("flows:flows"), {"direct": "1"}).text
