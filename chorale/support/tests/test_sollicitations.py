"""Sollicitations: a supplier asks the recipient of its invoice, the recipient answers, either
side closes or reopens; e-mails and feed entries follow each step; nobody else sees any of it."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chorale.core.errors import BusinessError
from chorale.core.models import Event
from chorale.invoicing.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET
from chorale.structures.models import Space, SpaceSubscription
from chorale.support import services
from chorale.support.models import Category, Side, Status, SupportRequest
from conftest import add_member, make_invoice, make_structure, make_user


@pytest.fixture
def supplier(db):
    return make_structure(
        make_user("fournisseur@example.test", first_name="Paul", last_name="Atelier"),
        identifier=SUPPLIER_SIRET,
        company_name="ATELIER",
    )


@pytest.fixture
def recipient(db):
    return make_structure(
        make_user("acheteur@example.test", first_name="Anne", last_name="Commune"),
        identifier=RECIPIENT_SIRET,
        company_name="COMMUNE",
        is_private=False,
    )


@pytest.fixture
def category(db):
    return Category.objects.get(name="Paiement", parent=None)


def user(email):
    from chorale.accounts.models import User

    return User.objects.get(email=email)


def signed_in(client, email):
    client.force_login(user(email))
    return client


def opened(supplier, recipient, category, **kwargs):
    kwargs.setdefault("subject", "Facture F-1 non payée")
    kwargs.setdefault("body", "Bonjour, où en est le paiement ?")
    return services.request_open(
        user=user("fournisseur@example.test"),
        author_structure=supplier,
        recipient=recipient,
        category=category,
        **kwargs,
    )


def test_the_default_categories_are_shipped_with_their_sub_categories(db):
    payment = Category.objects.get(name="Paiement", parent=None)
    assert {c.name for c in payment.subcategories.all()} == {
        "Délai de paiement",
        "Mise en paiement",
    }
    assert Category.objects.filter(parent=None).count() == 5


def test_categories_are_sorted_and_sub_categories_say_their_category(client, supplier):
    import re

    signed_in(client, "fournisseur@example.test")
    page = client.get(reverse("support:new")).text
    select = page[page.index('name="categorie"') : page.index('name="sous_categorie"')]
    names = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)
    assert names == [
        "API et raccordements",
        "Autre demande",
        "Compte et structures",
        "Dépôt et traitement des factures",
        "Paiement",
    ]
    payment = Category.objects.get(name="Paiement", parent=None)
    delay = payment.subcategories.get(name="Délai de paiement")
    assert f'value="{delay.pk}" data-categorie="{payment.pk}">Délai de paiement<' in page
    assert 'data-follows="id_categorie"' in page
    # Without the page's script, a sub-category of another category is still refused.
    other = Category.objects.get(name="Compte et structures", parent=None)
    refused = client.post(
        reverse("support:new"),
        {"destinataire": "SUPPORT", "categorie": other.pk, "sous_categorie": delay.pk,
         "objet": "Question", "message": "Bonjour"},
    )  # fmt: skip
    assert refused.status_code in (200, 400) and "catégorie choisie" in refused.text
    assert not SupportRequest.objects.exists()


def test_opening_from_an_invoice_page_prefills_the_recipient_and_links_the_invoice(
    client, supplier, recipient, category
):
    invoice = make_invoice(supplier, recipient, number="F-1")
    signed_in(client, "fournisseur@example.test")
    page = client.get(reverse("support:new") + f"?facture={invoice.pk}")
    assert page.status_code == 200
    assert page.context["form"].initial["destinataire"] == RECIPIENT_SIRET
    assert page.context["form"].initial["structure"] == supplier.pk
    subcategory = category.subcategories.get(name="Délai de paiement")
    response = client.post(
        reverse("support:new"),
        {
            "structure": supplier.pk,
            "destinataire": RECIPIENT_SIRET,
            "categorie": category.pk,
            "sous_categorie": subcategory.pk,
            "objet": "Facture F-1",
            "message": "Bonjour,\nla facture F-1 est-elle mise en paiement ?",
            "facture": invoice.pk,
            "pieces_jointes": [SimpleUploadedFile("bon.pdf", b"%PDF-1.4 x", "application/pdf")],
        },
    )
    created = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("support:sent_detail", args=[created.pk])
    assert created.number.startswith("SOL") and len(created.number) == 14
    assert (created.status, created.recipient, created.invoice) == (Status.OPEN, recipient, invoice)
    assert created.messages.get().attachments.get().name == "bon.pdf"
    # The recipient's members hear of it, in the feed and by e-mail; the author does not.
    event = Event.objects.get(kind="support.opened")
    assert list(event.recipients.values_list("email", flat=True)) == ["acheteur@example.test"]
    assert event.link == reverse("support:received_detail", args=[created.pk])
    assert [m.to for m in mail.outbox] == [["acheteur@example.test"]]


def test_the_answer_makes_it_answered_and_the_requesters_reply_waits_again(
    supplier, recipient, category
):
    request = opened(supplier, recipient, category)
    buyer = user("acheteur@example.test")
    services.request_reply(user=buyer, pk=request.pk, side=Side.RECIPIENT, body="Payée hier.")
    request.refresh_from_db()
    assert (request.status, request.assignee) == (Status.ANSWERED, buyer)
    services.request_reply(
        user=user("fournisseur@example.test"), pk=request.pk, side=Side.REQUESTER, body="Merci !"
    )
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS  # someone has it in hand
    answer = Event.objects.filter(kind="support.replied").order_by("id")
    assert [list(e.recipients.values_list("email", flat=True)) for e in answer] == [
        ["fournisseur@example.test"],
        ["acheteur@example.test"],
    ]
    assert [m.body for m in request.messages.all()] == [
        "Bonjour, où en est le paiement ?",
        "Payée hier.",
        "Merci !",
    ]


def test_a_closed_request_takes_no_message_until_it_is_reopened(supplier, recipient, category):
    request = opened(supplier, recipient, category)
    author = user("fournisseur@example.test")
    services.request_close(user=author, pk=request.pk, side=Side.REQUESTER)
    request.refresh_from_db()
    assert request.status == Status.CLOSED and request.closed_at is not None
    with pytest.raises(BusinessError) as refused:
        services.request_reply(user=author, pk=request.pk, side=Side.REQUESTER, body="Encore")
    assert refused.value.code == "request_closed"
    with pytest.raises(BusinessError):
        services.request_close(user=author, pk=request.pk, side=Side.REQUESTER)
    services.request_reopen(user=user("acheteur@example.test"), pk=request.pk, side=Side.RECIPIENT)
    request.refresh_from_db()
    assert (request.status, request.closed_at) == (Status.OPEN, None)


def test_assigning_takes_it_in_hand_and_only_to_someone_who_answers(supplier, recipient, category):
    request = opened(supplier, recipient, category)
    buyer = user("acheteur@example.test")
    colleague = make_user("collegue@example.test", last_name="Collègue")
    membership = add_member(recipient, colleague)
    with pytest.raises(BusinessError) as refused:
        services.request_assign(user=buyer, pk=request.pk, assignee=colleague)
    assert refused.value.code == "unknown_assignee"
    SpaceSubscription.objects.create(
        membership=membership, space=Space.REQUESTS_RECEIVED, is_approved=True
    )
    services.request_assign(user=buyer, pk=request.pk, assignee=colleague)
    request.refresh_from_db()
    assert (request.status, request.assignee) == (Status.IN_PROGRESS, colleague)
    assert Event.objects.get(kind="support.assigned").recipients.get() == colleague
    # The requester's next message goes to the assignee only.
    services.request_reply(
        user=user("fournisseur@example.test"), pk=request.pk, side=Side.REQUESTER, body="Alors ?"
    )
    reply = Event.objects.get(kind="support.replied")
    assert list(reply.recipients.all()) == [colleague]


def test_the_service_refuses_what_the_form_cannot_send(supplier, recipient, category):
    author = user("fournisseur@example.test")
    other = make_structure(make_user("x@example.test"), identifier="11122233300013")
    cases = [
        ({"author_structure": other}, "forbidden_structure"),
        ({"author_structure": supplier, "recipient": supplier}, "same_structure"),
        ({"subcategory": Category.objects.get(name="Webhooks")}, "unknown_subcategory"),
        ({"category": Category.objects.get(name="Webhooks")}, "unknown_category"),
        ({"body": "   "}, "empty_message"),
        ({"invoice": make_invoice(other, recipient, number="AUTRE")}, "unknown_invoice"),
        ({"linked_structure": other}, "unknown_structure"),
    ]
    for changes, code in cases:
        arguments = {
            "user": author,
            "author_structure": supplier,
            "recipient": recipient,
            "category": category,
            "subject": "Objet",
            "body": "Texte",
            **changes,
        }
        with pytest.raises(BusinessError) as refused:
            services.request_open(**arguments)
        assert refused.value.code == code, changes
    assert not SupportRequest.objects.exists()


def test_a_platform_request_is_answered_by_operators_only(client, supplier, category):
    operator = make_user("operateur@example.test", is_staff=True)
    author = user("fournisseur@example.test")
    request = services.request_open(
        user=author, category=category, subject="Question", body="Comment faire ?"
    )
    assert request.recipient_name == "Support de la plateforme"
    assert list(Event.objects.get(kind="support.opened").recipients.all()) == [operator]
    signed_in(client, "operateur@example.test")
    page = client.get(reverse("support:received"))
    assert request.number in page.text
    response = client.post(
        reverse("support:received_detail", args=[request.pk]), {"message": "Voici comment."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.assignee) == (Status.ANSWERED, operator)
    # A structure's member without staff rights never sees platform requests.
    client.force_login(make_user("membre@example.test"))
    assert client.get(reverse("support:received")).status_code == 403


def test_the_pages_list_filter_and_show_the_conversation(client, supplier, recipient, category):
    first = opened(supplier, recipient, category, subject="Premier sujet")
    opened(supplier, recipient, category, subject="Second sujet")
    services.request_close(user=user("fournisseur@example.test"), pk=first.pk, side=Side.REQUESTER)
    signed_in(client, "fournisseur@example.test")
    listing = client.get(reverse("support:sent"))
    assert "Premier sujet" in listing.text and "Second sujet" in listing.text
    closed = client.get(reverse("support:sent") + "?statut=CLOTUREE")
    assert "Premier sujet" in closed.text and "Second sujet" not in closed.text
    by_number = client.get(reverse("support:sent") + f"?texte={first.number}")
    assert by_number.context["page"].paginator.count == 1
    detail = client.get(reverse("support:sent_detail", args=[first.pk]))
    assert "Bonjour, où en est le paiement ?" in detail.text
    assert "Rouvrir la sollicitation" in detail.text
    signed_in(client, "acheteur@example.test")
    inbox = client.get(reverse("support:received") + "?prise_en_charge=personne")
    assert inbox.context["page"].paginator.count == 2
    response = client.post(reverse("support:close", args=["recues", first.pk]))
    assert response.status_code == 302  # already closed: a message, not an error page
    assert "déjà clôturée" in client.get(response.url).text


@pytest.mark.parametrize("who", ["other structure", "no space", "requester colleague"])
def test_permission_matrix_of_the_sollicitation_pages(client, supplier, recipient, category, who):
    """Nobody outside a request's two sides sees or changes it: every URL is tried."""
    request = opened(
        supplier,
        recipient,
        category,
        attachments=[SimpleUploadedFile("piece.pdf", b"%PDF-1.4", "application/pdf")],
    )
    attachment = request.messages.get().attachments.get()
    outsider = make_user("autre@example.test")
    if who == "other structure":
        make_structure(outsider, identifier="11122233300013", is_private=False)
    elif who == "no space":
        add_member(recipient, outsider)  # a simple member without « Sollicitations reçues »
    else:
        add_member(supplier, outsider)  # sees the structure's sent requests, not the inbox
    client.force_login(outsider)
    received = [
        ("support:received_detail", [request.pk]),
        ("support:attachment", ["recues", request.pk, attachment.pk]),
    ]
    sent = [
        ("support:sent_detail", [request.pk]),
        ("support:attachment", ["emises", request.pk, attachment.pk]),
    ]
    hidden = received + ([] if who == "requester colleague" else sent)
    for name, args in hidden:
        assert client.get(reverse(name, args=args)).status_code == 404, (name, args)
    for name, args in [
        ("support:received_detail", [request.pk]),
        ("support:assign", [request.pk]),
        ("support:close", ["recues", request.pk]),
        ("support:reopen", ["recues", request.pk]),
    ]:
        response = client.post(reverse(name, args=args), {"message": "intrus", "personne": 1})
        assert response.status_code == 404, name
    if who != "requester colleague":
        for name in ("support:close", "support:reopen"):
            assert client.post(reverse(name, args=["emises", request.pk])).status_code == 404
        assert request.number not in client.get(reverse("support:sent")).text
    request.refresh_from_db()
    assert request.status == Status.OPEN and request.messages.count() == 1


def test_a_request_can_only_target_a_public_structure_or_a_counterpart(
    client, supplier, recipient, category
):
    private = make_structure(make_user("prive@example.test"), identifier="11122233300013")
    signed_in(client, "fournisseur@example.test")
    data = {
        "structure": supplier.pk,
        "destinataire": "SUPPORT",
        "categorie": category.pk,
        "objet": "Objet",
        "message": "Texte",
    }
    refused = client.post(reverse("support:new"), {**data, "siret": private.identifier})
    assert refused.status_code == 200
    assert "Aucune structure publique active" in refused.text
    unknown = client.post(
        reverse("support:new"), {**data, "structure_concernee": private.identifier}
    )
    assert "Aucune de vos structures" in unknown.text
    accepted = client.post(
        reverse("support:new"),
        {**data, "siret": RECIPIENT_SIRET, "structure_concernee": SUPPLIER_SIRET},
    )
    assert accepted.status_code == 302
    created = SupportRequest.objects.get()
    assert (created.recipient, created.linked_structure) == (recipient, supplier)


def test_messages_are_append_only(supplier, recipient, category):
    message = opened(supplier, recipient, category).messages.get()
    message.body = "réécrit"
    with pytest.raises(ValueError, match="append-only"):
        message.save()


def test_a_request_names_one_of_the_users_flows_never_another_structures(
    client, supplier, category
):
    from django.core.files.base import ContentFile

    from chorale.flows.models import Flow

    def flow(number, structure, depositor):
        return Flow.objects.create(
            number=number,
            deposited_by=depositor,
            supplier=structure,
            channel="PORTAIL",
            file=ContentFile(b"<x/>", name="f.xml"),
            original_name="f.xml",
            size=4,
            sha256="0" * 64,
        )

    mine = flow("CPP0000000000000000000001", supplier, user("fournisseur@example.test"))
    stranger = make_user("x@example.test")
    theirs = flow(
        "CPP0000000000000000000002", make_structure(stranger, identifier="11122233300013"), stranger
    )
    signed_in(client, "fournisseur@example.test")
    page = client.get(reverse("support:new") + f"?flux={mine.number}")
    assert page.context["form"].initial["flux"] == mine.number
    data = {"destinataire": "SUPPORT", "categorie": category.pk, "objet": "O", "message": "M"}
    refused = client.post(reverse("support:new"), {**data, "flux": theirs.number})
    assert "Aucun de vos flux ne porte le numéro" in refused.text
    client.post(reverse("support:new"), {**data, "flux": mine.number})
    assert SupportRequest.objects.get().flow == mine


def test_a_contest_of_a_structure_management_has_its_category(db):
    from chorale.support.models import Category

    contest = Category.objects.get(name="Contester la gestion d'une structure")
    assert contest.parent.name == "Compte et structures" and contest.is_active
