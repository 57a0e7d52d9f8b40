"""« Factures émises » and « Factures reçues »: what each user may see and do, through the
engine's services (the deposit pages are tested with the flows)."""

import pytest
from django.urls import reverse

from chorale.invoicing.models import InvoiceRecord
from chorale.invoicing.tests.factories import SUPPLIER_SIRET
from chorale.lifecycle.statuses import Status
from chorale.portal.tests.conftest import routed, signed_in
from conftest import add_member, make_structure, make_user


def test_the_supplier_lists_filters_and_exports_its_sent_invoices(client, supplier, recipient):
    routed(supplier, recipient, "F-1")
    routed(supplier, recipient, "F-2")
    signed_in(client, "fournisseur@example.test")
    page = client.get(reverse("portal:invoices_sent"))
    assert page.status_code == 200
    assert "F-1" in page.text and "F-2" in page.text
    filtered = client.get(reverse("portal:invoices_sent"), {"numero": "F-2"})
    assert "F-2" in filtered.text and ">F-1<" not in filtered.text
    export = client.get(reverse("portal:invoices_sent_export", args=["csv"]), {"numero": "F-1"})
    text = export.content.decode("utf-8-sig")
    assert "F-1" in text and "F-2" not in text and "Mise à disposition" in text


def test_a_very_long_list_says_more_than_its_cap_and_pages_up_to_it(
    client, supplier, recipient, monkeypatch
):
    from chorale.core.paging import LargeListPaginator

    monkeypatch.setattr(LargeListPaginator, "CAP", 3)
    for n in range(6):
        routed(supplier, recipient, f"F-{n}")
    signed_in(client, "acheteur@example.test")
    page = client.get(reverse("portal:invoices_received"), {"taille": 5})
    assert "Plus de 3 factures" in page.text and "affinez la liste" in page.text
    assert page.text.count('name="selection"') == 5  # the first page is full
    narrowed = client.get(reverse("portal:invoices_received"), {"numero": "F-4"})
    assert "1 facture" in narrowed.text and "Plus de" not in narrowed.text


def test_the_recipient_acts_and_the_supplier_sees_every_step_in_the_timeline(
    client, supplier, recipient
):
    record = routed(supplier, recipient)
    buyer = signed_in(client, "acheteur@example.test")
    detail = buyer.get(reverse("portal:invoice_received", args=[record.pk]))
    assert detail.status_code == 200 and "Suspendre" in detail.text
    url = reverse("portal:invoice_process", args=[record.pk])
    refused = buyer.post(url, {"statut": Status.SUSPENDED, "motif": ""})
    assert refused.status_code == 400 and "Indiquez le motif" in refused.text
    buyer.post(url, {"statut": Status.SUSPENDED, "motif": "Bon de commande manquant"})
    record.refresh_from_db()
    assert record.status == Status.SUSPENDED

    seller = signed_in(client, "fournisseur@example.test")
    seller.post(
        reverse("portal:invoice_complete", args=[record.pk]), {"commentaire": "BC n° 42 joint"}
    )
    record.refresh_from_db()
    assert record.status == Status.COMPLETED

    buyer = signed_in(client, "acheteur@example.test")
    buyer.post(url, {"statut": Status.SERVICE_DONE})
    missing = buyer.post(url, {"statut": Status.PAYMENT_ORDERED})
    assert "numéro de mandat" in missing.text
    buyer.post(url, {"statut": Status.PAYMENT_ORDERED, "numero_mandat": "M-2026-7"})
    buyer.post(url, {"statut": Status.PAID})
    record.refresh_from_db()
    assert record.status == Status.PAID

    timeline = signed_in(client, "fournisseur@example.test").get(
        reverse("portal:invoice_sent", args=[record.pk])
    )
    for words in (
        "Déposée", "Mise à disposition", "Suspendue", "Bon de commande manquant", "Complétée",
        "Service fait", "Mandatée", "M-2026-7", "Mise en paiement", "211",
    ):  # fmt: skip
        assert words in timeline.text, words


def test_a_stale_action_gets_a_conflict_not_a_silent_overwrite(client, supplier, recipient):
    """Two tabs open on a « mise à disposition » invoice: one suspends it, the other, still
    showing the old status, rejects it — refused, with the status it now has."""
    record = routed(supplier, recipient)
    buyer = signed_in(client, "acheteur@example.test")
    url = reverse("portal:invoice_process", args=[record.pk])
    buyer.post(url, {"statut": Status.SUSPENDED, "motif": "Pièce manquante"})
    stale = buyer.post(
        url, {"statut": Status.REJECTED, "motif": "Doublon", "statut_attendu": Status.AVAILABLE}
    )
    assert stale.status_code == 400 and "a changé de statut" in stale.text
    record.refresh_from_db()
    assert record.status == Status.SUSPENDED


def test_payment_is_hidden_where_the_structure_does_not_report_it(client, supplier, recipient):
    recipient.payment_status_not_reported = True
    recipient.save()
    record = routed(supplier, recipient)
    buyer = signed_in(client, "acheteur@example.test")
    assert (
        "Mise en paiement"
        not in buyer.get(reverse("portal:invoice_received", args=[record.pk])).text.split(
            "Cycle de vie"
        )[0]
    )


@pytest.mark.parametrize("who", ["other structure", "no space", "simple member"])
def test_permission_matrix_of_the_invoicing_spaces(client, supplier, recipient, who):
    """Someone outside the structures, or without the espace, sees none of it (404, or the
    « espace non ouvert » page); every new URL is tried."""
    record = routed(supplier, recipient)
    outsider = make_user("autre@example.test")
    if who == "other structure":
        make_structure(outsider, identifier="11122233300013", is_private=False)
    elif who == "simple member":
        add_member(supplier, outsider)
        add_member(recipient, outsider)
    signed_in(client, "autre@example.test")
    for name, args in [
        ("portal:invoice_sent", [record.pk]),
        ("portal:invoice_sent_download", [record.pk, "xml"]),
        ("portal:invoice_received", [record.pk]),
        ("portal:invoice_received_download", [record.pk, "xml"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in ("portal:invoice_process", "portal:invoice_complete", "portal:invoice_recycle"):
        response = client.post(
            reverse(name, args=[record.pk]), {"statut": Status.REJECTED, "motif": "x"}
        )
        assert response.status_code == 404, name
    assert "F-2026-001" not in client.get(reverse("portal:invoices_sent")).text
    assert "F-2026-001" not in client.get(reverse("portal:invoices_received")).text
    export = client.get(reverse("portal:invoices_received_export", args=["csv"]))
    assert "F-2026-001" not in export.content.decode("utf-8-sig")
    record.refresh_from_db()
    assert record.status == Status.AVAILABLE
    assert InvoiceRecord.objects.count() == 1


def test_bulk_actions_and_group_download_on_a_selection(client, supplier, recipient):
    first, second = routed(supplier, recipient, "F-1"), routed(supplier, recipient, "F-2")
    buyer = signed_in(client, "acheteur@example.test")
    url = reverse("portal:invoices_received_bulk")
    response = buyer.post(
        url, {"selection": [first.pk, second.pk], "operation": Status.ACKNOWLEDGED}, follow=True
    )
    assert "2 factures désormais" in response.text
    first.refresh_from_db()
    assert first.status == Status.ACKNOWLEDGED
    refused = buyer.post(
        url, {"selection": [first.pk], "operation": Status.REJECTED, "motif": ""}, follow=True
    )
    assert "Action refusée pour : F-1" in refused.text
    import io
    import zipfile

    archive = buyer.post(url, {"selection": [first.pk, second.pk], "operation": "xml"})
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert sorted(names) == [f"{SUPPLIER_SIRET}-F-1.xml", f"{SUPPLIER_SIRET}-F-2.xml"]
    # Someone else's selection is ignored, never acted upon.
    make_structure(make_user("autre@example.test"), identifier="11122233300013", is_private=False)
    other = signed_in(client, "autre@example.test")
    other.post(url, {"selection": [second.pk], "operation": Status.REJECTED, "motif": "x"})
    second.refresh_from_db()
    assert second.status == Status.ACKNOWLEDGED


def test_the_feed_links_each_reader_to_its_own_side_of_the_invoice(client, supplier, recipient):
    record = routed(supplier, recipient)
    buyer = signed_in(client, "acheteur@example.test")
    recent = buyer.get(reverse("portal:events_recent"))
    link = reverse("portal:invoice", args=[record.pk])
    assert link in recent.text and "mise à disposition" in recent.text
    assert buyer.get(link)["Location"] == reverse("portal:invoice_received", args=[record.pk])
    seller = signed_in(client, "fournisseur@example.test")
    assert seller.get(link)["Location"] == reverse("portal:invoice_sent", args=[record.pk])
    assert "F-2026-001" in seller.get(reverse("portal:events")).text
    make_user("autre@example.test")
    other = signed_in(client, "autre@example.test")
    assert other.get(link).status_code == 404
    assert "F-2026-001" not in other.get(reverse("portal:events_recent")).text


def test_the_structure_dashboard_counts_amounts_months_and_delay_to_payment(
    client, supplier, recipient
):
    from chorale.lifecycle.services import invoice_process

    paid = routed(supplier, recipient, "F-1")
    routed(supplier, recipient, "F-2")
    buyer_user = recipient.memberships.get().user
    for status, mandate in (
        (Status.SERVICE_DONE, ""),
        (Status.PAYMENT_ORDERED, "M-1"),
        (Status.PAID, ""),
    ):
        invoice_process(
            user=buyer_user, invoice_id=paid.pk, to_status=status, payment_order_number=mandate
        )
    seller = signed_in(client, "fournisseur@example.test")
    page = seller.get(reverse("portal:structure_dashboard"))
    assert page.status_code == 200
    assert "Factures émises" in page.text and "Factures reçues" not in page.text
    assert "Mise en paiement" in page.text and "novembre 2026" in page.text
    assert "sur 1 facture" in page.text  # one invoice put in payment, its delay averaged
    assert "chart.umd.min.js" in page.text
    # Another structure's figures are never shown, whatever the query string says.
    other = make_structure(make_user("autre@example.test"), identifier="11122233300013")
    stranger = signed_in(client, "autre@example.test")
    page = stranger.get(reverse("portal:structure_dashboard"), {"structure": supplier.pk})
    assert other.company_name in page.text and "Mise en paiement" not in page.text


def test_the_dashboard_months_are_the_last_twelve_calendar_months(supplier, recipient):
    import datetime

    from chorale.lifecycle.selectors import invoice_statistics

    InvoiceRecord.objects.filter(pk=routed(supplier, recipient, "F-OLD").pk).update(
        issue_date=datetime.date(2015, 3, 2)
    )
    InvoiceRecord.objects.filter(pk=routed(supplier, recipient, "F-NEW").pk).update(
        issue_date=datetime.date(2026, 2, 27), total_with_vat=120
    )
    by_month = invoice_statistics(
        InvoiceRecord.objects.all(), today=datetime.date(2026, 12, 6)
    ).by_month
    assert [row["month"] for row in by_month][::11] == [
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 1),
    ]
    assert len(by_month) == 12  # the 2015 invoice is not one of them; empty months show 0
    assert [row["count"] for row in by_month] == [0, 1] + [0] * 10
    assert by_month[1]["amount"] == 120


def test_the_invoice_page_shows_amounts_and_codes_in_french_words(client, supplier, recipient):
    from chorale.flows.services import flow_deposit
    from chorale.flows.tests.factories import invoice

    flow_deposit(
        user=supplier.memberships.get().user,
        supplier=supplier,
        filename="f.xml",
        content=invoice("F-WORDS"),
        channel="PORTAIL",
    )
    record = InvoiceRecord.objects.get(number="F-WORDS")
    page = signed_in(client, "fournisseur@example.test").get(
        reverse("portal:invoice_sent", args=[record.pk])
    )
    text = page.text.replace("\xa0", " ")
    assert "<dd>120,00 €</dd>" in text and "<td>50,00 €</td>" in text
    assert "<td>unité</td>" in text and "Taux normal" in text and "<td>20 %</td>" in text
    assert "UN/CEFACT CII, profil EN 16931" in text and "<dd>Facture</dd>" in text
    assert "C62" not in text and "EUR" not in text


def test_the_recipient_filters_what_it_has_not_downloaded_yet(client, supplier, recipient):
    first, second = routed(supplier, recipient, "F-1"), routed(supplier, recipient, "F-2")
    buyer = signed_in(client, "acheteur@example.test")
    buyer.get(reverse("portal:invoice_received_download", args=[first.pk, "xml"]))
    listing = buyer.get(reverse("portal:invoices_received"), {"non_telechargees": "on"})
    assert ">F-2<" in listing.text and ">F-1<" not in listing.text
    first.refresh_from_db()
    downloaded = first.recipient_downloaded_at
    assert downloaded is not None
    # The supplier downloading its own invoice does not count; nor does a second download.
    signed_in(client, "fournisseur@example.test").get(
        reverse("portal:invoice_sent_download", args=[second.pk, "xml"])
    )
    second.refresh_from_db()
    assert second.recipient_downloaded_at is None
    signed_in(client, "acheteur@example.test").get(
        reverse("portal:invoice_received_download", args=[first.pk, "xml"])
    )
    first.refresh_from_db()
    assert first.recipient_downloaded_at == downloaded


def test_completing_with_attachments_shows_them_to_both_sides_only(client, supplier, recipient):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chorale.lifecycle.services import invoice_process

    record = routed(supplier, recipient)
    invoice_process(
        user=recipient.memberships.get().user,
        invoice_id=record.pk,
        to_status=Status.SUSPENDED,
        reason="Bon de livraison manquant",
    )
    seller = signed_in(client, "fournisseur@example.test")
    refused = seller.post(
        reverse("portal:invoice_complete", args=[record.pk]),
        {"commentaire": "Voici", "pieces_jointes": [SimpleUploadedFile("x.exe", b"MZ")]},
    )
    assert refused.status_code == 400 and "type de fichier non accepté" in refused.text
    seller.post(
        reverse("portal:invoice_complete", args=[record.pk]),
        {
            "commentaire": "Bon joint",
            "pieces_jointes": [SimpleUploadedFile("bon.pdf", b"%PDF-1.4 bon", "application/pdf")],
        },
    )
    record.refresh_from_db()
    assert record.status == Status.COMPLETED
    page = signed_in(client, "acheteur@example.test").get(
        reverse("portal:invoice_received", args=[record.pk])
    )
    [attachment_id] = [a.pk for e in record.events.all() for a in e.attachments.all()]
    url = reverse("portal:invoice_attachment", args=[record.pk, attachment_id])
    assert url in page.text
    download = client.get(url)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 bon"
    make_user("autre@example.test")
    assert signed_in(client, "autre@example.test").get(url).status_code == 404


def test_invoice_lists_open_with_20_lines_and_keep_the_users_choice(client, supplier, recipient):
    routed(supplier, recipient)
    seller = signed_in(client, "fournisseur@example.test")
    url = reverse("portal:invoices_sent")
    assert seller.get(url).context["page"].paginator.per_page == 20
    assert seller.get(url, {"taille": "5"}).context["page"].paginator.per_page == 5
    assert seller.get(url).context["page"].paginator.per_page == 5  # remembered
    assert seller.get(url, {"taille": "999"}).context["page"].paginator.per_page == 20
    # Each list keeps its own choice.
    assert seller.get(reverse("flows:flows")).context["page"].paginator.per_page == 5
    page = seller.get(url).text
    assert 'data-select-all="selection"' in page and "Tout sélectionner" in page


def test_a_buyer_filters_only_on_statuses_a_received_invoice_can_have(client, supplier, recipient):
    buyer = signed_in(client, "acheteur@example.test")
    choices = dict(
        buyer.get(reverse("portal:invoices_received")).context["form"].fields["statut"].choices
    )
    assert "MISE_A_DISPOSITION" in choices and "MISE_EN_PAIEMENT" in choices
    assert not {"BROUILLON", "DEPOSEE", "EN_COURS_ACHEMINEMENT"} & choices.keys()
    seller = signed_in(client, "fournisseur@example.test")
    choices = dict(
        seller.get(reverse("portal:invoices_sent")).context["form"].fields["statut"].choices
    )
    assert "DEPOSEE" in choices
